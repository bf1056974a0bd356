"""The team page and the koffer reuse the members suite's people and managers."""

import datetime

import pytest
from django.utils import timezone

from teams.services import koffer_round_start
from tests.members.conftest import (  # noqa: F401  (fixtures)
    make_organisation,
    manager,
    manager_for,
    member_of,
    organisation,
    other_organisation,
    person,
)


@pytest.fixture
def colleagues(person, organisation):  # noqa: F811
    return [person(name, organisation) for name in ("Anna Aalders", "Bert Bos", "Cas Cornelis")]


@pytest.fixture
def koffer_round(manager, organisation):  # noqa: F811
    """A session of half a year ago, with the platform's categories."""
    return koffer_round_start(
        actor=manager,
        organisation=organisation,
        held_on=timezone.localdate() - datetime.timedelta(days=180),
    )


def distinct_points(koffer_round, values=(30, 20, 15, 10, 8, 6, 4, 2)) -> dict[int, int]:
    """Category id → points: the values in the round's category order."""
    return {
        category.pk: value
        for category, value in zip(koffer_round.categories.all(), values, strict=True)
    }
