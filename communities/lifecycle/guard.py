"""The one rule every writer of community-owned rows follows so that no row is
created in a community that a lifecycle operation is archiving at that moment.

Lifecycle operations lock their communities' rows FOR UPDATE. A writer takes a
FOR NO KEY UPDATE lock on the community's row before it inserts, and then reads
the status again: it either goes first (and the operation, waiting for the
lock, counts and moves the new row) or waits and sees the archive (and is
refused with a clear message). Posts need nothing: they follow their thread.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from communities.models import CommunityPage, CommunityStatus


def lock_active_community(community: CommunityPage) -> None:
    """Lock `community` against a concurrent lifecycle operation (inside the
    caller's transaction) and refuse if it is no longer active."""
    status = (
        CommunityPage.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk=community.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status != CommunityStatus.ACTIVE:
        community.status = status or community.status
        raise ValidationError(
            _("“%(name)s” has just become an archive; nothing was saved. Look for its successor.")
            % {"name": community.title}
        )
