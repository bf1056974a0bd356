"""Forum fixtures, set up through the real services.

`community` is founding community 1; `member` and `other_member` are active
members of it, `moderator` its moderator, `outsider` a logged-in person who is
no member. `thread` is started by `member` with one post.
"""

import pytest

from communities.forum.services import thread_create
from tests.communities.conftest import (  # noqa: F401  (fixtures)
    apply,
    appoint,
    community,
    coordinator,
    join,
    make_user,
    moderator,
    other_community,
)


@pytest.fixture
def member(make_user, join, community):  # noqa: F811  (fixtures imported above)
    user = make_user(name="Sanne de Vries")
    join(user, community)
    return user


@pytest.fixture
def other_member(make_user, join, community):  # noqa: F811  (fixtures imported above)
    user = make_user(name="Daan Jansen")
    join(user, community)
    return user


@pytest.fixture
def outsider(make_user):  # noqa: F811  (fixtures imported above)
    return make_user(name="Olga Buiten")


@pytest.fixture
def thread(member, community, django_capture_on_commit_callbacks):  # noqa: F811  (fixtures imported above)
    with django_capture_on_commit_callbacks(execute=True):
        return thread_create(
            actor=member,
            community=community,
            title="Voorleesprojecten op school",
            body="Wie heeft ervaring met **voorlezen** in groep 3?",
        )
