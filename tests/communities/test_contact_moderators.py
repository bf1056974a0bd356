"""Contact a moderator (issue 15): the moderators are the community's point of
contact for questions. A logged-in person who is not a member writes to them; the
message reaches each current moderator by e-mail with the sender's address as
Reply-To, and the moderators' addresses reach the sender only when they answer.
(The rate limit is in tests/security/test_abuse_limits.py.)"""

from email.header import decode_header, make_header

import pytest
from django.core import mail

from communities.services.contact import moderators_contact
from tests.views_support import (
    client_for,
    login_redirect_target,
    main_text,
    post_form,
    soup,
    subpage_url,
    visible_text,
)

pytestmark = pytest.mark.django_db

QUESTION = {"subject": "Aansluiten?", "message": "Kan onze bibliotheek ook meedoen?\nGroet, Olga"}


def _subject(message) -> str:
    return str(make_header(decode_header(message.message()["Subject"])))


@pytest.fixture
def outsider(make_user):
    return make_user(name="Olga Buiten", email="olga@buiten.example")


@pytest.fixture
def moderators(make_user, appoint, community, moderator):
    second = make_user(name="Mo Tweede", email="mo.tweede@bieb.example")
    appoint(second, community)
    return [moderator, second]


def _send(client, community, data, capture):
    with capture(execute=True):
        return post_form(client, subpage_url(community, "contact_moderators"), data)


def test_an_outsider_writes_and_each_moderator_gets_their_own_e_mail(
    outsider, moderators, community, django_capture_on_commit_callbacks
):
    client = client_for(outsider)
    page = client.get(subpage_url(community, "contact_moderators"))
    text = main_text(page)
    assert f"Vraag het de moderators van {community.title}" in text
    assert "Mira Moderator" in text and "Mo Tweede" in text

    response = _send(client, community, QUESTION, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    to_moderators = [m for m in mail.outbox if m.to != [outsider.email]]
    assert sorted(m.to[0] for m in to_moderators) == sorted(u.email for u in moderators)
    for message in to_moderators:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert message.reply_to == [outsider.email]
        assert _subject(message) == f"Vraag voor de moderators van {community.title}: Aansluiten?"
        assert f"Olga Buiten, geen lid van {community.title}, vraagt de moderators:" in message.body
        assert "Kan onze bibliotheek ook meedoen?\nGroet, Olga" in message.body


def test_no_moderator_address_reaches_the_sender(
    outsider, moderators, community, django_capture_on_commit_callbacks
):
    client = client_for(outsider)
    form_page = client.get(subpage_url(community, "contact_moderators")).content.decode()
    response = _send(client, community, QUESTION, django_capture_on_commit_callbacks)
    after = client.get(response["Location"]).content.decode()
    [copy] = [m for m in mail.outbox if m.to == [outsider.email]]
    copy_source = copy.message().as_string()

    assert _subject(copy) == f"Je vraag aan de moderators van {community.title}: Aansluiten?"
    for moderator in moderators:
        for surface in (form_page, after, copy_source):
            assert moderator.email not in surface
    assert "Je bericht is naar de moderators verstuurd." in after


def test_the_subject_stays_on_one_line_and_a_long_message_is_refused(
    outsider, moderators, community, django_capture_on_commit_callbacks
):
    client = client_for(outsider)
    _send(
        client,
        community,
        {"subject": "Vraag\r\nBcc: iedereen@example.org", "message": "Hoi"},
        django_capture_on_commit_callbacks,
    )
    [message, *_] = [m for m in mail.outbox if m.to == [moderators[0].email]]
    assert message.subject == (
        f"Vraag voor de moderators van {community.title}: Vraag Bcc: iedereen@example.org"
    )
    assert "Bcc" not in {key for key, _value in message.message().items()}

    mail.outbox.clear()
    response = _send(
        client,
        community,
        {"subject": "Lang", "message": "x" * 3001},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert "Zorg dat deze waarde niet meer dan 3000 tekens bevat" in main_text(response)
    assert mail.outbox == []


def test_a_visitor_is_asked_to_log_in(client, community, moderators):
    url = subpage_url(community, "contact_moderators")
    assert login_redirect_target(client.get(url)) == url
    page = soup(client.get(community.url))
    assert page.select_one(f'a[href="{url}"]').get_text() == "Stel de moderators een vraag"


def test_members_see_the_normal_community_page(
    make_user, join, community, moderators, outsider, django_capture_on_commit_callbacks
):
    member = make_user(name="Lid Lies")
    join(member, community)
    url = subpage_url(community, "contact_moderators")
    member_client = client_for(member)

    assert soup(member_client.get(community.url)).select_one(f'a[href="{url}"]') is None
    assert soup(client_for(outsider).get(community.url)).select_one(f'a[href="{url}"]')
    response = member_client.get(url)
    assert response.status_code == 302 and response["Location"] == community.url
    assert "Als lid stel je je vraag aan de moderators in het forum." in visible_text(
        member_client.get(community.url)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_form(member_client, url, QUESTION, form_url=community.url)
    assert mail.outbox == []


def test_a_community_without_moderator_is_refused_in_the_service(
    outsider, other_community, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        moderators_contact(
            actor=outsider, community=other_community, subject="Vraag", message="Hoi"
        )
    assert mail.outbox == []
