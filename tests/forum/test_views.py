"""The forum pages per role, with CSRF enforced (tests/views_support.py)."""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from communities.forum.models import Follow, Post, Thread
from communities.forum.services import post_create
from tests.views_support import (
    client_for,
    main_text,
    post_form,
    soup,
    subpage_url,
)

pytestmark = pytest.mark.django_db


def shown_text(response) -> str:
    """The text of <main> as a person sees it: hidden elements left out."""
    main = soup(response).select_one("main")
    for element in main.select("[hidden]"):
        element.decompose()
    return " ".join(main.get_text(" ").split())


def test_an_anonymous_visitor_is_told_how_to_read_along(client, thread, community):
    """No silent redirect: the forum's pages say that the forum exists, how many
    threads it has, and link to the login with the way back (issue 13, item 9)."""
    for url in (
        subpage_url(community, "forum"),
        subpage_url(community, "forum_thread", thread.pk),
        subpage_url(community, "forum_post", thread.pk, thread.posts.get().pk),
    ):
        response = client.get(url)
        assert response.status_code == 200
        page = soup(response)
        assert page.h1.get_text(strip=True) == f"Forum van {community.title}"
        assert "Het forum heeft 1 draad." in main_text(response)
        login = page.select_one("main a.button")
        assert login.get_text(strip=True) == "Log in om mee te lezen"
        assert login["href"] == f"{reverse('account_login')}?next={quote(url)}"
        # Nothing of the conversation itself.
        assert "Voorleesprojecten op school" not in main_text(response)
        assert "voorlezen" not in main_text(response)
    # The JSON endpoint for scripts stays a plain refusal.
    assert client.get(f"/forum/draad/{thread.pk}/berichten/").status_code in (302, 403, 404)


def test_the_community_page_shows_visitors_the_forum(client, thread, community):
    response = client.get(community.url)
    section = soup(response).select_one("section.community-forum")
    assert section.h2.get_text(strip=True) == "Forum"
    text = " ".join(section.get_text(" ").split())
    assert "Het forum heeft 1 draad." in text
    assert "Iedereen uit het bibliotheeknetwerk kan meelezen na het inloggen" in text
    login = section.select_one("a.button")
    assert login.get_text(strip=True) == "Log in om mee te lezen"
    forum = subpage_url(community, "forum")
    assert login["href"] == f"{reverse('account_login')}?next={quote(forum)}"


def test_a_logged_in_person_gets_the_forum_link_and_its_size(outsider, thread, community):
    section = soup(client_for(outsider).get(community.url)).select_one("section.community-forum")
    assert "Het forum heeft 1 draad." in section.get_text(" ")
    assert section.select_one("a.button") is None
    assert section.select_one("a")["href"] == subpage_url(community, "forum")


def header_notifications(response):
    return soup(response).select_one("header .notifications-indicator a")


def test_the_header_counts_unread_mentions(member, other_member, thread, community):
    client = client_for(other_member)
    link = header_notifications(client.get("/"))
    assert link["href"] == reverse("forum:notifications")
    assert link.get_text(" ", strip=True) == "Meldingen"  # nothing unread: no number

    post_create(actor=member, thread=thread, body="Wat vind jij, @Daan Jansen?")
    post_create(actor=member, thread=thread, body="En dit, @Daan Jansen?")

    link = header_notifications(client.get("/"))
    assert link.select_one(".count-badge [aria-hidden]").get_text() == "2"
    assert link.select_one(".visually-hidden").get_text(strip=True) == "(2 ongelezen)"
    assert " ".join(link.get_text(" ").split()) == "Meldingen 2 (2 ongelezen)"

    post_form(client, reverse("forum:notifications"), {})  # mark all as read
    assert header_notifications(client.get("/")).select_one(".count-badge") is None


def test_the_header_indicator_costs_one_query_and_none_for_visitors(
    client, member, django_assert_num_queries
):
    from django.template import Context, Template
    from django.test import RequestFactory

    template = Template('{% include "includes/notifications_indicator.html" %}')
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        request.user = member
        assert "Meldingen" in template.render(Context({"user": member, "request": request}))
    with django_assert_num_queries(0):
        request.user = AnonymousUser()
        assert template.render(Context({"user": request.user, "request": request})).strip() == ""


def test_an_outsider_reads_but_cannot_post(outsider, thread, community):
    client = client_for(outsider)
    page = client.get(subpage_url(community, "forum_thread", thread.pk))
    assert page.status_code == 200
    text = shown_text(page)
    assert "Wie heeft ervaring met voorlezen in groep 3?" in text
    assert "become a member" in text or "word lid" in text.lower() or "lid" in text
    assert soup(page).select_one("form[data-forum-reply]") is None

    response = post_form(
        client,
        subpage_url(community, "forum_reply", thread.pk),
        {"body": "Ik doe toch mee"},
        form_url=subpage_url(community, "forum_thread", thread.pk),
    )
    assert response.status_code == 403
    assert not Post.objects.filter(body_source="Ik doe toch mee").exists()
    assert client.get(subpage_url(community, "forum_new")).status_code == 403


