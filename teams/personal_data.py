"""The koffer's part of a member's personal data (see members.personal_data).

A member's points are theirs: exported, and removed on erasure (the team's
spread then no longer counts them). The why, the team's agreed scores and the
action points belong to the organisation and stay."""

from teams.models import KofferScore


def export_koffer(user) -> dict:
    return {
        "koffer_points": [
            {
                "organisation": score.category.round.organisation.name,
                "session": score.category.round.held_on.isoformat(),
                "category": score.category.name,
                "points": score.points,
            }
            for score in KofferScore.objects.filter(user=user)
            .select_related("category__round__organisation")
            .order_by("category__round__held_on", "category__position")
        ]
    }


def erase_koffer(user) -> None:
    KofferScore.objects.filter(user=user).delete()
