"""Provenance of single rows outside a lifecycle operation (a moderator moving
one thread), and where one row came from."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from communities.lifecycle.models import Provenance, ProvenanceAction


def record_move(*, actor, obj, from_community, to_community) -> Provenance:
    """Record that `obj` moved between communities by hand (no lifecycle event)."""
    return Provenance.objects.create(
        event=None,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        action=ProvenanceAction.MOVED,
        from_community=from_community,
        to_community=to_community,
        previous={"community_id": from_community.pk},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=timezone.now(),
    )


def last_moved_from(obj):
    """The community `obj` last moved out of (by hand or by a lifecycle operation
    that was not undone), or None. One query."""
    row = (
        Provenance.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            action=ProvenanceAction.MOVED,
            to_community_id=obj.community_id,
        )
        .filter(event__undone_by__isnull=True)
        .select_related("from_community")
        .order_by("-pk")
        .first()
    )
    return row.from_community if row else None