def test_a_member_replies_without_javascript(member, other_member, thread, community):
    client = client_for(other_member)
    thread_url = subpage_url(community, "forum_thread", thread.pk)
    response = post_form(
        client,
        subpage_url(community, "forum_reply", thread.pk),
        {"body": "Wij lezen voor in **groep 4**."},
        form_url=thread_url,
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Wij lezen voor in groep 4" in shown_text(page)
    assert "<strong>groep 4</strong>" in page.content.decode()


def test_posting_without_a_csrf_token_is_refused(member, thread, community):
    client = client_for(member)
    response = client.post(
        subpage_url(community, "forum_reply", thread.pk), {"body": "Zonder token"}
    )
    assert response.status_code == 403
    assert not Post.objects.filter(body_source="Zonder token").exists()


def test_an_empty_reply_gets_a_clear_error(member, thread, community):
    client = client_for(member)
    response = post_form(
        client,
        subpage_url(community, "forum_reply", thread.pk),
        {"body": ""},
        form_url=subpage_url(community, "forum_thread", thread.pk),
    )
    assert response.status_code == 400
    assert soup(response).select_one(".errorlist") is not None
    assert thread.posts.count() == 1


def test_a_member_starts_a_thread(member, community):
    client = client_for(member)
    response = post_form(
        client,
        subpage_url(community, "forum_new"),
        {"title": "Leesclubs voor tieners", "body": "Wie doet mee?"},
    )
    assert response.status_code == 302
    thread = Thread.objects.get(title="Leesclubs voor tieners")
    listing = client.get(subpage_url(community, "forum"))
    assert "Leesclubs voor tieners" in shown_text(listing)
    assert Follow.objects.filter(user=member, thread=thread).exists()


def test_the_list_shows_pinned_first_replies_and_unread(
    member, other_member, moderator, thread, community, django_capture_on_commit_callbacks
):
    from communities.forum.services import post_create, thread_create, thread_set_pinned

    with django_capture_on_commit_callbacks(execute=True):
        newer = thread_create(actor=other_member, community=community, title="Nieuwer", body="x")
        post_create(actor=other_member, thread=thread, body="Antwoord")
        thread_set_pinned(actor=moderator, thread=newer, pinned=True)
    page = client_for(member).get(subpage_url(community, "forum"))
    rows = soup(page).select("[data-thread-id]")
    assert [int(row["data-thread-id"]) for row in rows] == [newer.pk, thread.pk]
    texts = [" ".join(row.get_text(" ").split()) for row in rows]
    assert "Vastgezet" in texts[0] or "Pinned" in texts[0]
    assert "1 reactie" in texts[1] or "1 reply" in texts[1]
    # Unread for the member: both have posts they have not seen.
    assert all(row.select_one(".thread-row__new").get("hidden") is None for row in rows)


@pytest.mark.parametrize(
    ("who", "status"),
    [("member", 403), ("outsider", 403), ("moderator", 302), ("coordinator", 302)],
)
def test_who_may_hide_a_post(request, who, status, thread, community):
    user = request.getfixturevalue(who)
    post = thread.posts.get()
    url = subpage_url(community, "forum_hide", thread.pk, post.pk)
    client = client_for(user)
    response = post_form(
        client,
        url,
        {"action": "hide", "reason": "Buiten het onderwerp"},
        form_url=url,
        fallback_url=subpage_url(community, "forum"),
    )
    assert response.status_code == status
    post.refresh_from_db()
    assert (post.hidden_at is not None) == (status == 302)
    if status == 302:
        page = client_for(request.getfixturevalue("outsider")).get(
            subpage_url(community, "forum_thread", thread.pk)
        )
        text = shown_text(page)
        assert "Buiten het onderwerp" in text
        assert "Wie heeft ervaring" not in text


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("moderator", 302)])
def test_who_may_lock_pin_and_move(request, who, status, thread, community, other_community):
    client = client_for(request.getfixturevalue(who))
    url = subpage_url(community, "forum_moderate", thread.pk)
    for data in ({"action": "lock"}, {"action": "pin"}):
        response = post_form(
            client, url, data, form_url=url, fallback_url=subpage_url(community, "forum")
        )
        assert response.status_code == status
    thread.refresh_from_db()
    assert thread.locked == thread.pinned == (status == 302)
    response = post_form(
        client,
        url,
        {"action": "move", "target": other_community.pk},
        form_url=url,
        fallback_url=subpage_url(community, "forum"),
    )
    assert response.status_code == status
    thread.refresh_from_db()
    assert (thread.community_id == other_community.pk) == (status == 302)
    if status == 302:
        # The old address leads to the new place.
        old = client.get(subpage_url(community, "forum_thread", thread.pk))
        assert old.status_code == 302
        assert old["Location"] == subpage_url(other_community, "forum_thread", thread.pk)


