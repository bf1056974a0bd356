"""What must follow when the lifecycle moves to-do items between communities
(referenced from TodoItem.ownership; the lifecycle itself imports nothing here)."""

from django.db import connection


def renumber_positions(community_ids) -> None:
    """Give the items of each list positions 1..n in (position, pk) order: one
    statement for all the lists, however many items moved."""
    from todo_lists.models import TodoItem

    ids = [int(pk) for pk in community_ids]
    if not ids:
        return
    table = connection.ops.quote_name(TodoItem._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET position = ranked.number "  # nosec B608: names from the model
            f"FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY community_id "
            f"ORDER BY position, id) AS number FROM {table} "
            f"WHERE community_id IN ({marks})) AS ranked "
            f"WHERE {table}.id = ranked.id AND {table}.position <> ranked.number",
            ids,
        )


def reindex_moved(model, moves) -> None:
    """After commit: refresh the search index of the moved rows (in bulk)."""
    from wagtail.search.backends import get_search_backends

    ids = [object_id for object_id, _from, _to in moves]
    if not ids:
        return
    objects = list(model.objects.filter(pk__in=ids))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, objects)


def after_items_moved(moves) -> None:
    from todo_lists.models import TodoItem

    reindex_moved(TodoItem, moves)
