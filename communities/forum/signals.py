"""Announcements the forum listens to. The work is done elsewhere: this only tells
the open websockets of a session that has ended to close."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from communities.forum.broadcast import broadcast_on_commit, user_group


@receiver(user_logged_out)
def close_sockets_on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    broadcast_on_commit(
        [user_group(user.pk)], {"type": "forum.session_ended", "session_key": session_key}
    )
