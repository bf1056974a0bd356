from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from members import signals  # noqa: F401  (connects the receivers)
        from members.services.personal_data import register_member_parts

        register_member_parts()
        _register_activity_sources()


def _register_activity_sources() -> None:
    """What counts as an activity for targets: forum threads and to-do items, for
    the apps that are installed and have the expected author field."""
    from django.apps import apps

    from members.activity import register_activity_source

    for label, model_name, author_field in (
        ("forum", "Thread", "author"),
        ("todo_lists", "TodoItem", "created_by"),
    ):
        try:
            model = apps.get_model(label, model_name)
        except LookupError:
            continue
        if any(field.name == author_field for field in model._meta.get_fields()):
            register_activity_source(model, author_field)
