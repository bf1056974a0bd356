"""The pilot's lessons as the manager's pages read them (issue 15): lesson 6 (more
than three people warns only without clear roles), lesson 4 (a target counts
what it says), lesson 9 (the start phase runs from the organisation's own
start), lesson 7 (HBO guidance where a role is assigned, never a gate) and the
platform's own role texts, edited by coordinators with history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from communities.forum.services import thread_create
from cop_platform.wording import EDITORS_GROUP
from members import selftest
from members.coverage import (
    MANY_CLEAR_ROLES,
    OVERSTAFFED,
    START,
    network_coverage,
    organisation_coverage,
)
from members.models import RoleDescription, SelfTestStatement
from members.services.roles import target_set
from members.services.selftest import selftest_submit
from tests.views_support import client_for, post_form, soup, visible_text
from todo_lists.services import todo_item_create

pytestmark = pytest.mark.django_db

ROLES = ("bouwer", "verbinder", "aanjager", "bouwer")
CONTRIBUTION = "Houdt de actielijst bij."


@pytest.fixture
def four(person, organisation, member_of, assign, community):
    """`four(dirk_contributes=True)`: four colleagues in one community, each with a
    role; all but perhaps Dirk with a contribution written down."""

    def make(*, dirk_contributes=True):
        people = [person(name, organisation) for name in ("Anna", "Bert", "Cas", "Dirk")]
        for user, role in zip(people, ROLES, strict=True):
            member_of(user, community, organisation)
            written = CONTRIBUTION if dirk_contributes or user is not people[-1] else ""
            assign(user, community, role, organisation=organisation, contribution=written)
        return people

    return make


@pytest.fixture
def four_with_roles(four):
    return four()


def _row(organisation, viewer, community, **kwargs):
    coverage = organisation_coverage(organisation, viewer=viewer, **kwargs)
    row = next(row for row in coverage.rows if row.community.pk == community.pk)
    return coverage, row


def _kinds(items, community) -> set[str]:
    return {item.kind for item in items if item.community.pk == community.pk}


# --- lesson 6 ------------------------------------------------------------------


def test_four_people_with_clear_roles_is_information_not_a_warning(
    four_with_roles, organisation, manager, community, network_coordinator
):
    coverage, row = _row(organisation, manager, community)
    assert len(row.people) == 4 and not row.overstaffed
    assert OVERSTAFFED not in _kinds(coverage.warnings, community)
    assert MANY_CLEAR_ROLES in _kinds(coverage.notes, community)
    with translation.override("nl"):
        coverage, _row_ = _row(organisation, manager, community)
    note = next(n.text for n in coverage.notes if n.kind == MANY_CLEAR_ROLES)
    assert note.startswith("4 mensen van de organisatie doen mee, ieder met een rol")
    assert "mits het voor de medewerkers duidelijk is welke rol zij vervullen" in note

    network = network_coverage(paginate=False)
    cell = next(
        cell
        for row in network.rows
        if row.organisation == organisation
        for cell in row.cells
        if cell.community == community
    )
    assert cell.people == 4 and not cell.overstaffed and network.total_overstaffed == 0


def test_one_of_four_without_a_contribution_is_a_warning(four, organisation, manager, community):
    four(dirk_contributes=False)
    coverage, row = _row(organisation, manager, community)
    assert row.overstaffed and row.unclear == ["Dirk"]
    assert OVERSTAFFED in _kinds(coverage.warnings, community)
    assert MANY_CLEAR_ROLES not in _kinds(coverage.notes, community)


def test_one_of_four_without_a_role_is_a_warning_on_the_page(
    four_with_roles, person, organisation, manager, member_of, community
):
    eva = person("Eva", organisation)
    member_of(eva, community, organisation)
    response = client_for(manager).get(reverse("members:coverage", args=[organisation.pk]))
    warnings = [w.get_text(" ", strip=True) for w in soup(response).select(".warning")]
    assert any(
        "5 mensen van de organisatie doen mee, en niet iedereen van hen heeft een duidelijke "
        "rol (geen rol of geen bijdrage beschreven: Eva)" in text
        for text in warnings
    )
    assert "meer dan 3, niet alle rollen duidelijk" in visible_text(response)


# --- lesson 4 ------------------------------------------------------------------


def test_a_target_counts_the_community_s_members_and_the_activities_of_its_kind(
    four_with_roles,
    person,
    organisation,
    other_organisation,
    manager,
    member_of,
    appoint,
    community,
):
    anna = four_with_roles[0]
    appoint(anna, community)  # a moderator curates the action list
    todo_item_create(actor=anna, community=community, title="Leesclubs in kaart brengen")
    todo_item_create(actor=anna, community=community, title="Subsidie aanvragen")
    thread_create(actor=four_with_roles[1], community=community, title="Ideeën?", body="Wie?")
    stranger = person("Sjaak", other_organisation)
    member_of(stranger, community, other_organisation)
    thread_create(actor=stranger, community=community, title="Elders", body="Niet van ons.")

    deadline = timezone.localdate() + datetime.timedelta(days=90)
    counted = {}
    for kind in ("all", "action_items", "threads"):
        target_set(
            actor=manager,
            organisation=organisation,
            community=community,
            target_members=10,
            target_activities=2,
            activity_kind=kind,
            deadline=deadline,
        )
        _coverage, row = _row(organisation, manager, community)
        counted[kind] = row.activities
        # Everyone the community reaches, whatever their organisation.
        assert row.members == 5
    # Sjaak's thread is not the organisation's; the target counts what it says.
    assert counted == {"all": 3, "action_items": 2, "threads": 1}


def test_a_target_of_an_unknown_kind_is_refused(organisation, manager, community):
    with pytest.raises(ValidationError):
        target_set(
            actor=manager,
            organisation=organisation,
            community=community,
            target_members=10,
            target_activities=2,
            activity_kind="likes",
            deadline=timezone.localdate(),
        )


# --- lesson 9 ------------------------------------------------------------------


def test_an_organisation_that_joined_last_month_is_in_its_start_phase_in_an_old_community(
    person, organisation, member_of, assign, manager, community
):
    assert community.start_date < timezone.localdate() - datetime.timedelta(days=5 * 365)
    newcomer = person("Nina", organisation)
    member_of(newcomer, community, organisation)
    a_month_later = timezone.localdate() + datetime.timedelta(days=31)
    coverage, row = _row(organisation, manager, community, today=a_month_later)
    assert row.start_phase and row.started == timezone.localdate()
    assert START in _kinds(coverage.notes, community)
    # A year and a day after its start, the phase is over.
    later = timezone.localdate() + datetime.timedelta(days=366)
    _coverage, row = _row(organisation, manager, community, today=later)
    assert not row.start_phase


def test_an_organisation_in_place_for_years_is_not_in_its_start_phase(
    person, organisation, member_of, assign, manager, community
):
    veteran = person("Vera", organisation)
    member_of(veteran, community, organisation)
    two_years_ago = timezone.localdate() - datetime.timedelta(days=730)
    assign(veteran, community, "aanjager", organisation=organisation, start_date=two_years_ago)
    _coverage, row = _row(organisation, manager, community)
    assert row.started == two_years_ago and not row.start_phase


# --- lesson 7 ------------------------------------------------------------------

GUIDANCE = (
    "De rol van aanjager en verbinder vraagt een HBO werk- en denkniveau. "
    "Voor de rol van bouwer is dit niet noodzakelijk."
)


def test_the_role_assignment_page_gives_the_hbo_guidance_without_a_gate(
    person, organisation, member_of, manager, community
):
    worker = person("Wim", organisation)
    member_of(worker, community, organisation)
    client = client_for(manager)
    url = reverse("members:role_assign", args=[organisation.pk])
    page = client.get(url)
    assert GUIDANCE in visible_text(page)
    assert "Zo omschrijven wij de rollen" in visible_text(page)
    # Guidance only: nothing in the form asks about education, and every role is given.
    fields = {field["name"] for field in soup(page).select("form.stack-form [name]")}
    assert fields == {
        "csrfmiddlewaretoken",
        "user",
        "community",
        "role",
        "hours_per_week",
        "contribution",
    }
    for role in ("aanjager", "verbinder", "bouwer"):
        data = {"user": worker.pk, "community": community.pk, "role": role, "hours_per_week": "2"}
        assert post_form(client, url, data).status_code == 302


# --- the platform's own texts ---------------------------------------------------


def test_the_seeded_texts_are_the_defaults():
    assert RoleDescription.objects.count() == 3
    stored = dict(SelfTestStatement.objects.values_list("key", "text"))
    assert stored == selftest.STATEMENT_TEXT
    assert dict(SelfTestStatement.objects.values_list("key", "role")) == selftest.STATEMENT_ROLE
    with translation.override("nl"):
        assert selftest.role_descriptions()["bouwer"].startswith("De bouwer bouwt")
    with translation.override("en"):
        assert selftest.role_descriptions()["bouwer"].startswith("The builder builds")


def test_edited_texts_show_and_scoring_keeps_its_mapping(user):
    statement = SelfTestStatement.objects.get(key="v2")
    statement.text = "Ik breng mensen van verschillende bibliotheken met elkaar in contact."
    statement.save()
    description = RoleDescription.objects.get(role="verbinder")
    description.description = "De verbinder legt de lijnen tussen mensen."
    description.save()

    client = client_for(user)
    take = visible_text(client.get(reverse("members:selftest_take")))
    assert "Ik breng mensen van verschillende bibliotheken met elkaar in contact." in take
    assert "Ik stel mensen uit verschillende organisaties actief aan elkaar voor." not in take
    overview = visible_text(client.get(reverse("members:selftest")))
    assert "Zo omschrijven wij de rollen" in overview
    assert "De verbinder legt de lijnen tussen mensen." in overview

    # The edited statement still counts for verbinder.
    answers = {sid: 5 if sid == "v2" else 1 for sid in selftest.STATEMENT_TEXT}
    result = selftest_submit(actor=user, answers=answers)
    assert (result.score_bouwer, result.score_verbinder, result.score_aanjager) == (0, 17, 0)


def test_a_missing_text_falls_back_to_the_default():
    SelfTestStatement.objects.filter(key="a1").delete()
    RoleDescription.objects.filter(role="aanjager").delete()
    assert selftest.statement_texts()["a1"] == selftest.STATEMENT_TEXT["a1"]
    with translation.override("nl"):
        assert selftest.role_descriptions()["aanjager"].startswith("De aanjager geeft richting")


def _admin_edit(client, model, pk, data):
    url = reverse(f"wagtailsnippets_members_{model}:edit", args=[pk])
    return url, post_form(client, url, data)


def test_a_coordinator_edits_a_statement_with_history(coordinator, network_coordinator):
    # The coordinator by group has no permission of their own: the group brings
    # them into the admin (members/migrations/0009); the superuser may anyway.
    assert not network_coordinator.user_permissions.exists()
    statement = SelfTestStatement.objects.get(key="b1")
    for who, text in (
        (coordinator, "Ik houd de online plek van een groep netjes bij."),
        (network_coordinator, "Ik zorg dat de online plek van een groep bijgewerkt is."),
    ):
        _url, response = _admin_edit(
            client_for(who), "selfteststatement", statement.pk, {"text": text}
        )
        assert response.status_code == 302
        statement.refresh_from_db()
        assert (statement.text, statement.key, statement.role) == (text, "b1", "bouwer")
    assert statement.revisions.count() == 2
    assert statement.revisions.latest("created_at").user == network_coordinator
    history = client_for(coordinator).get(
        reverse("wagtailsnippets_members_selfteststatement:history", args=[statement.pk])
    )
    assert history.status_code == 200


def test_a_coordinator_by_group_finds_the_texts_in_the_admin(network_coordinator, make_user):
    client = client_for(network_coordinator)
    with translation.override("nl"):
        dashboard = client.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 200
    # Wagtail renders its menu from the sidebar's props (JSON, in the page).
    menu = soup(dashboard).select_one("#wagtail-sidebar-props").string
    assert "Rollen en zelftest" in menu
    # Only what the group may use: no pages, documents, images or users.
    for unusable in ("Pagina's", "Documenten", "Afbeeldingen", "Gebruikers"):
        assert unusable not in menu
    description = RoleDescription.objects.get(role="verbinder")
    text = "De verbinder brengt mensen en organisaties samen."
    _url, response = _admin_edit(
        client,
        "roledescription",
        description.pk,
        {"description": text, "description_en": description.description_en},
    )
    assert response.status_code == 302
    description.refresh_from_db()
    assert description.description == text
    assert description.revisions.get().user == network_coordinator
    # A plain member is refused at the admin's door (its login page answers 403)
    # and changes nothing.
    member = client_for(make_user(name="Mia Lid"))
    assert member.get(reverse("wagtailadmin_home"), follow=True).status_code == 403
    _url, response = _admin_edit(
        member, "roledescription", description.pk, {"description": "Iets anders."}
    )
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    description.refresh_from_db()
    assert description.description == text


def test_only_coordinators_edit_the_texts_and_nobody_adds_or_deletes_one(coordinator, make_user):
    from django.contrib.auth.models import Group

    editor = make_user(name="Eddy Editor", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))  # the site's editors: admin access
    statement = SelfTestStatement.objects.get(key="b1")
    url = reverse("wagtailsnippets_members_selfteststatement:edit", args=[statement.pk])
    # Wagtail sends a person without the permission back to the admin's dashboard.
    refused = "/admin/"
    assert client_for(editor).get(url)["Location"] == refused
    _url, response = _admin_edit(
        client_for(editor), "selfteststatement", statement.pk, {"text": "X."}
    )
    assert (response.status_code, response["Location"]) == (302, refused)
    statement.refresh_from_db()
    assert statement.text == selftest.STATEMENT_TEXT["b1"]
    add = reverse("wagtailsnippets_members_selfteststatement:add")
    description = RoleDescription.objects.get(role="bouwer")
    delete = reverse("wagtailsnippets_members_roledescription:delete", args=[description.pk])
    for forbidden in (add, delete):
        response = client_for(coordinator).get(forbidden)
        assert (response.status_code, response["Location"]) == (302, refused)
    assert RoleDescription.objects.count() == 3
