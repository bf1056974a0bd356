from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TodoListsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "todo_lists"
    verbose_name = _("To-do lists")
