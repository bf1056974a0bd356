"""Searching the communities: words, themes (tags), priorities, and bad input."""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from django.utils.translation import gettext

from communities.lifecycle.services import community_dissolve
from communities.models import CommunityStatus, Priority
from tests.factories import UserFactory
from todo_lists.services import todo_item_create

SEARCH_URL = "/zoeken/"
EMPTY_STATE = "Nothing matches. Try fewer or other words, or another theme."


def search(client, **params):
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def found(soup) -> list[str]:
    """The result titles as shown: "<number> <name>"."""
    return [link.get_text(" ", strip=True) for link in soup.select(".search-result h3 a")]


def errors(soup) -> str:
    alert = soup.select_one(".form-errors[role=alert]")
    return alert.get_text(" ", strip=True) if alert else ""


@pytest.mark.parametrize("word", ["makerspaces", "FabLabs", "programmeren"])
def test_a_word_of_the_summary_finds_the_community(client, communities, word):
    soup = search(client, q=word)

    assert found(soup) == ["7 Technologie en makers"]
    assert not errors(soup)


def test_a_word_of_the_name_finds_the_community(client, communities):
    assert found(search(client, q="Mediawijsheid")) == ["2 Mediawijsheid"]


def test_filter_by_theme(client, communities):
    soup = search(client, tag="onderwijs")

    assert found(soup) == ["1 Doorgaande leeslijn (0-18)", "2 Mediawijsheid"]
    selected = soup.select_one("select[name=tag] option[selected]")
    assert selected is not None and selected["value"] == "onderwijs"


def test_filter_by_priority(client, communities):
    soup = search(client, priority=Priority.SUPPORTING_POLICY)

    assert found(soup) == [
        "11 Effectmeting",
        "12 Conceptontwikkeling en open innovatie",
        "13 Marketing",
        "14 Kennisdeling",
        "15 Vakdeskundigheid",
    ]


def test_words_theme_and_priority_combine(client, communities):
    # "digitale vaardigheden" is a theme of 2 (youth) and 3 (participation).
    assert found(search(client, tag="digitale-vaardigheden")) == [
        "2 Mediawijsheid",
        "3 Basisvaardigheden",
    ]
    assert found(search(client, tag="digitale-vaardigheden", priority=Priority.PARTICIPATION)) == [
        "3 Basisvaardigheden"
    ]
    assert found(search(client, q="Taalhuis", priority=Priority.YOUTH_EDUCATION)) == []


def test_archived_communities_are_found_on_request_and_labelled(client, communities):
    dissolved = next(page for page in communities if page.number == 13)
    coordinator = UserFactory(is_superuser=True)
    community_dissolve(actor=coordinator, community=dissolved, reason="Te weinig animo.")

    assert found(search(client, q="Marketing")) == []
    soup = search(client, q="Marketing", archives="on")

    assert found(soup) == ["13 Marketing"]
    badge = soup.select_one(".search-result .badge")
    with translation.override("nl"):
        assert badge is not None and badge.get_text(strip=True) == str(
            CommunityStatus.DISSOLVED.label
        )


def test_no_result_shows_the_empty_state(client, communities):
    soup = search(client, q="onderwaterhockey")

    assert found(soup) == []
    with translation.override("nl"):
        assert soup.select_one(".empty").get_text(strip=True) == gettext(EMPTY_STATE)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "lezen " * 40},  # 240 characters; the field allows 200
        {"priority": "bestaat-niet"},
        {"tag": "<script>alert(1)</script>"},
    ],
    ids=["overlong-query", "unknown-priority", "malformed-theme"],
)
def test_bad_input_is_a_page_with_an_error_not_a_crash(client, communities, params):
    soup = search(client, **params)

    assert errors(soup)
    assert soup.select_one("#results-heading") is None  # no result list for bad input
    assert "<script>alert(1)</script>" not in str(soup.select_one("main"))


def todo_found(soup) -> list[str]:
    return [link.get_text(strip=True) for link in soup.select(".todo-search-result h3 a")]


@pytest.mark.parametrize("query", ["lees", "Lees", "leeslijn", "kaart lees"])
def test_the_beginning_of_a_word_finds_community_and_to_do_item(
    client, communities, moderator, query
):
    # "lees" is how people start typing "leeslijn": Wagtail's autocomplete (a prefix
    # match on the last word) finds what a whole-word search cannot.
    todo_item_create(actor=moderator, community=communities[0], title="Kaart van de leeslijn")

    soup = search(client, q=query)

    assert todo_found(soup) == ["Kaart van de leeslijn"]
    if query != "kaart lees":  # every word must match, and no community says "kaart"
        assert found(soup) == ["1 Doorgaande leeslijn (0-18)"]


def test_the_beginning_of_a_summary_word_finds_the_community(client, communities):
    assert found(search(client, q="makersp")) == ["7 Technologie en makers"]


def test_the_facets_narrow_the_to_do_results(client, communities, moderator, make_user, appoint):
    youth, participation = communities[0], communities[2]  # 1 and 3
    appoint(other := make_user(name="Otto Ander"), participation)
    todo_item_create(actor=moderator, community=youth, title="Voorleesplan jeugd")
    todo_item_create(actor=other, community=participation, title="Voorleesplan volwassenen")

    assert sorted(todo_found(search(client, q="voorleesplan"))) == [
        "Voorleesplan jeugd",
        "Voorleesplan volwassenen",
    ]
    assert todo_found(search(client, q="voorleesplan", priority=Priority.PARTICIPATION)) == [
        "Voorleesplan volwassenen"
    ]
    assert todo_found(search(client, q="voorleesplan", tag="onderwijs")) == ["Voorleesplan jeugd"]
    soup = search(client, q="voorleesplan", priority=Priority.SUPPORTING_POLICY)
    assert todo_found(soup) == []
    with translation.override("nl"):
        assert soup.select_one(".empty").get_text(strip=True) == gettext(EMPTY_STATE)
