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
