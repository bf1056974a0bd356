"""A community page in the Wagtail admin: its status is not part of its revisions,
it is never deleted or unpublished, and it is published only with a moderator."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from communities.lifecycle.services import community_dissolve
from communities.models import CommunityPage, CommunityStatus, Moderatorship
from cop_platform.wording import PUBLISHERS_GROUP
from tests.views_support import client_for, csrf_token

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(m.get_text(" ").split()) for m in soup.select(".messages li")]


def _archive(community: CommunityPage, coordinator) -> None:
    community_dissolve(actor=coordinator, community=community, reason="Te weinig animo.")
    community.refresh_from_db()


def test_publishing_an_old_revision_keeps_the_archive(community, coordinator):
    old = community.save_revision(user=coordinator)
    _archive(community, coordinator)

    old.publish(user=coordinator)

    community.refresh_from_db()
    assert community.status == CommunityStatus.DISSOLVED
    assert community.archive_reason == "Te weinig animo."
    assert community.get_latest_revision_as_object().status == CommunityStatus.DISSOLVED


def test_reverting_a_revision_in_the_admin_keeps_the_archive(community, coordinator, moderator):
    old = community.save_revision(user=coordinator)
    _archive(community, coordinator)
    client = client_for(coordinator)
    url = f"/admin/pages/{community.pk}/revisions/{old.pk}/revert/"
    form = BeautifulSoup(client.get(url).content, "html.parser")
    data = nested_form_data(
        {
            "title": community.title,
            "slug": community.slug,
            "number": community.number,
            "priority": community.priority,
            "summary": community.summary,
            "start_date": community.start_date.isoformat(),
            "body": streamfield([]),
            "tags": "",
            "former_names": inline_formset([]),
        }
    )
    data["action-publish"] = "action-publish"
    data["csrfmiddlewaretoken"] = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    response = client.post(f"/admin/pages/{community.pk}/edit/", data)

    assert response.status_code == 302
    community.refresh_from_db()
    assert community.status == CommunityStatus.DISSOLVED


def test_the_edit_form_shows_the_status_without_a_field_for_it(community, coordinator):
    response = client_for(coordinator).get(f"/admin/pages/{community.pk}/edit/")

    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("[name=status]") is None
    assert "Actief" in soup.get_text()
    assert "Alleen een netwerkcoördinator wijzigt dit, op de geschiedenispagina" in " ".join(
        soup.get_text().split()
    )


def _csrf(client, url="/") -> str:
    return csrf_token(client, url)


def test_deleting_a_community_in_the_admin_is_refused(community, coordinator, pending):
    client = client_for(coordinator)
    url = f"/admin/pages/{community.pk}/delete/"

    response = client.post(url, {"csrfmiddlewaretoken": _csrf(client, url)}, follow=True)

    assert response.status_code == 200
    assert CommunityPage.objects.filter(pk=community.pk).exists()
    assert any("wordt nooit verwijderd" in m and "opheffen" in m for m in _messages(response))


def test_deleting_the_community_index_is_refused(community, coordinator):
    client = client_for(coordinator)
    index = community.get_parent()

    response = client.post(
        f"/admin/pages/{index.pk}/delete/",
        {"csrfmiddlewaretoken": _csrf(client, "/")},
        follow=True,
    )

    assert Page.objects.filter(pk=index.pk).exists()
    assert any("wordt nooit verwijderd" in m for m in _messages(response))


def test_bulk_deleting_communities_is_refused(communities, coordinator):
    client = client_for(coordinator)
    ids = "&".join(f"id={c.pk}" for c in communities[:2])

    response = client.post(
        f"/admin/bulk/wagtailcore/page/delete/?{ids}",
        {"csrfmiddlewaretoken": _csrf(client, "/")},
        follow=True,
    )

    assert CommunityPage.objects.filter(pk__in=[c.pk for c in communities[:2]]).count() == 2
    assert any("wordt nooit verwijderd" in m for m in _messages(response))


def test_unpublishing_a_community_is_refused(community, coordinator):
    client = client_for(coordinator)

    response = client.post(
        f"/admin/pages/{community.pk}/unpublish/",
        {"csrfmiddlewaretoken": _csrf(client, "/")},
        follow=True,
    )

    community.refresh_from_db()
    assert community.live
    assert any("niet door de pagina te depubliceren" in m for m in _messages(response))


def _new_community_data(client) -> dict:
    data = nested_form_data(
        {
            "title": "Zorg en welzijn",
            "slug": "zorg-en-welzijn",
            "number": 16,
            "priority": "participatie",
            "summary": "Bibliotheken en zorgpartners werken samen aan gezondheidsvaardigheden.",
            "start_date": datetime.date(2026, 1, 1).isoformat(),
            "body": streamfield([]),
            "tags": "",
            "former_names": inline_formset([]),
        }
    )
    data["action-publish"] = "action-publish"
    data["csrfmiddlewaretoken"] = _csrf(client, "/")
    return data


def test_the_coordinator_who_publishes_a_new_community_becomes_its_moderator(
    communities, network_coordinator
):
    network_coordinator.is_staff = True
    network_coordinator.save()
    # Wagtail's "Moderators" may publish; "Editors" only submit for moderation.
    network_coordinator.groups.add(Group.objects.get(name=PUBLISHERS_GROUP))
    client = client_for(network_coordinator)
    index = communities[0].get_parent()

    response = client.post(
        f"/admin/pages/add/communities/communitypage/{index.pk}/",
        _new_community_data(client),
        follow=True,
    )

    created = CommunityPage.objects.get(slug="zorg-en-welzijn")
    assert created.live
    assert Moderatorship.objects.current().filter(community=created).get().user == (
        network_coordinator
    )
    assert any("eerste moderator van “Zorg en welzijn”" in m for m in _messages(response))


def test_an_admin_who_is_no_coordinator_cannot_publish_a_community_without_a_moderator(
    communities, make_user
):
    editor = make_user(is_staff=True)
    editor.groups.add(Group.objects.get(name=PUBLISHERS_GROUP))
    client = client_for(editor)
    index = communities[0].get_parent()

    response = client.post(
        f"/admin/pages/add/communities/communitypage/{index.pk}/",
        _new_community_data(client),
        follow=True,
    )

    created = CommunityPage.objects.get(slug="zorg-en-welzijn")
    assert not created.live
    assert not Moderatorship.objects.filter(community=created).exists()
    assert any("nog geen moderator" in m for m in _messages(response))
