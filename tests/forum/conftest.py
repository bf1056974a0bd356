"""Forum fixtures, set up through the real services.

`community` is founding community 1; `member` and `other_member` are active
members of it, `moderator` its moderator, `outsider` a logged-in person who is
no member. `thread` is started by `member` with one post.
"""

import pytest

from communities.forum.services import thread_create


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """A new channel layer object for every test. channels-redis creates its
    receive lock on first use, bound to that event loop; pytest-asyncio gives each
    test its own loop, so a layer kept from an earlier test (Channels caches it per
    process) failed with "Lock ... is bound to a different event loop"."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


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
