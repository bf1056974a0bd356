"""Joining a community and moderating it, through the real views.

Every POST here is CSRF-checked (`Client(enforce_csrf_checks=True)`, token from
the form page), so these tests also prove the forms carry a working token.

The people (`cast`) are set up through the real services, using the fixtures of
tests/memberships.py: a moderator of the community, a moderator of
another community, an ex-moderator whose term ended today, an active member, a
pending applicant, an outsider and a network coordinator (group member, not a
superuser).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from communities.forms import DecisionForm, IntakeForm
from communities.models import Membership, MembershipState, Moderatorship
from communities.services.moderators import LAST_MODERATOR_MESSAGE, moderatorship_end
from tests.factories import CommunityPageFactory
from tests.views_support import (
    client_for,
    default_language,
    login_redirect_target,
    main_text,
    post_form,
    soup,
    subpage_url,
    visible_text,
    world,
)

MEMBER_HAAL = "Voorbeelden van voorleesprojecten met scholen in de wijk."
MEMBER_BRENG = "Een draaiboek voor ouderavonden over lezen."
APPLICANT_HAAL = "Contacten met pabo's voor stages in de bibliotheek."
APPLICANT_BRENG = "Twee jaar ervaring met de Bibliotheek op school."

ROLES = [
    "anonymous",
    "outsider",
    "applicant",
    "member",
    "moderator",
    "other_moderator",
    "ex_moderator",
    "coordinator",
]
DECIDERS = {"moderator", "coordinator"}


def dutch(message) -> str:
    """`message` as a Dutch-speaking visitor sees it (Dutch is the default language)."""
    with translation.override("nl"):
        return str(gettext(message) if isinstance(message, str) else message)


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


# --- the people -------------------------------------------------------------------


@pytest.fixture
def community(site_tree):
    """The community under test (a live, active community page)."""
    return CommunityPageFactory(parent=site_tree, title="Leesplezier in de wijk")


@pytest.fixture
def other_community(site_tree):
    return CommunityPageFactory(parent=site_tree, title="Makers in de bibliotheek")


@dataclass
class Cast:
    outsider: object
    applicant: object
    member: object
    moderator: object
    other_moderator: object
    ex_moderator: object
    coordinator: object
    application: Membership
    membership: Membership
    moderator_term: Moderatorship

    def user(self, role):
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def cast(
    community,
    other_community,
    make_user,
    apply,
    join,
    appoint,
    coordinator,
    network_coordinator,
    topics,
    today,
):
    moderator = make_user(name="Mira Moderator")
    moderator_term = appoint(moderator, community)
    other_moderator = make_user(name="Otto Andermans")
    appoint(other_moderator, other_community)
    ex_moderator = make_user(name="Eva Oudgediende")
    old_term = appoint(ex_moderator, community, start_date=today - datetime.timedelta(days=90))
    moderatorship_end(actor=coordinator, moderatorship=old_term)
    member = make_user(name="Mats Lid")
    membership = join(
        member,
        community,
        haal=MEMBER_HAAL,
        breng=MEMBER_BRENG,
        haal_topics=[topics["leesbevordering"]],
        breng_topics=[topics["evaluatie"]],
    )
    applicant = make_user(name="Anna Aanvrager")
    application = apply(applicant, community, haal=APPLICANT_HAAL, breng=APPLICANT_BRENG)
    return Cast(
        outsider=make_user(name="Olga Buitenstaander"),
        applicant=applicant,
        member=member,
        moderator=moderator,
        other_moderator=other_moderator,
        ex_moderator=ex_moderator,
        coordinator=network_coordinator,
        application=application,
        membership=membership,
        moderator_term=moderator_term,
    )


def is_current_moderator(user, community) -> bool:
    return Moderatorship.objects.current().filter(user=user, community=community).exists()


def outcome(response, requested_url: str, community):
    """What a person experiences: a status code, the login page (with a `next` that
    brings them back), or a redirect to a named route of the community."""
    if response.status_code != 302:
        return response.status_code
    next_url = login_redirect_target(response)
    if next_url is not None:
        return "login" if next_url == requested_url else f"login, next={next_url}"
    location = response["Location"]
    if location == community.url:
        return "→page"
    for name in ("apply", "my_application", "moderation", "members", "moderators"):
        if location == subpage_url(community, name):
            return f"→{name}"
    return f"→{location}"


# --- who may open which page --------------------------------------------------------

# Per route: the outcome for the roles that differ from an outsider's.
GET_EXPECTATIONS = {
    "page": {"outsider": 200, "anonymous": 200},
    "apply": {
        "outsider": 200,
        **dict.fromkeys(["applicant", "member", "moderator", "ex_moderator"], "→my_application"),
    },
    "my_application": {
        "outsider": "→apply",
        **dict.fromkeys(["applicant", "member", "moderator", "ex_moderator"], 200),
    },
    "withdraw": {"outsider": 404, "applicant": 200},
    "leave": {"outsider": 404, **dict.fromkeys(["member", "moderator", "ex_moderator"], 200)},
    "members": {"outsider": 200},
    "end_membership": {"outsider": 403, **dict.fromkeys(DECIDERS, 200)},
    "moderation": {"outsider": 403, **dict.fromkeys(DECIDERS, 200)},
    "decide": {"outsider": 403, **dict.fromkeys(DECIDERS, "→moderation")},
    "moderators": {"outsider": 403, **dict.fromkeys(DECIDERS, 200)},
    "end_moderatorship": {"outsider": 403, "coordinator": 200},
    "moderation_overview": {"outsider": 403, "coordinator": 200},
    "profile": {"outsider": 200},
    "profile_edit": {"outsider": 200},
}


def get_urls(cast, community) -> dict[str, str]:
    return {
        "page": community.url,
        "apply": subpage_url(community, "apply"),
        "my_application": subpage_url(community, "my_application"),
        "withdraw": subpage_url(community, "withdraw"),
        "leave": subpage_url(community, "leave"),
        "members": subpage_url(community, "members"),
        "end_membership": subpage_url(community, "end_membership", cast.membership.pk),
        "moderation": subpage_url(community, "moderation"),
        "decide": subpage_url(community, "decide", cast.application.pk),
        "moderators": subpage_url(community, "moderators"),
        "end_moderatorship": subpage_url(community, "end_moderatorship", cast.moderator_term.pk),
        "moderation_overview": reverse("moderation_overview"),
        "profile": reverse("members:profile", args=[cast.member.pk]),
        "profile_edit": reverse("members:profile_edit"),
    }


def expected_get(route: str, role: str):
    expectations = GET_EXPECTATIONS[route]
    if role in expectations:
        return expectations[role]
    if role == "anonymous":
        return "login"
    return expectations["outsider"]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_which_page(cast, community, role):
    client = client_for(cast.user(role))
    urls = get_urls(cast, community)

    seen = {route: outcome(client.get(url), url, community) for route, url in urls.items()}

    assert seen == {route: expected_get(route, role) for route in urls}


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_member_list_is_open_to_the_network_but_answers_only_to_moderators(cast, community, role):
    response = client_for(cast.user(role)).get(subpage_url(community, "members"))

    assert response.status_code == 200
    text = main_text(response)
    assert "Mats Lid" in text and "Mira Moderator" in text
    shows_answers = role in DECIDERS
    assert (MEMBER_HAAL in text) is shows_answers
    assert (MEMBER_BRENG in text) is shows_answers
    assert ("leesbevordering" in text) is shows_answers  # the haal topic
    end_link = subpage_url(community, "end_membership", cast.membership.pk)
    assert bool(soup(response).select(f'a[href="{end_link}"]')) is shows_answers
    # A pending applicant is not a member yet, for nobody.
    assert "Anna Aanvrager" not in text


@pytest.mark.parametrize("role", ROLES)
def test_community_page_links_to_moderation_only_for_moderators(cast, community, role):
    response = client_for(cast.user(role)).get(community.url)

    assert response.status_code == 200
    links = {a["href"] for a in soup(response).select("main a[href]")}
    assert (subpage_url(community, "moderation") in links) is (role in DECIDERS)
    assert (subpage_url(community, "members") in links) is (role != "anonymous")
    assert (subpage_url(community, "moderators") in links) is (role in DECIDERS)


# --- who may change what ------------------------------------------------------------


@pytest.fixture
def extra_term(make_user, appoint, community):
    """A second current moderator, so that ending a term is not refused as the last one."""
    return appoint(make_user(name="Bram Bijspringer"), community)


def post_case(action, cast, community, request, today):
    """(url, form page, data, what must hold afterwards when allowed, redirect) per action."""
    application, membership = cast.application, cast.membership
    if action == "decide":
        prefix = f"m{application.pk}"
        return (
            subpage_url(community, "decide", application.pk),
            subpage_url(community, "moderation"),
            {f"{prefix}-decision": "accept", f"{prefix}-message": ""},
            lambda role: Membership.objects.get(pk=application.pk).state == MembershipState.ACTIVE,
            "→moderation",
        )
    if action == "end_membership":
        url = subpage_url(community, "end_membership", membership.pk)
        return (
            url,
            url,
            {"reason": "Al een jaar niet meer actief."},
            lambda role: Membership.objects.get(pk=membership.pk).state == MembershipState.ENDED,
            "→members",
        )
    moderators_url = subpage_url(community, "moderators")
    if action == "appoint":
        return (
            moderators_url,
            moderators_url,
            {
                "action": "appoint",
                "user": cast.member.pk,
                "start_date": today.isoformat(),
                "end_date": "",
            },
            lambda role: is_current_moderator(cast.member, community),
            "→moderators",
        )
    if action == "hand_over":
        return (
            moderators_url,
            moderators_url,
            {"action": "hand_over", "successor": cast.member.pk},
            lambda role: (
                is_current_moderator(cast.member, community)
                and not is_current_moderator(cast.moderator, community)
            ),
            "→page",
        )
    if action == "end_term":
        extra_term = request.getfixturevalue("extra_term")
        url = subpage_url(community, "end_moderatorship", extra_term.pk)
        return (
            url,
            url,
            {},
            lambda role: Moderatorship.objects.get(pk=extra_term.pk).end_date == today,
            "→moderators",
        )
    if action == "withdraw":
        url = subpage_url(community, "withdraw")
        return (
            url,
            url,
            {},
            lambda role: (
                Membership.objects.get(pk=application.pk).state == MembershipState.WITHDRAWN
            ),
            "→page",
        )
    if action == "leave":
        url = subpage_url(community, "leave")
        return (
            url,
            url,
            {},
            lambda role: (
                Membership.objects.get(user=cast.user(role), community=community).state
                == MembershipState.LEFT
            ),
            "→page",
        )
    raise AssertionError(action)


# Per action: the outcome for each role other than "403 and nothing changes".
POST_EXPECTATIONS = {
    "decide": dict.fromkeys(DECIDERS, "ok"),
    "end_membership": dict.fromkeys(DECIDERS, "ok"),
    "appoint": {"coordinator": "ok"},
    "hand_over": {"moderator": "ok"},
    "end_term": {"coordinator": "ok"},
    # Only the applicant, and only while the application is undecided.
    "withdraw": {
        "applicant": "ok",
        **dict.fromkeys(
            ["outsider", "member", "moderator", "other_moderator", "ex_moderator", "coordinator"],
            404,
        ),
    },
    # The moderator is the last current one: leaving is refused (see below).
    "leave": {
        "member": "ok",
        "ex_moderator": "ok",
        "moderator": 400,
        **dict.fromkeys(["outsider", "applicant", "other_moderator", "coordinator"], 404),
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(POST_EXPECTATIONS))
def test_who_may_change_what(cast, community, request, today, action, role):
    url, form_url, data, done, redirect = post_case(action, cast, community, request, today)
    expected = POST_EXPECTATIONS[action].get(role, "login" if role == "anonymous" else 403)
    client = client_for(cast.user(role))
    before = world()

    response = post_form(client, url, data, form_url=form_url, fallback_url=community.url)

    if expected == "ok":
        assert outcome(response, url, community) == redirect
        assert done(role)
    else:
        assert outcome(response, url, community) == expected
        assert world() == before


@pytest.mark.parametrize(
    "role, url_name, data",
    [
        ("outsider", "apply", {"haal": APPLICANT_HAAL, "breng": APPLICANT_BRENG}),
        ("applicant", "withdraw", {}),
        ("member", "leave", {}),
        ("moderator", "decide", "accept"),
        ("moderator", "end_membership", {"reason": "Vertrokken bij de bibliotheek."}),
        ("coordinator", "moderators", {"action": "appoint"}),
        ("moderator", "moderators", {"action": "hand_over"}),
        ("coordinator", "end_moderatorship", {}),
    ],
)
def test_a_post_without_csrf_token_is_refused_and_changes_nothing(
    cast, community, extra_term, today, role, url_name, data
):
    client = client_for(cast.user(role))
    if url_name == "decide":
        prefix = f"m{cast.application.pk}"
        url = subpage_url(community, "decide", cast.application.pk)
        data = {f"{prefix}-decision": "accept", f"{prefix}-message": ""}
    elif url_name == "end_membership":
        url = subpage_url(community, "end_membership", cast.membership.pk)
    elif url_name == "end_moderatorship":
        url = subpage_url(community, "end_moderatorship", extra_term.pk)
    else:
        url = subpage_url(community, url_name)
    if data.get("action") == "appoint":
        data = {**data, "user": cast.member.pk, "start_date": today.isoformat()}
    elif data.get("action") == "hand_over":
        data = {**data, "successor": cast.member.pk}
    assert client.get(community.url).status_code == 200  # has the cookie, not the token
    before = world()

    response = client.post(url, data)

    assert response.status_code == 403
    assert world() == before


# --- applying -----------------------------------------------------------------------


def test_apply_through_the_form(
    cast, community, topics, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for(cast.outsider)
    apply_url = subpage_url(community, "apply")
    form = soup(client.get(apply_url))
    assert form.select_one("textarea[name=haal]") is not None
    assert form.select_one("textarea[name=breng]") is not None
    topic_box = form.select_one(f'input[name=haal_topics][value="{topics["evaluatie"].pk}"]')
    assert topic_box is not None and topic_box["type"] == "checkbox"

    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(
            client,
            apply_url,
            {
                "haal": "Hulp bij het meten van effect.",
                "breng": "Een netwerk van leesconsulenten.",
                "haal_topics": [topics["evaluatie"].pk],
                "breng_topics": [topics["leesbevordering"].pk, topics["subsidies aanvragen"].pk],
                "self_role": "verbinder",
                "organisation": "",
            },
        )

    assert outcome(response, apply_url, community) == "→my_application"
    membership = Membership.objects.get(user=cast.outsider, community=community)
    assert membership.state == MembershipState.PENDING
    assert membership.haal == "Hulp bij het meten van effect."
    assert list(membership.haal_topics.all()) == [topics["evaluatie"]]
    assert set(membership.breng_topics.all()) == {
        topics["leesbevordering"],
        topics["subsidies aanvragen"],
    }
    assert membership.self_role == "verbinder"
    # Only the current moderator hears of it: not the ex-moderator, not the coordinators.
    assert [message.to for message in mailoutbox] == [[cast.moderator.email]]
    assert "Olga Buitenstaander" in mailoutbox[0].body

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = visible_text(page)
    assert "Hulp bij het meten van effect." in text
    assert (
        dutch(
            "Thank you! The moderators will look at your application soon; you will get an e-mail."
        )
        in text
    )
    assert dutch(MembershipState.PENDING.label) in text


@pytest.mark.parametrize("role", ["applicant", "member", "moderator"])
def test_applying_twice_says_so_and_creates_nothing(cast, community, role, mailoutbox):
    client = client_for(cast.user(role))
    apply_url = subpage_url(community, "apply")
    before = world()

    response = post_form(
        client,
        apply_url,
        {"haal": "Nog een keer", "breng": "Nog een keer"},
        form_url=community.url,
    )

    assert outcome(response, apply_url, community) == "→my_application"
    assert world() == before
    assert mailoutbox == []
    page = client.get(response["Location"])
    assert dutch("You have already applied to this community or are a member of it.") in (
        visible_text(page)
    )


def intake_error(field: str, data: dict, language: str) -> str:
    with translation.override(language):
        form = IntakeForm(data)
        assert not form.is_valid()
        return form.errors[field][0]


@pytest.mark.parametrize(
    "field, data",
    [
        # Haal "en/of" breng: one of the two may stay empty, not both.
        ("haal", {"haal": "", "breng": ""}),
        ("haal", {"haal": "   ", "breng": " \n "}),
        ("breng", {"haal": "Tips voor leesclubs.", "breng": "x" * 2001}),
        ("haal_topics", {"haal": "Tips.", "breng": "Ervaring.", "haal_topics": ["999999"]}),
        ("breng_topics", {"haal": "Tips.", "breng": "Ervaring.", "breng_topics": ["geen-getal"]}),
    ],
    ids=["both-empty", "both-blank", "overlong-breng", "unknown-topic", "malformed-topic"],
)
def test_bad_intake_is_shown_again_with_a_translated_error(cast, community, field, data):
    client = client_for(cast.outsider)
    apply_url = subpage_url(community, "apply")
    before = world()

    response = post_form(client, apply_url, data)

    assert response.status_code == 200
    html = response.content.decode()
    message = intake_error(field, data, "nl")
    assert message != intake_error(field, data, "en")  # Django's own Dutch catalogue
    assert escape(message) in html
    assert soup(response).select_one(".form-errors[role=alert]") is not None
    assert world() == before
    # What the person typed is still there to correct.
    if data["haal"].strip():
        assert soup(response).select_one("textarea[name=haal]").get_text().strip() == data["haal"]


HAAL_OR_BRENG = "Schrijf op wat je uit deze community wilt halen, wat je kunt brengen, of allebei."


def test_haal_and_breng_both_empty_is_one_dutch_error(cast, community):
    before = world()
    response = post_form(
        client_for(cast.outsider), subpage_url(community, "apply"), {"haal": "", "breng": ""}
    )

    assert response.status_code == 200
    assert world() == before
    page = soup(response)
    # At the first field, and in the summary above the form with a link to it.
    assert HAAL_OR_BRENG in page.select_one("textarea[name=haal]").find_parent("div").get_text()
    summary = [" ".join(li.get_text().split()) for li in page.select(".error-summary li")]
    assert summary == [f"{dutch(IntakeForm.base_fields['haal'].label)} {HAAL_OR_BRENG}"]
    assert [a["href"] for a in page.select(".error-summary a")] == ["#id_haal"]


@pytest.mark.parametrize(
    "answers",
    [{"haal": "Tips voor leesclubs.", "breng": ""}, {"haal": "", "breng": "Ervaring."}],
    ids=["only-haal", "only-breng"],
)
def test_one_of_haal_and_breng_is_enough(cast, community, answers):
    response = post_form(client_for(cast.outsider), subpage_url(community, "apply"), answers)

    assert response.status_code == 302
    membership = Membership.objects.get(user=cast.outsider, community=community)
    assert (membership.haal, membership.breng, membership.state) == (
        answers["haal"],
        answers["breng"],
        "pending",
    )


def test_apply_to_an_archived_community_is_refused(cast, community):
    community.status = "dissolved"
    community.save_revision().publish()
    client = client_for(cast.outsider)
    before = world()

    response = post_form(
        client,
        subpage_url(community, "apply"),
        {"haal": "a", "breng": "b"},
        form_url=community.url,
    )

    # The archive's own refusal page (communities/views/archive.py), changing nothing.
    assert response.status_code == 403
    assert world() == before


# --- the applicant's own page ---------------------------------------------------------


def test_applicant_answers_a_question_and_withdraws(cast, community):
    moderator = client_for(cast.moderator)
    prefix = f"m{cast.application.pk}"
    response = post_form(
        moderator,
        subpage_url(community, "decide", cast.application.pk),
        {f"{prefix}-decision": "ask", f"{prefix}-message": "Bij welke bibliotheek werk je?"},
        form_url=subpage_url(community, "moderation"),
    )
    assert outcome(response, "", community) == "→moderation"

    applicant = client_for(cast.applicant)
    page_url = subpage_url(community, "my_application")
    page = applicant.get(page_url)
    assert "Bij welke bibliotheek werk je?" in visible_text(page)
    assert soup(page).select_one("textarea[name=answer]") is not None

    response = post_form(
        applicant, page_url, {"action": "answer", "answer": "Bij de Bibliotheek Utrecht."}
    )
    assert outcome(response, page_url, community) == "→my_application"
    assert Membership.objects.get(pk=cast.application.pk).state == MembershipState.PENDING

    # Withdrawing asks first: the page links to a confirmation, which changes nothing.
    withdraw_url = subpage_url(community, "withdraw")
    assert soup(applicant.get(page_url)).select_one(f'main a[href="{withdraw_url}"]')
    confirmation = applicant.get(withdraw_url)
    assert confirmation.status_code == 200
    assert dutch("Yes, withdraw my application") in main_text(confirmation)
    assert Membership.objects.get(pk=cast.application.pk).state == MembershipState.PENDING

    response = post_form(applicant, withdraw_url, {})
    assert outcome(response, withdraw_url, community) == "→page"
    assert Membership.objects.get(pk=cast.application.pk).state == MembershipState.WITHDRAWN
    # And the community page offers to apply again.
    links = {a["href"] for a in soup(applicant.get(community.url)).select("main a[href]")}
    assert subpage_url(community, "apply") in links


def test_a_member_cannot_withdraw_an_accepted_membership(cast, community):
    client = client_for(cast.member)
    page_url = subpage_url(community, "my_application")
    withdraw_url = subpage_url(community, "withdraw")
    before = world()

    response = post_form(client, withdraw_url, {}, form_url=page_url)

    assert response.status_code == 404
    assert world() == before
    page = client.get(page_url)
    assert dutch(MembershipState.ACTIVE.label) in main_text(page)
    assert not soup(page).select(f'a[href="{withdraw_url}"]')


# --- user text is text ----------------------------------------------------------------

SCRIPT = '<script>alert("haal")</script>'
IMAGE = "<img src=x onerror=alert(document.cookie)>"
NAME = '<b onmouseover="alert(1)">Xander</b>'


def assert_shown_as_text(response, *texts):
    assert response.status_code == 200
    page = soup(response)
    assert not page.find_all(attrs={"onerror": True})
    assert not page.find_all(attrs={"onmouseover": True})
    assert not [tag for tag in page.find_all("script") if "alert" in tag.get_text()]
    html = response.content.decode()
    shown = page.get_text()
    for text in texts:
        assert text in shown  # the reader sees exactly what was typed ...
        assert text not in html  # ... because it was escaped


def test_user_text_is_shown_escaped_everywhere(cast, community, make_user):
    person = make_user(name=NAME)
    applicant = client_for(person)
    apply_url = subpage_url(community, "apply")
    response = post_form(
        applicant, apply_url, {"haal": f"Ideeën {SCRIPT}", "breng": f"Plaatjes {IMAGE}"}
    )
    assert outcome(response, apply_url, community) == "→my_application"
    membership = Membership.objects.get(user=person, community=community)

    moderator = client_for(cast.moderator)
    moderation_url = subpage_url(community, "moderation")
    assert_shown_as_text(moderator.get(moderation_url), NAME, SCRIPT, IMAGE)

    prefix = f"m{membership.pk}"
    question = f"Wat bedoel je met {IMAGE}?"
    post_form(
        moderator,
        subpage_url(community, "decide", membership.pk),
        {f"{prefix}-decision": "ask", f"{prefix}-message": question},
        form_url=moderation_url,
    )
    assert_shown_as_text(
        applicant.get(subpage_url(community, "my_application")), question, SCRIPT, IMAGE
    )

    post_form(
        moderator,
        subpage_url(community, "decide", membership.pk),
        {f"{prefix}-decision": "accept"},
        form_url=moderation_url,
    )
    assert Membership.objects.get(pk=membership.pk).state == MembershipState.ACTIVE
    members_url = subpage_url(community, "members")
    assert_shown_as_text(moderator.get(members_url), NAME, SCRIPT, IMAGE)
    assert_shown_as_text(client_for(cast.outsider).get(members_url), NAME)
    profile_url = reverse("members:profile", args=[person.pk])
    assert_shown_as_text(client_for(cast.outsider).get(profile_url), NAME)


# --- deciding -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "decision, error",
    [
        (DecisionForm.DECLINE, "Please give a reason."),
        (DecisionForm.ASK, "Please write down your question."),
    ],
)
@pytest.mark.parametrize("message", ["", "   "])
def test_decline_or_question_without_text_is_refused(
    cast, community, mailoutbox, decision, error, message
):
    client = client_for(cast.moderator)
    prefix = f"m{cast.application.pk}"
    before = world()

    response = post_form(
        client,
        subpage_url(community, "decide", cast.application.pk),
        {f"{prefix}-decision": decision, f"{prefix}-message": message},
        form_url=subpage_url(community, "moderation"),
    )

    assert response.status_code == 400
    assert dutch(error) in visible_text(response)
    assert world() == before
    assert mailoutbox == []


def test_decline_with_reason_reaches_the_applicant(
    cast, community, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for(cast.coordinator)
    prefix = f"m{cast.application.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(
            client,
            subpage_url(community, "decide", cast.application.pk),
            {f"{prefix}-decision": "decline", f"{prefix}-message": "We zoeken nu vooral pabo's."},
            form_url=subpage_url(community, "moderation"),
        )

    assert outcome(response, "", community) == "→moderation"
    assert Membership.objects.get(pk=cast.application.pk).state == MembershipState.DECLINED
    assert [message.to for message in mailoutbox] == [[cast.applicant.email]]
    applicant = client_for(cast.applicant)
    page = applicant.get(subpage_url(community, "my_application"))
    assert "We zoeken nu vooral pabo's." in visible_text(page)

    # A declined applicant may try again later: a new application, the old one kept.
    apply_url = subpage_url(community, "apply")
    assert soup(page).select(f'main a[href="{apply_url}"]')
    response = post_form(applicant, apply_url, {"haal": "Opnieuw.", "breng": "Meer tijd."})
    assert outcome(response, apply_url, community) == "→my_application"
    assert sorted(
        Membership.objects.filter(user=cast.applicant, community=community).values_list(
            "state", flat=True
        )
    ) == [MembershipState.DECLINED, MembershipState.PENDING]
    assert "Opnieuw." in main_text(applicant.get(response["Location"]))


def test_deciding_on_an_application_of_another_community_is_not_found(
    cast, community, other_community, apply, make_user
):
    elsewhere = apply(make_user(name="Ruben Elders"), other_community)
    prefix = f"m{elsewhere.pk}"
    before = world()

    response = post_form(
        client_for(cast.moderator),
        subpage_url(community, "decide", elsewhere.pk),
        {f"{prefix}-decision": "accept"},
        form_url=subpage_url(community, "moderation"),
    )

    assert response.status_code == 404
    assert world() == before


# --- the last moderator -----------------------------------------------------------------


def last_moderator_message() -> str:
    return dutch(LAST_MODERATOR_MESSAGE)


def test_the_last_moderator_cannot_leave(cast, community):
    client = client_for(cast.moderator)
    url = subpage_url(community, "leave")
    before = world()

    response = post_form(client, url, {})

    assert response.status_code == 400
    assert last_moderator_message() in visible_text(response)
    assert world() == before
    assert is_current_moderator(cast.moderator, community)


def test_the_last_moderators_membership_cannot_be_ended(cast, community):
    moderator_membership = Membership.objects.get(
        user=cast.moderator, community=community, state=MembershipState.ACTIVE
    )
    url = subpage_url(community, "end_membership", moderator_membership.pk)
    before = world()

    response = post_form(client_for(cast.coordinator), url, {"reason": "Tijd voor iemand anders."})

    assert response.status_code == 400
    assert last_moderator_message() in visible_text(response)
    assert world() == before


def test_the_last_moderators_term_cannot_be_ended(cast, community):
    url = subpage_url(community, "end_moderatorship", cast.moderator_term.pk)
    before = world()

    response = post_form(client_for(cast.coordinator), url, {})

    assert response.status_code == 400
    assert last_moderator_message() in visible_text(response)
    assert world() == before


def test_a_moderator_who_leaves_gives_up_the_role_when_another_remains(cast, community, extra_term):
    url = subpage_url(community, "leave")

    response = post_form(client_for(cast.moderator), url, {})

    assert outcome(response, url, community) == "→page"
    assert not is_current_moderator(cast.moderator, community)
    assert is_current_moderator(extra_term.user, community)


# --- moderator terms --------------------------------------------------------------------


def test_coordinator_appoints_a_dated_term(cast, community, today):
    url = subpage_url(community, "moderators")
    start, end = today + datetime.timedelta(days=7), today + datetime.timedelta(days=372)
    client = client_for(cast.coordinator)

    response = post_form(
        client,
        url,
        {
            "action": "appoint",
            "user": cast.member.pk,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
        },
    )

    assert outcome(response, url, community) == "→moderators"
    term = Moderatorship.objects.get(user=cast.member, community=community)
    assert (term.start_date, term.end_date, term.appointed_by) == (start, end, cast.coordinator)
    assert not is_current_moderator(cast.member, community)  # starts next week
    assert "Mats Lid" in visible_text(client.get(url))


def test_a_term_that_has_not_begun_can_be_called_off_and_replaced(cast, community, today):
    """A coordinator appointed someone from next week, then wants them to start today:
    the future term is called off (it ends before it begins) and a new one made."""
    client = client_for(cast.coordinator)
    moderators_url = subpage_url(community, "moderators")
    next_week = today + datetime.timedelta(days=7)
    post_form(
        client,
        moderators_url,
        {"action": "appoint", "user": cast.member.pk, "start_date": next_week.isoformat()},
    )
    future = Moderatorship.objects.get(user=cast.member, community=community)
    end_url = subpage_url(community, "end_moderatorship", future.pk)

    response = post_form(client, end_url, {})

    assert outcome(response, end_url, community) == "→moderators"
    future.refresh_from_db()
    assert future.end_date == future.start_date == next_week
    # It is over: no "End term" link any more, and ending it again says so.
    assert not soup(client.get(moderators_url)).select(f'a[href="{end_url}"]')
    before = world()
    again = post_form(client, end_url, {})
    assert again.status_code == 400
    assert dutch("This term has already ended.") in main_text(again)
    assert world() == before

    response = post_form(
        client,
        moderators_url,
        {"action": "appoint", "user": cast.member.pk, "start_date": today.isoformat()},
    )

    assert outcome(response, moderators_url, community) == "→moderators"
    assert is_current_moderator(cast.member, community)


def test_appointing_someone_who_is_not_a_member_is_refused(cast, community, today):
    url = subpage_url(community, "moderators")
    before = world()

    response = post_form(
        client_for(cast.coordinator),
        url,
        {"action": "appoint", "user": cast.outsider.pk, "start_date": today.isoformat()},
    )

    assert response.status_code == 200
    assert soup(response).select_one(".form-errors[role=alert]") is not None
    assert world() == before


def test_the_coordination_overview_lists_communities_without_a_moderator(
    cast, community, other_community, site_tree
):
    orphan = CommunityPageFactory(parent=site_tree, title="Community zonder moderator")

    response = client_for(cast.coordinator).get(reverse("moderation_overview"))

    assert response.status_code == 200
    text = visible_text(response)
    assert orphan.title in text
    assert community.title not in text


def test_today_is_the_first_day_without_the_ex_moderator(cast, community):
    """The ex-moderator's term ended today: end_date is the first day without the role."""
    term = Moderatorship.objects.get(user=cast.ex_moderator, community=community)
    assert term.end_date == timezone.localdate()
    assert not is_current_moderator(cast.ex_moderator, community)
