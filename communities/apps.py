from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "communities"
    verbose_name = _("Communities")

    def ready(self):
        from communities import personal_data as parts
        from members.personal_data import register

        register("memberships", parts.export_memberships, parts.erase_memberships)
        register("moderatorships", parts.export_moderatorships, parts.erase_moderatorships)
        if apps.is_installed("communities.forum"):
            register("forum_posts", parts.export_forum_posts, parts.erase_forum_posts)