def test_a_locked_thread_shows_no_reply_form(moderator, member, thread, community):
    client = client_for(moderator)
    url = subpage_url(community, "forum_moderate", thread.pk)
    post_form(client, url, {"action": "lock"})
    page = client_for(member).get(subpage_url(community, "forum_thread", thread.pk))
    assert soup(page).select_one("form[data-forum-reply]") is None
    assert "locked" in shown_text(page).lower() or "gesloten" in shown_text(page).lower()


def test_edit_own_post_shows_edited_mark(member, other_member, thread, community):
    post = thread.posts.get()
    url = subpage_url(community, "forum_edit", thread.pk, post.pk)
    assert client_for(other_member).get(url).status_code == 403
    client = client_for(member)
    response = post_form(client, url, {"body": "Aangepaste vraag"})
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True)
    text = shown_text(page)
    assert "Aangepaste vraag" in text
    assert "bewerkt" in text


def test_catch_up_endpoint_returns_posts_after_an_id(
    member, other_member, thread, django_capture_on_commit_callbacks
):
    from communities.forum.services import post_create

    first = thread.posts.get()
    with django_capture_on_commit_callbacks(execute=True):
        second = post_create(actor=other_member, thread=thread, body="Tweede")
    client = client_for(member)
    data = client.get(f"/forum/draad/{thread.pk}/berichten/", {"na": first.pk}).json()
    assert [post["id"] for post in data["posts"]] == [second.pk]
    assert "Tweede" in data["posts"][0]["html"]
    assert data["more"] is False
    assert client.get(f"/forum/draad/{thread.pk}/berichten/", {"na": "x"}).status_code == 400
    assert client.get("/forum/draad/999999/berichten/").status_code == 404


def test_notifications_page(member, other_member, thread, community):
    client = client_for(member)
    post_form(
        client,
        subpage_url(community, "forum_reply", thread.pk),
        {"body": "Wat vind jij, @Daan Jansen?"},
        form_url=subpage_url(community, "forum_thread", thread.pk),
    )
    own = client_for(other_member)
    page = own.get("/meldingen/")
    assert "Sanne de Vries" in shown_text(page)
    listing = own.get(subpage_url(community, "forum"))
    assert "1" in shown_text(listing)
    response = post_form(own, "/meldingen/", {})
    assert response.status_code == 302
    assert soup(own.get("/meldingen/")).select_one(".notification--unread") is None


def test_notification_preferences_on_the_profile(member):
    client = client_for(member)
    response = post_form(
        client,
        "/profiel/",
        {
            "action": "preferences",
            "notify-follow_email_mode": "daily",
        },
    )
    assert response.status_code == 302
    member.profile.refresh_from_db()
    assert member.profile.mention_email is False
    assert member.profile.follow_email_mode == "daily"


def test_forum_results_in_the_site_search_need_a_login(
    client, member, thread, django_capture_on_commit_callbacks
):
    from communities.forum.services import post_create

    with django_capture_on_commit_callbacks(execute=True):
        post_create(actor=member, thread=thread, body="Wij gebruiken prentenboeken in groep 1")
    logged_in = client_for(member).get("/zoeken/", {"q": "Voorleesprojecten"})
    links = [a.get_text(" ", strip=True) for a in soup(logged_in).select(".forum-search-results a")]
    assert "Voorleesprojecten op school" in links
    posts = client_for(member).get("/zoeken/", {"q": "prentenboeken"})
    assert "prentenboeken in groep 1" in shown_text(posts)
    anonymous = client.get("/zoeken/", {"q": "Voorleesprojecten"})
    assert soup(anonymous).select_one(".forum-search-results") is None


def test_the_beginning_of_a_title_word_and_the_facets_apply_to_forum_results(member, thread):
    def forum_links(**params):
        response = client_for(member).get("/zoeken/", params)
        return [a.get_text(strip=True) for a in soup(response).select(".forum-search-results a")]

    assert forum_links(q="Voorlees") == ["Voorleesprojecten op school"]  # community 1: youth
    assert forum_links(q="Voorlees", priority="jeugd-onderwijs") == ["Voorleesprojecten op school"]
    assert forum_links(q="Voorlees", priority="participatie") == []
