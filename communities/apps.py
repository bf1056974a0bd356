from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "communities"
    verbose_name = _("Communities")

    def ready(self):
        from communities import personal_data as parts
        from communities.routes import community_route, register_routes
        from communities.views import contact, lifecycle, membership, moderation
        from members.personal_data import register

        register_routes(
            community_route("aanmelden/", membership.apply, name="apply", writes=True),
            community_route("aanmelding/", membership.my_application, name="my_application"),
            community_route(
                "aanmelding/intrekken/", membership.withdraw, name="withdraw", writes=True
            ),
            community_route("verlaten/", membership.leave, name="leave", writes=True),
            community_route("leden/", moderation.members, name="members"),
            community_route(
                "leden/<int:membership_id>/beeindigen/",
                moderation.end_membership,
                name="end_membership",
                writes=True,
            ),
            community_route("moderatie/", moderation.moderation, name="moderation"),
            community_route(
                "moderatie/<int:membership_id>/besluit/",
                moderation.decide,
                name="decide",
                writes=True,
            ),
            community_route("moderatoren/", moderation.moderators, name="moderators"),
            community_route(
                "contact/", contact.contact_moderators, name="contact_moderators", writes=True
            ),
            community_route("geschiedenis/", lifecycle.community_history, name="history"),
            community_route(
                "moderatoren/<int:term_id>/beeindigen/",
                moderation.end_moderatorship,
                name="end_moderatorship",
                writes=True,
            ),
        )

        register("memberships", parts.export_memberships, parts.erase_memberships)
        register("moderatorships", parts.export_moderatorships, parts.erase_moderatorships)
        if apps.is_installed("communities.forum"):
            register("forum_posts", parts.export_forum_posts, parts.erase_forum_posts)
