"""The lifecycle as people see it: archives at their old URLs pointing to the
successor, read-only; lineage on the successor; search and home showing active
communities; and the coordinator's merge → preview → confirm → undo."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from communities.lifecycle.models import LifecycleEvent, Provenance
from communities.lifecycle.services import community_dissolve, community_merge
from communities.models import CommunityPage, CommunityStatus, Membership, Moderatorship
from tests.views_support import client_for, csrf_token, subpage_url
from todo_lists.models import TodoProposal

pytestmark = pytest.mark.django_db

REASON = "Beide communities werken voor dezelfde mensen."


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def _text(response) -> str:
    return " ".join(_soup(response).get_text(" ").split())


@pytest.fixture
def merged(communities, coordinator, make_user, appoint):
    """Communities 3 and 4, each with a moderator, merged into a new one."""
    three, four = communities[2], communities[3]
    appoint(make_user(name="Mo Drie"), three)
    appoint(make_user(name="Mo Vier"), four)
    event = community_merge(
        actor=coordinator,
        sources=[three, four],
        title="Participatie en zelfredzaamheid",
        reason=REASON,
    )
    three.refresh_from_db()
    four.refresh_from_db()
    return three, four, event.results.get()


def test_an_old_url_answers_with_the_archive_and_the_successor(merged):
    three, _four, successor = merged

    response = client_for().get(three.url)

    assert response.status_code == 200
    notice = _soup(response).select_one(".notice--archive")
    text = " ".join(notice.get_text(" ").split())
    assert text.startswith("Samengevoegd op ")
    assert f"Waarom: {REASON}" in text
    assert [a["href"] for a in notice.select("a")] == [successor.url]
    assert "Participatie en zelfredzaamheid" in text


def test_the_successor_shows_its_lineage_and_both_numbers(merged):
    three, four, successor = merged

    response = client_for().get(successor.url)

    lineage = _soup(response).select_one(".lineage")
    assert "Samengevoegd uit" in lineage.get_text()
    assert {a["href"] for a in lineage.select("a")} == {three.url, four.url}
    assert f"Community {three.number} en {four.number}" in _text(response)


def test_an_archive_refuses_writes_and_changes_nothing(merged, make_user):
    three, _four, successor = merged
    visitor = make_user(name="Pim Proposer")
    client = client_for(visitor)
    url = subpage_url(three, "todo_propose")

    form_page = client.get(url)
    response = client.post(
        url,
        {"title": "Iets nieuws", "csrfmiddlewaretoken": csrf_token(client, three.url)},
    )

    assert form_page.status_code == 403
    assert "Deze community is een archief" in _text(form_page)
    assert response.status_code == 403
    assert "Er is niets veranderd" in _text(response)
    assert successor.url in {a["href"] for a in _soup(response).select(".notice a")}
    assert not TodoProposal.objects.filter(title="Iets nieuws").exists()
    # Reading stays possible.
    assert client.get(subpage_url(three, "todo_list")).status_code == 200


def test_search_shows_archives_only_on_request(merged):
    three, _four, successor = merged
    client = client_for()

    default = client.get(reverse("search"), {"q": "", "priority": "participatie"})
    with_archives = client.get(
        reverse("search"), {"q": "", "priority": "participatie", "archives": "on"}
    )

    titles = [h.get_text(" ", strip=True) for h in _soup(default).select(".search-result h3")]
    assert any("Participatie en zelfredzaamheid" in t for t in titles)
    assert not any(three.title in t for t in titles)
    archived = [
        h.get_text(" ", strip=True) for h in _soup(with_archives).select(".search-result h3")
    ]
    assert any(three.title in t and "Samengevoegd" in t for t in archived)


def test_the_home_page_lists_active_communities_only(merged):
    three, _four, successor = merged

    response = client_for().get("/")

    cards = [a.get_text(" ", strip=True) for a in _soup(response).select(".community-card a")]
    assert len(cards) == 14
    assert not any(three.title in card for card in cards)
    assert any(card.startswith("3 en 4 ") for card in cards)


def test_a_dissolved_community_shows_date_and_reason(communities, coordinator):
    community = communities[9]
    community_dissolve(actor=coordinator, community=community, reason="Te weinig animo.")
    community.refresh_from_db()

    response = client_for().get(community.url)

    text = " ".join(_soup(response).select_one(".notice--archive").get_text(" ").split())
    assert text.startswith("Opgeheven op ")
    assert "Waarom: Te weinig animo." in text


def _post(client, url, data):
    return client.post(url, {**data, "csrfmiddlewaretoken": csrf_token(client, url)})


def test_a_coordinator_merges_through_the_preview_and_undoes_it(
    communities, network_coordinator, make_user, appoint, join
):
    three, four = communities[2], communities[3]
    both = make_user(name="Bo Beide")
    join(both, three)
    join(both, four)
    appoint(make_user(name="Mo Drie"), three)
    appoint(make_user(name="Mo Vier"), four)
    client = client_for(network_coordinator)
    url = reverse("lifecycle_merge")
    choice = {
        "sources": [three.pk, four.pk],
        "into": "",
        "title": "Participatie en zelfredzaamheid",
        "reason": REASON,
    }

    preview = _post(client, url, {**choice, "step": "preview"})

    assert preview.status_code == 200
    soup = _soup(preview)
    rows = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
        for tr in soup.select(".lifecycle-preview tbody tr")
    }
    # Bo's two memberships and the moderators' own: 2 in each, all move, Bo's fold.
    assert rows["Lidmaatschappen"] == ["2", "2", "4", "1"]
    assert "Bo Beide" in soup.select_one(".lifecycle-preview ul").get_text()
    assert not CommunityPage.objects.filter(title="Participatie en zelfredzaamheid").exists()

    confirmed = _post(client, url, {**choice, "step": "confirm"})

    successor = CommunityPage.objects.get(title="Participatie en zelfredzaamheid")
    assert confirmed.status_code == 302 and confirmed["Location"] == successor.url
    assert Membership.objects.filter(community=successor, user=both, state="active").exists()
    event = LifecycleEvent.objects.get(kind="merge")

    undo_url = reverse("lifecycle_undo", args=[event.pk])
    assert "Ja, draai het terug" in _text(client.get(undo_url))
    undone = _post(client, undo_url, {})

    assert undone.status_code == 302
    three.refresh_from_db()
    assert three.status == CommunityStatus.ACTIVE
    assert Membership.objects.filter(community=three, user=both, state="active").exists()
    assert not CommunityPage.objects.live().filter(pk=successor.pk).exists()


def test_a_merge_without_a_name_for_the_new_community_is_refused(communities, network_coordinator):
    client = client_for(network_coordinator)

    response = _post(
        client,
        reverse("lifecycle_merge"),
        {"sources": [communities[2].pk, communities[3].pk], "reason": REASON, "step": "preview"},
    )

    assert "Geef de nieuwe community een naam." in _text(response)
    assert not LifecycleEvent.objects.exists()


def test_only_coordinators_may_merge(communities, make_user):
    response = client_for(make_user()).get(reverse("lifecycle_merge"))

    assert response.status_code == 403


def test_a_coordinator_names_an_extra_moderator_with_a_dated_term(
    communities, network_coordinator, make_user, appoint, join, today
):
    three, four = communities[2], communities[3]
    appoint(make_user(name="Mo Drie"), three)
    appoint(make_user(name="Mo Vier"), four)
    extra = make_user(name="Ed Extra")
    join(extra, four)
    outsider = make_user(name="Olle Buiten")
    join(outsider, communities[5])
    until = today + datetime.timedelta(days=365)
    client = client_for(network_coordinator)
    url = reverse("lifecycle_merge")
    choice = {
        "sources": [three.pk, four.pk],
        "into": three.pk,
        "reason": REASON,
        "extra_moderator": extra.pk,
        "extra_moderator_until": until.isoformat(),
    }

    refused = _post(client, url, {**choice, "extra_moderator": outsider.pk, "step": "preview"})
    assert "Olle Buiten is geen actief lid van een van de gekozen communities." in _text(refused)

    preview = _soup(_post(client, url, {**choice, "step": "preview"}))
    choice_text = " ".join(preview.select_one(".lifecycle-choice").get_text(" ").split())
    assert f"Extra moderator Ed Extra · tot {until.day}" in choice_text
    assert "Ed Extra" in preview.select_one(".lifecycle-preview").get_text()

    _post(client, url, {**choice, "step": "confirm"})

    term = Moderatorship.objects.get(community=three, user=extra)
    assert (term.start_date, term.end_date) == (today, until)
    assert Moderatorship.objects.current().filter(pk=term.pk).exists()
    event = LifecycleEvent.objects.get(kind="merge")
    assert Provenance.objects.filter(event=event, action="created", object_id=term.pk).exists()
