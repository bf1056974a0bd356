"""The ownership contract: every model with a foreign key to CommunityPage
declares a policy, and the rules a bulk move could break live in the database."""

import datetime

import pytest
from django.core import checks
from django.db import IntegrityError, models, transaction
from django.test.utils import isolate_apps

from communities.models import Moderatorship
from communities.ownership import (
    CommunityOwned,
    OwnershipPolicy,
    check_ownership_policies,
    community_owned_models,
    ownership_errors,
)


def test_every_owned_model_declares_a_policy():
    labels = [model._meta.label for model in community_owned_models()]
    assert labels == [
        "communities.Membership",
        "communities.Moderatorship",
        "forum.Thread",
        "members.RoleAssignment",
        "members.Target",
        "todo_lists.TodoItem",
        "todo_lists.TodoProposal",
    ]
    assert all(isinstance(model.ownership, OwnershipPolicy) for model in community_owned_models())
    assert check_ownership_policies() == []


@isolate_apps("communities")
def test_a_model_without_a_policy_fails_the_system_check():
    class Bookmark(models.Model):  # noqa: DJ008
        community = models.ForeignKey("communities.CommunityPage", on_delete=models.PROTECT)

        class Meta:
            app_label = "communities"

    class Note(CommunityOwned):
        class Meta:
            app_label = "communities"

    class Lineage(models.Model):  # noqa: DJ008
        page = models.ForeignKey("communities.CommunityPage", on_delete=models.PROTECT)
        lifecycle_exempt = "history"

        class Meta:
            app_label = "communities"

    errors = ownership_errors([Bookmark, Note, Lineage])
    assert [(error.id, error.obj) for error in errors] == [
        ("communities.E001", Bookmark),
        ("communities.E001", Note),
    ]
    assert all(isinstance(error, checks.Error) for error in errors)


def test_one_open_ended_term_per_person_is_a_database_rule(moderator, community):
    with pytest.raises(IntegrityError), transaction.atomic():
        Moderatorship.objects.bulk_create(
            [
                Moderatorship(
                    community=community, user=moderator, start_date=datetime.date(2030, 1, 1)
                )
            ]
        )
