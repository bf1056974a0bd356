from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TodoListsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "todo_lists"
    verbose_name = _("To-do lists")

    def ready(self):
        from members.activity import register_activity_source
        from members.personal_data import register
        from todo_lists.models import TodoItem
        from todo_lists.personal_data import erase_todo, export_todo

        register("todo_lists", exporter=export_todo, eraser=erase_todo)
        # Items a person added count as activities towards their organisation's targets.
        register_activity_source(TodoItem, "created_by")
