"""Per-user limits on writes that others must read (intake, proposals, posts).

Counted in the default cache (Redis in production, so across workers). The
rates live in settings.RATE_LIMITS so tests and operators can change them.
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited


def limit_exceeded(request, group: str) -> bool:
    """Count this POST against the user's limit for `group`; True when over it."""
    return is_ratelimited(
        request,
        group=group,
        key="user_or_ip",
        rate=settings.RATE_LIMITS[group],
        method="POST",
        increment=True,
    )
