"""Forum fixtures, set up through the real services.

`community` is founding community 1; `member` and `other_member` are active
members of it, `moderator` its moderator, `outsider` a logged-in person who is
no member. `thread` is started by `member` with one post.
"""

import pytest

from communities.forum.services import thread_create


@pytest.fixture
def member(make_user, join, community):
    user = make_user(name="Sanne de Vries")
    join(user, community)
    return user


@pytest.fixture
def other_member(make_user, join, community):
    user = make_user(name="Daan Jansen")
    join(user, community)
    return user


@pytest.fixture
def outsider(make_user):
    return make_user(name="Olga Buiten")


@pytest.fixture
def thread(member, community, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return thread_create(
            actor=member,
            community=community,
            title="Voorleesprojecten op school",
            body="Wie heeft ervaring met **voorlezen** in groep 3?",
        )
