from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "communities.forum"
    label = "forum"
    verbose_name = _("Forum")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from communities.forum import signals  # noqa: F401  (connects the receivers)
        from communities.forum.models import Thread
        from members.activity import register_activity_source

        # Threads a person started count as activities towards their organisation's targets.
        register_activity_source(Thread, "author")
