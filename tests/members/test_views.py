"""The manager's, coordinator's and member's pages, through the real request
stack with CSRF enforced: who may do what, and bad input changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members import selftest
from members.models import DevelopmentAgreement, Managership, RoleAssignment, SelfTestResult, Target
from tests.views_support import client_for, post_form, soup, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(person, organisation, other_organisation, member_of, manager, community, manager_for):
    worker = person("Wim Werker", organisation)
    member_of(worker, community, organisation)
    outsider = person("Otto Ander", other_organisation)
    manager_for(outsider, other_organisation)
    return {"worker": worker, "outsider": outsider}


def test_a_manager_assigns_and_ends_a_role(setting, organisation, manager, community):
    client = client_for(manager)
    url = reverse("members:role_assign", args=[organisation.pk])
    data = {
        "user": setting["worker"].pk,
        "community": community.pk,
        "role": "verbinder",
        "hours_per_week": "3.5",
        "contribution": "Legt contacten met scholen.",
    }
    response = post_form(client, url, data)
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get()
    assert (assignment.role, str(assignment.hours_per_week)) == ("verbinder", "3.5")
    assert "Wim Werker" in visible_text(client.get(response["Location"]))

    again = post_form(client, url, data)  # the same role twice
    assert again.status_code == 400 and RoleAssignment.objects.count() == 1

    end_url = reverse("members:role_end", args=[organisation.pk, assignment.pk])
    assert post_form(client, end_url, {}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.end_date == timezone.localdate()


def test_bad_input_changes_nothing(setting, organisation, manager, community):
    url = reverse("members:role_assign", args=[organisation.pk])
    response = post_form(
        client_for(manager),
        url,
        {
            "user": setting["worker"].pk,
            "community": community.pk,
            "role": "bouwer",
            "hours_per_week": "99",
        },
    )
    assert response.status_code == 400
    assert not RoleAssignment.objects.exists()


def test_others_cannot_assign_roles_or_set_targets(setting, organisation, community, coordinator):
    url = reverse("members:role_assign", args=[organisation.pk])
    target_url = reverse("members:target_edit", args=[organisation.pk, community.pk])
    data = {
        "user": setting["worker"].pk,
        "community": community.pk,
        "role": "bouwer",
        "hours_per_week": "1",
    }
    for who in (setting["outsider"], setting["worker"], coordinator):
        client = client_for(who)
        assert post_form(client, url, data).status_code == 403
        assert (
            post_form(
                client,
                target_url,
                {"target_members": 3, "target_activities": 2, "deadline": "2030-01-01"},
            ).status_code
            == 403
        )
    assert not RoleAssignment.objects.exists() and not Target.objects.exists()


def test_a_manager_sets_a_target(setting, organisation, manager, community):
    url = reverse("members:target_edit", args=[organisation.pk, community.pk])
    client = client_for(manager)
    target = {
        "target_members": 4,
        "target_activities": 6,
        "activity_kind": "threads",
        "deadline": "2030-06-01",
    }
    assert post_form(client, url, target).status_code == 302
    page = visible_text(client.get(reverse("members:coverage", args=[organisation.pk])))
    # Wim is the community's only member; nobody started a thread yet.
    assert "Leden die de community bereikt: 1 van 4" in page
    assert "Forumdiscussies die jouw mensen begonnen: 0 van 6" in page
    assert post_form(client, url, {**target, "target_members": -1}).status_code == 400
    assert post_form(client, url, {**target, "activity_kind": "likes"}).status_code == 400
    assert Target.objects.get().target_members == 4


def test_agreements_are_recorded_by_the_manager_and_confirmed_by_the_member(
    setting, organisation, manager
):
    today = timezone.localdate()
    url = reverse("members:agreement_new", args=[organisation.pk])
    data = {
        "user": setting["worker"].pk,
        "conversation_date": today.isoformat(),
        "contribution": "Twee bijeenkomsten organiseren.",
        "hours_per_week": "2",
        "training": "",
        "other_support": "",
        "review_date": (today + datetime.timedelta(days=5)).isoformat(),
    }
    bad = {**data, "review_date": (today - datetime.timedelta(days=5)).isoformat()}
    assert post_form(client_for(manager), url, bad).status_code == 400
    assert post_form(client_for(manager), url, data).status_code == 302
    listing = client_for(manager).get(reverse("members:agreements", args=[organisation.pk]))
    assert "Wim Werker" in visible_text(listing) and soup(listing).select(".badge--warning")
    assert (
        client_for(setting["outsider"])
        .get(reverse("members:agreements", args=[organisation.pk]))
        .status_code
        == 403
    )

    worker = client_for(setting["worker"])
    mine = reverse("members:my_agreements")
    assert "Twee bijeenkomsten organiseren." in visible_text(worker.get(mine))
    agreement = DevelopmentAgreement.objects.get()
    confirm = reverse("members:agreement_confirm", args=[agreement.pk])
    post_form(client_for(setting["outsider"]), confirm, {}, form_url=mine)
    agreement.refresh_from_db()
    assert agreement.member_confirmed_at is None
    assert post_form(worker, confirm, {}, form_url=mine).status_code == 302
    agreement.refresh_from_db()
    assert agreement.member_confirmed_at is not None


def test_coordinators_appoint_and_end_managers(setting, organisation, network_coordinator, person):
    newcomer = person("Nina Nieuw", organisation)
    client = client_for(network_coordinator)
    url = reverse("members:managers")
    assert (
        post_form(
            client, url, {"email": newcomer.email, "organisation": organisation.pk}
        ).status_code
        == 302
    )
    managership = Managership.objects.get(user=newcomer)
    assert (
        post_form(
            client, url, {"email": "niemand@example.org", "organisation": organisation.pk}
        ).status_code
        == 400
    )
    assert client_for(newcomer).get(reverse("members:manager_home")).status_code == 302
    assert (
        post_form(
            client_for(newcomer), url, {"email": newcomer.email, "organisation": organisation.pk}
        ).status_code
        == 403
    )
    end = reverse("members:managership_end", args=[managership.pk])
    assert post_form(client, end, {}).status_code == 302
    managership.refresh_from_db()
    assert managership.end_date == timezone.localdate()
    assert (
        client_for(newcomer).get(reverse("members:coverage", args=[organisation.pk])).status_code
        == 404
    )


def test_taking_the_self_test_twice_keeps_the_history(setting):
    worker = setting["worker"]
    client = client_for(worker)
    url = reverse("members:selftest_take")
    form = soup(client.get(url))
    names = {field["name"] for field in form.select("input[type=radio]")}
    assert names == set(selftest.STATEMENT_TEXT)
    incomplete = post_form(client, url, {"b1": "5"})
    assert incomplete.status_code == 400 and not SelfTestResult.objects.exists()
    for value in ("2", "4"):
        response = post_form(client, url, {sid: value for sid in names})
        assert response.status_code == 302
    overview = client.get(reverse("members:selftest"))
    page = soup(overview)
    assert len(page.select("table.data-table tbody tr")) == 2
    assert page.select("svg.chart polyline")
    assert not page.select("[style]")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_editing_a_target_shows_its_date_and_saves_it_again(
    setting, organisation, manager, community, language
):
    """Issue 13, finding 3: the Dutch page wrote 30-05-2027 into <input type="date">,
    which the browser shows as empty and sends back as nothing ("required")."""
    from django.utils import translation

    from members.services.roles import target_set
    from tests.views_support import form_data

    target_set(
        actor=manager,
        organisation=organisation,
        community=community,
        target_members=4,
        target_activities=6,
        deadline=datetime.date(2027, 5, 30),
    )
    with translation.override(language):
        url = reverse("members:target_edit", args=[organisation.pk, community.pk])
    assert url.startswith("/en/") is (language == "en")
    client = client_for(manager)

    page = soup(client.get(url))
    form = page.select_one("main form[method=post]")
    deadline = form.select_one("input[name=deadline]")
    assert (deadline["type"], deadline["value"]) == ("date", "2027-05-30")
    assert form.select_one("input[name=target_members]")["value"] == "4"

    # Saving what the page shows, unchanged, succeeds.
    data = form_data(form)
    data["target_members"] = ["5"]
    response = client.post(url, data)
    assert response.status_code == 302
    target = Target.objects.order_by("-pk").first()
    assert (target.target_members, target.deadline) == (5, datetime.date(2027, 5, 30))
