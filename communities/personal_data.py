"""The communities app's part of a member's personal data: memberships (with the
haal/breng answers and their history) and moderator terms. Registered with
members.personal_data from CommunitiesConfig.ready()."""

from django.utils import timezone

from communities.models import (
    OPEN_MEMBERSHIP_STATES,
    Membership,
    MembershipState,
    MembershipTransition,
    Moderatorship,
)


def export_memberships(user) -> list[dict]:
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("community", "organisation")
        .prefetch_related("haal_topics", "breng_topics", "transitions")
        .order_by("applied_at", "pk")
    )
    return [
        {
            "community": m.community.title,
            "organisation": m.organisation.name if m.organisation else None,
            "state": m.state,
            "haal": m.haal,
            "breng": m.breng,
            "haal_topics": [t.name for t in m.haal_topics.all()],
            "breng_topics": [t.name for t in m.breng_topics.all()],
            "self_role": m.self_role,
            "applied_at": m.applied_at,
            "joined_at": m.joined_at,
            "ended_at": m.ended_at,
            "moderator_message": m.moderator_message,
            "history": [
                {"from": t.from_state, "to": t.to_state, "at": t.at, "note": t.note}
                for t in m.transitions.all()
            ],
        }
        for m in memberships
    ]


def erase_memberships(user) -> None:
    """Answers, topics, messages and notes go; open memberships end (left or
    withdrawn), so the person no longer counts as a member anywhere."""
    memberships = Membership.objects.filter(user=user)
    now = timezone.now()
    memberships.filter(state=MembershipState.ACTIVE).update(
        state=MembershipState.LEFT, ended_at=now
    )
    memberships.filter(state__in=OPEN_MEMBERSHIP_STATES).update(
        state=MembershipState.WITHDRAWN, ended_at=now
    )
    memberships.update(haal="", breng="", moderator_message="", self_role="")
    Membership.haal_topics.through.objects.filter(membership__user=user).delete()
    Membership.breng_topics.through.objects.filter(membership__user=user).delete()
    MembershipTransition.objects.filter(membership__user=user).update(note="")


def export_moderatorships(user) -> list[dict]:
    return [
        {"community": t.community.title, "start_date": t.start_date, "end_date": t.end_date}
        for t in Moderatorship.objects.filter(user=user).select_related("community")
    ]


def erase_moderatorships(user) -> None:
    """Terms end today (the dates stay: they are the community's history).
    Refuses when the person is an active community's only moderator."""
    from communities.services.moderators import end_moderatorships_of_erased_user

    end_moderatorships_of_erased_user(user)


# --- the forum's part (communities.forum provides the read and the anonymisation)


def export_forum_posts(user) -> list[dict]:
    from communities.forum.selectors import forum_posts_of

    return [
        {
            "community": post.thread.community.title,
            "thread": post.thread.title,
            "text": post.body_source,
            "created_at": post.created_at,
            "edited_at": post.edited_at,
            "hidden": post.hidden_at is not None,
        }
        for post in forum_posts_of(user)
    ]


def erase_forum_posts(user) -> None:
    """Posts and threads stay for the conversation, detached from the person."""
    from communities.forum.services import forum_anonymise_author

    forum_anonymise_author(user=user)
