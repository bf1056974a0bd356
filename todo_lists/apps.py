from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TodoListsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "todo_lists"
    verbose_name = _("To-do lists")

    def ready(self):
        from communities.routes import community_route, register_routes
        from members.activity import ActivityKind, register_activity_source
        from members.personal_data import register
        from todo_lists import views
        from todo_lists.models import TodoItem
        from todo_lists.personal_data import erase_todo, export_todo

        register_routes(
            community_route("te-doen/", views.todo_list, name="todo_list"),
            community_route("te-doen/feed/", views.todo_feed, name="todo_feed"),
            community_route("te-doen/nieuw/", views.todo_add, name="todo_add", writes=True),
            community_route(
                "te-doen/voorstellen/", views.todo_propose, name="todo_propose", writes=True
            ),
            community_route(
                "te-doen/voorstellen/beoordelen/", views.todo_proposals, name="todo_proposals"
            ),
            community_route(
                "te-doen/voorstellen/<int:proposal_id>/besluit/",
                views.todo_decide,
                name="todo_decide",
                writes=True,
            ),
            community_route("te-doen/<int:item_id>/", views.todo_item, name="todo_item"),
            community_route(
                "te-doen/<int:item_id>/bewerken/", views.todo_edit, name="todo_edit", writes=True
            ),
            community_route(
                "te-doen/<int:item_id>/verplaatsen/", views.todo_move, name="todo_move", writes=True
            ),
            community_route(
                "te-doen/<int:item_id>/afsluiten/", views.todo_close, name="todo_close", writes=True
            ),
            community_route(
                "te-doen/<int:item_id>/reageren/",
                views.todo_comment,
                name="todo_comment",
                writes=True,
            ),
        )

        register("todo_lists", exporter=export_todo, eraser=erase_todo)
        # Items a person added count as activities towards their organisation's targets.
        register_activity_source(TodoItem, "created_by", kind=ActivityKind.ACTION_ITEMS)
