"""A member's own data: the JSON export holds every app's part; erasure leaves no
personal data behind anywhere, keeps others' data, and is refused while the
person is a community's only moderator."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership, MembershipState, Moderatorship
from communities.services.memberships import membership_answer, membership_apply, membership_ask
from members import personal_data
from members.models import DevelopmentAgreement, RoleAssignment, SelfTestResult
from members.services.agreements import agreement_record
from members.services.personal_data import account_erase, personal_data_export
from members.services.selftest import selftest_share, selftest_submit
from tests.views_support import client_for, main_text, post_form, soup, visible_text

pytestmark = pytest.mark.django_db

MARKER = "Zwartewaterkloostermarker"
KEEP = "Blijftstaanmarker"
ANSWERS = {f"{r}{i}": 3 for r in "bva" for i in range(1, 7)}
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def tables_containing(text: str) -> list[str]:
    """Every model, every text-like column: where does `text` still occur?"""
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS):
                hits = model._default_manager.annotate(
                    _as_text=Cast(field.name, models.TextField())
                ).filter(_as_text__icontains=text)
                if hits.exists():
                    found.append(f"{model._meta.label}.{field.name}")
    return found


@pytest.fixture
def subject(
    person,
    organisation,
    member_of,
    assign,
    manager,
    community,
    other_community,
    coordinator,
    appoint,
):
    user = person(
        f"Kim {MARKER}",
        organisation,
        username=f"kim{MARKER.lower()}",
        email=f"kim.{MARKER.lower()}@example.org",
        first_name=MARKER,
        last_name=MARKER,
    )
    from members.services import profile_update

    profile_update(
        actor=user,
        display_name=f"Kim {MARKER}",
        organisation=organisation,
        job_title=f"Adviseur {MARKER}",
        bio=f"Over mij: {MARKER}",
    )
    membership = member_of(user, community, organisation)
    Membership.objects.filter(pk=membership.pk).update(
        haal=f"haal {MARKER}", breng=f"breng {MARKER}"
    )
    assign(user, community, "bouwer", organisation=organisation, contribution=f"bijdrage {MARKER}")
    # A second community: an application with a question and an answer.
    appoint(manager, other_community)
    pending = membership_apply(
        actor=user,
        community=other_community,
        haal=f"meer {MARKER}",
        breng=f"veel {MARKER}",
        organisation=organisation,
    )
    membership_ask(actor=manager, membership=pending, question=f"Vraag aan {MARKER}?")
    membership_answer(actor=user, membership=pending, answer=f"Antwoord {MARKER}")
    selftest_share(actor=user, result=selftest_submit(actor=user, answers=ANSWERS))
    agreement_record(
        actor=manager,
        organisation=organisation,
        user=user,
        conversation_date=timezone.localdate(),
        review_date=timezone.localdate(),
        contribution=f"Afspraak {MARKER}",
        training=f"Cursus {MARKER}",
    )
    return user


@pytest.fixture
def bystander(person, organisation, member_of, assign, community):
    user = person(f"Bo {KEEP}", organisation)
    member_of(user, community, organisation)
    Membership.objects.filter(user=user).update(haal=f"haal {KEEP}", breng=f"breng {KEEP}")
    assign(user, community, "verbinder", organisation=organisation, contribution=f"bijdrage {KEEP}")
    selftest_submit(actor=user, answers=ANSWERS)
    return user


def test_every_app_registers_its_part():
    assert {
        "memberships",
        "moderatorships",
        "account",
        "roles",
        "self_test_results",
        "development_agreements",
        "forum_posts",
    } <= set(personal_data.part_names())


def test_the_download_holds_everything(subject):
    client = client_for(subject)
    response = client.get(reverse("members:my_data_download"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["profile"]["bio"] == f"Over mij: {MARKER}"
    assert {m["haal"] for m in data["memberships"]} == {f"haal {MARKER}", f"meer {MARKER}"}
    notes = [h["note"] for m in data["memberships"] for h in m["history"]]
    assert f"Antwoord {MARKER}" in notes
    assert data["roles"][0]["contribution"] == f"bijdrage {MARKER}"
    assert data["self_test_results"][0]["scores"] == {"bouwer": 50, "verbinder": 50, "aanjager": 50}
    assert data["development_agreements"][0]["training"] == f"Cursus {MARKER}"
    assert client_for().get(reverse("members:my_data_download")).status_code == 302


def test_erasure_leaves_no_personal_data_and_keeps_others(subject, bystander, community):
    assert tables_containing(MARKER)  # the search finds the data before
    before_keep = tables_containing(KEEP)
    client = client_for(subject)
    response = post_form(client, reverse("members:erase_account"), {"confirm": "on"})
    assert response.status_code == 302

    assert tables_containing(MARKER) == []
    assert tables_containing(KEEP) == before_keep
    user = get_user_model().objects.get(pk=subject.pk)
    assert not user.is_active and not user.has_usable_password()
    assert user.display_name == "verwijderd lid"
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not SelfTestResult.objects.filter(user=user).exists()
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert not DevelopmentAgreement.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user, state__in=["active", "pending"]).exists()
    # The bystander's data is intact.
    assert Membership.objects.get(user=bystander).haal == f"haal {KEEP}"
    assert RoleAssignment.objects.filter(user=bystander).count() == 1
    assert SelfTestResult.objects.filter(user=bystander).count() == 1
    # The session ended: the next request is anonymous.
    assert client.get(reverse("members:my_data")).status_code == 302


def test_erasure_is_refused_for_the_only_moderator(person, organisation, appoint, community):
    moderator = person("Mo Moderator", organisation)
    appoint(moderator, community)
    client = client_for(moderator)
    page = visible_text(client.get(reverse("members:my_data")))
    assert community.title in page
    response = post_form(
        client,
        reverse("members:erase_account"),
        {"confirm": "on"},
        form_url=reverse("members:my_data"),
    )
    assert response.status_code == 400
    assert community.title in visible_text(response)
    moderator.refresh_from_db()
    assert moderator.is_active and moderator.erased_at is None
    assert Moderatorship.objects.current().filter(user=moderator).exists()
    with pytest.raises(ValidationError):
        account_erase(actor=moderator)


def test_a_moderator_with_a_co_moderator_may_go(person, organisation, appoint, community):
    first, second = person("Mo Een", organisation), person("Mo Twee", organisation)
    appoint(first, community)
    appoint(second, community)
    account_erase(actor=first)
    assert not Moderatorship.objects.current().filter(user=first).exists()
    assert Moderatorship.objects.current().filter(user=second).exists()
    assert Membership.objects.get(user=first, community=community).state == MembershipState.LEFT


def test_erasure_needs_the_confirmation(subject):
    response = post_form(client_for(subject), reverse("members:erase_account"), {})
    assert response.status_code == 400
    subject.refresh_from_db()
    assert subject.is_active
    assert personal_data_export(actor=subject)["account"]["email"] == subject.email


def test_the_only_moderator_is_told_once_how_to_hand_over(person, organisation, appoint, community):
    """Issue 13, finding 7: the refusal was shown three times with the erase button
    still active. Now: once, no button, and the way out (hand over) linked."""
    moderator = person("Mo Moderator", organisation)
    appoint(moderator, community)
    client = client_for(moderator)
    refusal = "Je kunt je account nog niet wissen."

    for url in (reverse("members:my_data"), reverse("members:erase_account")):
        response = client.get(url)
        assert response.status_code == 200
        text = main_text(response)
        assert text.count(refusal) == 1
        assert text.count(community.title) == 1
        page = soup(response)
        assert not page.select("main form button[type=submit]")
        assert not page.select(f'main a[href="{reverse("members:erase_account")}"]')
        hand_over = page.find("a", string="draag de moderatorrol over")
        assert hand_over["href"] == community.url + community.reverse_subpage("moderators")
        assert client.get(hand_over["href"]).status_code == 200  # they may open it


def test_with_a_successor_the_erase_button_is_back(person, organisation, appoint, community):
    moderator, successor = (
        person("Mo Moderator", organisation),
        person("Sam Opvolger", organisation),
    )
    appoint(moderator, community)
    appoint(successor, community)

    page = soup(client_for(moderator).get(reverse("members:erase_account")))

    assert page.select_one("main form button[type=submit].button--danger") is not None
    assert page.select_one("main input[name=confirm][type=checkbox]") is not None


def test_an_erased_member_has_one_name_on_forum_and_to_do_pages(
    make_user, join, moderator, community
):
    """Forum posts lose their author on erasure, to-do comments keep the anonymised
    row: both show the same label (members.models.REMOVED_MEMBER)."""
    from communities.forum.services import thread_create
    from tests.views_support import soup, subpage_url
    from todo_lists.services import todo_comment_add, todo_item_create

    leaver = make_user(name="Lotte Weg")
    join(leaver, community)
    thread = thread_create(actor=leaver, community=community, title="Vraag", body="Wie weet dit?")
    item = todo_item_create(actor=moderator, community=community, title="Leesplan")
    todo_comment_add(actor=leaver, item=item, body="Ik help mee.")
    account_erase(actor=leaver)

    client = client_for(moderator)
    forum = soup(client.get(subpage_url(community, "forum")))
    post = soup(client.get(subpage_url(community, "forum_thread", thread.pk)))
    todo = soup(client.get(subpage_url(community, "todo_item", item.pk)))
    assert forum.select_one(".thread-row__meta span").get_text(strip=True) == "verwijderd lid"
    assert post.select_one(".post__author").get_text(strip=True) == "verwijderd lid"
    assert todo.select_one(".todo-comment__meta strong").get_text(strip=True) == "verwijderd lid"
