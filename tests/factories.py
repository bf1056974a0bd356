"""Factories for objects that have no service yet.

Prefer the real code for set-up (the `seed` command, `members.services`); these
cover what the services do not create (yet): ordinary users and extra
community pages beyond the 15 founding ones.
"""

import datetime

import factory
import wagtail_factories
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from communities.models import CommunityPage, CommunityStatus, Priority
from members.models import User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    """A member who can log in: allauth's mandatory verification requires a
    verified primary EmailAddress, which the post-generation hook adds."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


class CommunityPageFactory(wagtail_factories.PageFactory):
    """An extra community under the index (pass `parent=`); live and active."""

    class Meta:
        model = CommunityPage

    title = factory.Sequence(lambda n: f"Extra community {n}")
    number = factory.Sequence(lambda n: 100 + n)
    priority = Priority.CHANGE
    summary = factory.LazyAttribute(lambda page: f"Wat {page.title} doet en voor wie.")
    status = CommunityStatus.ACTIVE
    start_date = datetime.date(2024, 1, 1)
