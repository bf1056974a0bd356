"""Reads about people, with access checks."""

from django.contrib.auth import get_user_model
from django.http import Http404

from communities.models import Membership, MembershipState


def profile_get_for_user(*, user, profile_user_id: int):
    """A member's public-within-the-network profile: name, organisation, job, bio
    and the communities they are active in. Visible to logged-in users only;
    "missing" and "forbidden" look the same."""
    from communities import permissions

    if not permissions.can_view_profiles(user):
        raise Http404
    User = get_user_model()
    try:
        person = User.objects.select_related("profile__organisation").get(
            pk=profile_user_id, is_active=True
        )
    except User.DoesNotExist:
        raise Http404 from None
    communities = [
        membership.community
        for membership in Membership.objects.filter(user=person, state=MembershipState.ACTIVE)
        .select_related("community")
        .order_by("community__title")
    ]
    return person, communities
