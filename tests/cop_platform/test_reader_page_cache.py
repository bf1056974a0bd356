"""The members' private page cache (cop_platform/page_cache.py): a member's page
comes back from the cache for the same session only, without a query, and every
write that changes what a member sees ends it.

Each request runs with its on-commit callbacks executed (`visit`), as in
production, where the request's own transaction commits: the thread page's read
marker, for instance, is a write that ends the members' pages when it moves."""

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test import Client
from django.urls import reverse

from communities.forum.services import notifications_mark_read, post_create, thread_create
from communities.services.memberships import membership_end
from cop_platform import page_cache
from members.services.personal_data import account_erase
from tests.factories import DEFAULT_PASSWORD
from tests.views_support import client_for, post_form, soup
from todo_lists.services import todo_item_create, todo_item_update

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Een-nieuw-wachtwoord-2026"


@pytest.fixture
def visit(django_capture_on_commit_callbacks):
    """GET as a browser would, the request's writes committed (and announced)."""

    def get(client, url, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(url, **headers)

    return get


@pytest.fixture
def logged_in():
    """A client logged in through the login form, as a browser is: with the session
    cookie and the CSRF cookie the login rotated, on the page the login leads to
    (which shows the message "Je bent nu ingelogd als ...")."""

    def login(user):
        client = client_for()
        response = post_form(
            client, reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 302
        assert {"sessionid", "csrftoken"} <= set(client.cookies)
        landing = client.get(response["Location"])
        assert "Je bent nu ingelogd als" in soup(landing).select_one(".messages").get_text()
        return client

    return login


@pytest.fixture
def sanne(make_user, join, community, commit):
    user = make_user(name="Sanne de Vries")
    commit(lambda: join(user, community))
    return user


@pytest.fixture
def daan(make_user, join, community, commit):
    user = make_user(name="Daan Jansen")
    commit(lambda: join(user, community))
    return user


@pytest.fixture
def thread(sanne, community, moderator, commit):
    return commit(
        lambda: thread_create(
            actor=sanne,
            community=community,
            title="Voorleesprojecten op school",
            body="Wie heeft ervaring met voorlezen in groep 3?",
        )
    )


def thread_url(community, thread) -> str:
    return f"{community.url}forum/{thread.pk}/"


def account_name(response) -> str | None:
    """The name in the header's account menu (None: the visitor's menu)."""
    name = soup(response).select_one(".account-menu__name")
    return name.get_text(strip=True) if name else None


def post_bodies(response) -> list[str]:
    return [body.get_text(" ", strip=True) for body in soup(response).select(".post__body")]


def test_a_members_second_visit_of_the_community_page_makes_no_query(
    page_cache, visit, logged_in, sanne, community, django_assert_num_queries
):
    client = logged_in(sanne)
    first = visit(client, community.url)
    with django_assert_num_queries(0):
        second = visit(client, community.url)
    assert second.content == first.content
    assert account_name(second) == "Sanne de Vries"
    assert "Je bent lid van deze community." in soup(second).select_one(".join-panel").text
    assert "private" in second["Cache-Control"]
    assert "private" in first["Cache-Control"]


def test_the_thread_page_is_stored_once_its_read_marker_stops_moving(
    page_cache, visit, logged_in, daan, community, thread, django_assert_num_queries
):
    """Daan's first view marks the thread read (a write: his thread list changes), the
    second finds nothing to mark and is stored, the third comes from the cache."""
    client = logged_in(daan)
    url = thread_url(community, thread)
    visit(client, url)
    second = visit(client, url)
    with django_assert_num_queries(0):
        third = visit(client, url)
    assert third.content == second.content
    assert soup(third).h1.get_text(strip=True) == "Voorleesprojecten op school"
    assert post_bodies(third) == ["Wie heeft ervaring met voorlezen in groep 3?"]
    assert account_name(third) == "Daan Jansen"


def test_nobody_else_gets_a_members_page(page_cache, visit, logged_in, sanne, daan, community):
    sanne_client = logged_in(sanne)
    visit(sanne_client, community.url)
    assert account_name(visit(sanne_client, community.url)) == "Sanne de Vries"
    daans = visit(logged_in(daan), community.url)
    assert account_name(daans) == "Daan Jansen"
    profile_link = soup(daans).select_one(".account-menu__panel a")
    assert profile_link["href"] == reverse("members:profile", args=[daan.pk])
    visitors = visit(Client(), community.url)
    assert account_name(visitors) is None
    assert "Inloggen" in soup(visitors).select_one(".account-menu").get_text()
    assert "private" not in visitors.get("Cache-Control", "")


def test_a_second_session_of_the_same_member_is_rendered_for_itself(
    page_cache, visit, logged_in, sanne, community, django_assert_max_num_queries
):
    """Sessions are not people: a page stored for one login is not served to the
    other (its CSRF token belongs to the first)."""
    first = logged_in(sanne)
    visit(first, community.url)
    with django_assert_max_num_queries(50) as queries:
        assert visit(logged_in(sanne), community.url).status_code == 200
    assert len(queries) > 0


def test_a_new_post_shows_at_once(
    page_cache, visit, logged_in, sanne, daan, community, thread, commit
):
    client = logged_in(sanne)
    url = thread_url(community, thread)
    visit(client, url)
    visit(client, url)
    commit(lambda: post_create(actor=daan, thread=thread, body="Wij lezen elke vrijdag voor."))
    assert post_bodies(visit(client, url)) == [
        "Wie heeft ervaring met voorlezen in groep 3?",
        "Wij lezen elke vrijdag voor.",
    ]


def test_a_notification_shows_at_once(
    page_cache, visit, logged_in, sanne, daan, community, thread, commit
):
    client = logged_in(sanne)
    visit(client, community.url)
    assert (
        soup(visit(client, community.url)).select_one(".notifications-indicator .count-badge")
        is None
    )
    commit(lambda: post_create(actor=daan, thread=thread, body="@Sanne de Vries, doe je mee?"))
    badge = soup(visit(client, community.url)).select_one(".notifications-indicator .count-badge")
    assert badge.get_text(" ", strip=True) == "1 (1 ongelezen)"
    commit(lambda: notifications_mark_read(actor=sanne))
    assert (
        soup(visit(client, community.url)).select_one(".notifications-indicator .count-badge")
        is None
    )


def test_a_to_do_change_shows_at_once(
    page_cache, visit, logged_in, sanne, moderator, community, commit
):
    item = commit(
        lambda: todo_item_create(actor=moderator, community=community, title="Leesclub starten")
    )
    client = logged_in(sanne)
    visit(client, community.url)
    visit(client, community.url)
    commit(lambda: todo_item_update(actor=moderator, item=item, title="Leesclub voor ouders"))
    titles = [
        a.get_text(strip=True)
        for a in soup(visit(client, community.url)).select(".todo-preview__list li a")
    ]
    assert titles == ["Leesclub voor ouders"]


def test_a_membership_and_a_moderator_change_show_at_once(
    page_cache, visit, logged_in, sanne, moderator, coordinator, community, commit, appoint
):
    client = logged_in(sanne)
    visit(client, community.url)
    page = soup(visit(client, community.url)).get_text()
    assert "Moderatie: aanmeldingen en haal/breng-balans" not in page
    commit(lambda: appoint(sanne, community))
    page = soup(visit(client, community.url)).get_text()
    assert "Moderatie: aanmeldingen en haal/breng-balans" in page
    membership = sanne.memberships.get(community=community)
    commit(lambda: membership_end(actor=coordinator, membership=membership, reason="Vertrokken."))
    panel = soup(visit(client, community.url)).select_one(".join-panel").get_text()
    assert "Je bent lid van deze community." not in panel
    assert "Aanmelden" in panel


def test_after_a_password_change_the_old_session_gets_no_stored_page(
    page_cache, visit, logged_in, sanne, community, thread, commit
):
    old = logged_in(sanne)
    url = thread_url(community, thread)
    visit(old, url)
    assert account_name(visit(old, url)) == "Sanne de Vries"
    elsewhere = logged_in(sanne)
    response = commit(
        lambda: post_form(
            elsewhere,
            reverse("account_change_password"),
            {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    )
    assert response.status_code == 302
    # Logged out: the thread as any visitor reads it, with the visitor's menu.
    refused = visit(old, url)
    assert account_name(refused) is None
    assert "Inloggen" in soup(refused).select_one(".account-menu").get_text()
    assert account_name(visit(elsewhere, url)) == "Sanne de Vries"


def test_a_deactivated_member_gets_no_stored_page(
    page_cache, visit, logged_in, sanne, community, thread, commit
):
    client = logged_in(sanne)
    url = thread_url(community, thread)
    visit(client, url)
    visit(client, url)

    def deactivate():
        # As the admin's user form does: a save of the whole row.
        sanne.is_active = False
        sanne.save()

    commit(deactivate)
    assert account_name(visit(client, url)) is None
    assert visit(client, community.url + community.reverse_subpage("forum_new"))[
        "Location"
    ].startswith("/accounts/login/")


def test_an_erased_account_gets_no_stored_page(
    page_cache, visit, logged_in, daan, community, thread, commit
):
    client = logged_in(daan)
    visit(client, community.url)
    visit(client, community.url)
    commit(lambda: account_erase(actor=daan))
    assert account_name(visit(client, community.url)) is None


def test_after_logout_the_session_gets_no_stored_page(
    page_cache, visit, logged_in, sanne, community
):
    client = logged_in(sanne)
    visit(client, community.url)
    visit(client, community.url)
    old_session = client.cookies["sessionid"].value
    response = post_form(client, reverse("account_logout"), {}, form_url=community.url)
    assert response.status_code == 302
    assert account_name(visit(client, community.url)) is None
    # The old session cookie, sent again (a copy), is no login any more.
    client.cookies["sessionid"] = old_session
    assert account_name(visit(client, community.url)) is None


def test_a_pending_message_is_shown_not_the_stored_page(
    page_cache, visit, logged_in, make_user, community, moderator, join, topics
):
    """Nina applies through the form; its write is not committed here (as if she
    read her page before the commit was announced), so only the rule about pending
    messages keeps her stored page from being served without the message."""
    nina = make_user(name="Nina Nieuw")
    client = logged_in(nina)
    visit(client, community.url)
    before = visit(client, community.url)
    assert "Je bent lid" not in soup(before).select_one(".join-panel").get_text()
    apply_url = community.url + community.reverse_subpage("apply")
    response = post_form(
        client,
        apply_url,
        {
            "haal": "Ideeën om kinderen aan het lezen te krijgen.",
            "breng": "Ervaring met voorleesprojecten.",
            "haal_topics": [topics["leesbevordering"].pk],
            "breng_topics": [topics["evaluatie"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "messages" in client.cookies
    page = client.get(response["Location"])
    assert page.content != before.content
    assert soup(page).select_one(".messages") is not None


def test_a_hard_reload_renders_the_page_afresh(
    page_cache, visit, logged_in, sanne, community, django_assert_max_num_queries
):
    client = logged_in(sanne)
    visit(client, community.url)
    visit(client, community.url)
    community.title = "Stil veranderd"
    community.save()  # not committed: nothing announces it
    assert soup(visit(client, community.url)).h1.get_text(strip=True) != "Stil veranderd"
    with django_assert_max_num_queries(50) as queries:
        fresh = visit(client, community.url, HTTP_CACHE_CONTROL="no-cache")
    assert len(queries) > 0
    assert soup(fresh).h1.get_text(strip=True) == "Stil veranderd"
    # And stored: the next ordinary visit gets the fresh page.
    assert soup(visit(client, community.url)).h1.get_text(strip=True) == "Stil veranderd"


def test_a_members_write_leaves_the_visitors_pages_in_the_cache(
    page_cache, visit, sanne, community, thread, commit, django_assert_num_queries
):
    """Following a thread changes nothing a visitor sees: their pages stay."""
    from communities.forum.services import thread_follow

    visitor = Client()
    visit(visitor, community.url)
    commit(lambda: thread_follow(actor=sanne, thread=thread, mode="immediately"))
    with django_assert_num_queries(0):
        visit(visitor, community.url)


def test_reading_a_thread_ends_only_the_readers_own_pages(
    page_cache, visit, logged_in, sanne, daan, community, thread, django_assert_num_queries
):
    """Daan's read position moves when he opens the thread (his thread list changes:
    it is read now); nobody else's page shows it, so Sanne's stored page stays."""
    sanne_client = logged_in(sanne)
    visit(sanne_client, community.url)
    visit(sanne_client, community.url)
    opened = visit(logged_in(daan), thread_url(community, thread))
    assert post_bodies(opened) == ["Wie heeft ervaring met voorlezen in groep 3?"]
    with django_assert_num_queries(0):
        assert account_name(visit(sanne_client, community.url)) == "Sanne de Vries"


def test_following_a_thread_shows_at_once_to_the_follower_and_to_no_one_else(
    page_cache, visit, logged_in, sanne, daan, community, thread, commit, django_assert_num_queries
):
    from communities.forum.services import thread_follow

    url = thread_url(community, thread)
    daan_client, sanne_client = logged_in(daan), logged_in(sanne)
    for client in (daan_client, sanne_client, daan_client, sanne_client):
        visit(client, url)  # each stored once the read marker stops moving
    follow_button = soup(visit(daan_client, url)).select_one(".thread-tools button")
    assert follow_button.get_text(strip=True) == "Volgen"
    commit(lambda: thread_follow(actor=daan, thread=thread, mode="immediately"))
    tools = soup(visit(daan_client, url)).select_one(".thread-tools")
    assert tools.select_one("button").get_text(strip=True) == "Opslaan"
    assert "Je volgt deze draad:" in tools.get_text()
    with django_assert_num_queries(0):
        assert account_name(visit(sanne_client, url)) == "Sanne de Vries"


OUR_APPS = ("home", "communities", "forum", "members", "todo_lists", "teams")


def _receives(signal, model, receiver) -> bool:
    sync_receivers, async_receivers = signal._live_receivers(model)
    return receiver in sync_receivers or receiver in async_receivers


def test_every_model_of_our_apps_ends_the_members_pages():
    """A model added to one of our apps, or a relation between them, is watched
    without anyone remembering to add it (and allauth's e-mail addresses)."""
    models = [EmailAddress]
    for label in OUR_APPS:
        models += apps.get_app_config(label).get_models(include_auto_created=True)
    assert len(models) > 40
    for model in models:
        assert _receives(post_save, model, page_cache._on_row_change), model
        assert _receives(post_delete, model, page_cache._on_row_change), model
    for model in models:
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            assert _receives(m2m_changed, through, page_cache._on_relation_change), through
