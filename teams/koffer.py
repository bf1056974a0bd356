"""The koffer's rules and arithmetic, without the database.

The denktank's toolbox describes the koffer: each team member divides at most
100 points over the soft skills needed to work in networks, never giving two
categories the same score, so that everyone has to choose. The toolbox does not
name the categories: DEFAULT_CATEGORIES is the platform's proposal, and the
page says so. Managers replace them for their own team.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from teams.models import KOFFER_POINTS

# The platform's proposal (Dutch: they are the team's content, like community
# names, not interface text).
DEFAULT_CATEGORIES = (
    "Verbinden",
    "Communiceren",
    "Samenwerken",
    "Initiatief nemen",
    "Nieuwsgierigheid",
    "Flexibiliteit",
    "Overtuigen",
    "Reflecteren",
)
MAX_CATEGORIES = 12
MIN_CATEGORIES = 3


def check_distribution(points: dict[str, int]) -> None:
    """`points` maps category name → points. Refuses more than KOFFER_POINTS in
    total, a negative score, and two categories with the same score."""
    if any(value < 0 or value > KOFFER_POINTS for value in points.values()):
        raise ValidationError(
            _("Give each category between 0 and %(max)s points.") % {"max": KOFFER_POINTS}
        )
    total = sum(points.values())
    if total > KOFFER_POINTS:
        raise ValidationError(
            _("You divided %(total)s points; you have at most %(max)s.")
            % {"total": total, "max": KOFFER_POINTS}
        )
    seen: dict[int, str] = {}
    for name, value in points.items():
        if value in seen:
            raise ValidationError(
                _(
                    "Give every category a different score: “%(first)s” and “%(second)s” "
                    "both have %(points)s points."
                )
                % {"first": seen[value], "second": name, "points": value}
            )
        seen[value] = name


def check_category_names(names: list[str]) -> None:
    if len(names) < MIN_CATEGORIES or len(names) > MAX_CATEGORIES:
        raise ValidationError(
            _("Name between %(min)s and %(max)s categories.")
            % {"min": MIN_CATEGORIES, "max": MAX_CATEGORIES}
        )
    lowered = [name.casefold() for name in names]
    if len(set(lowered)) != len(lowered):
        raise ValidationError(_("Each category may appear only once."))
    if any(len(name) > 80 for name in names):
        raise ValidationError(_("Keep each category under 80 characters."))


@dataclass
class Spread:
    """One category of a round as the team sees it: no names."""

    name: str
    low: int | None
    high: int | None
    average: float | None
    count: int
    agreed: int | None
    category_id: int = 0
    # The same category in the previous round (matched by name), if any.
    previous_average: float | None = None
    previous_agreed: int | None = None
    in_previous: bool = False

    @property
    def gap(self) -> int | None:
        return None if self.low is None else self.high - self.low

    @property
    def agreed_change(self) -> int | None:
        if self.agreed is None or self.previous_agreed is None:
            return None
        return self.agreed - self.previous_agreed


def widest(spreads: list[Spread], *, size: int = 3) -> list[Spread]:
    """The categories on which the team differs most: the ones to talk about."""
    scored = [spread for spread in spreads if spread.gap]
    return sorted(scored, key=lambda spread: (-spread.gap, spread.name))[:size]


def compare(current: list[Spread], previous: list[Spread]) -> list[Spread]:
    """Mark each category of `current` with its value in `previous` (by name,
    case-insensitive); returns `current`."""
    earlier = {spread.name.casefold(): spread for spread in previous}
    for spread in current:
        before = earlier.get(spread.name.casefold())
        if before is not None:
            spread.in_previous = True
            spread.previous_average = before.average
            spread.previous_agreed = before.agreed
    return current
