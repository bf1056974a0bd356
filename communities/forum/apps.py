from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "communities.forum"
    label = "forum"
    verbose_name = _("Forum")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from communities.forum import (
            signals,  # noqa: F401  (connects the receivers)
            views,
        )
        from communities.forum.models import Thread
        from communities.routes import community_route, register_routes
        from members.activity import ActivityKind, register_activity_source

        register_routes(
            community_route("forum/", views.forum_index, name="forum"),
            community_route("forum/nieuw/", views.new_thread, name="forum_new", writes=True),
            community_route("forum/<int:thread_id>/", views.thread_page, name="forum_thread"),
            community_route(
                "forum/<int:thread_id>/antwoorden/", views.reply, name="forum_reply", writes=True
            ),
            community_route(
                "forum/<int:thread_id>/bericht/<int:post_id>/",
                views.post_permalink,
                name="forum_post",
            ),
            community_route(
                "forum/<int:thread_id>/bericht/<int:post_id>/bewerken/",
                views.edit_post,
                name="forum_edit",
                writes=True,
            ),
            community_route(
                "forum/<int:thread_id>/bericht/<int:post_id>/verbergen/",
                views.hide_post,
                name="forum_hide",
                writes=True,
            ),
            community_route(
                "forum/<int:thread_id>/moderatie/",
                views.moderate_thread,
                name="forum_moderate",
                writes=True,
            ),
            community_route(
                "forum/<int:thread_id>/volgen/",
                views.follow_thread,
                name="forum_follow",
                writes=True,
            ),
        )

        # Threads a person started count as activities towards their organisation's targets.
        register_activity_source(Thread, "author", kind=ActivityKind.THREADS)
