"""A network coordinator merges two communities in a real browser: chooses them,
looks at the preview, confirms, lands on the result with its lineage, and undoes
the merge from the history page. With the keyboard only for the choices."""

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from communities.lifecycle.models import LifecycleEvent
from communities.models import CommunityPage, CommunityStatus
from communities.services.memberships import membership_accept, membership_apply
from communities.services.moderators import moderator_appoint
from tests.browser.support import assert_accessible, log_in, person
from tests.views_support import default_language

pytestmark = pytest.mark.browser

TITLE = "Participatie en zelfredzaamheid"


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture
def cast(site, communities):
    three, four = communities[2], communities[3]
    superuser = person("Cor Coördinator", is_superuser=True, is_staff=True)
    for community, name in ((three, "Mo Drie"), (four, "Mo Vier")):
        moderator = person(name)
        membership = membership_apply(
            actor=moderator, community=community, haal="Ideeën.", breng="Ervaring."
        )
        membership_accept(actor=superuser, membership=membership)
        moderator_appoint(actor=superuser, community=community, user=moderator)
    from django.contrib.auth.models import Group

    from communities.permissions import COORDINATORS_GROUP

    coordinator = person("Noor Netwerk")
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    mail.outbox.clear()
    return {"three": three, "four": four, "coordinator": coordinator}


def test_a_coordinator_merges_two_communities_and_undoes_it(page: Page, site, cast):
    three, four = cast["three"], cast["four"]
    log_in(page, site, cast["coordinator"], "/levensloop/samenvoegen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Communities samenvoegen")

    # Choose with the keyboard: focus the first checkbox and Space to tick.
    page.get_by_label(f"{three.number}. {three.title}").focus()
    page.keyboard.press("Space")
    page.get_by_label(f"{four.number}. {four.title}").focus()
    page.keyboard.press("Space")
    page.get_by_label("Naam van de nieuwe community").fill(TITLE)
    page.get_by_label("Reden").fill("Zelfde mensen, zelfde partners.")
    page.get_by_role("button", name="Voorbeeld bekijken").press("Enter")

    expect(page.get_by_role("heading", name="Voorbeeld: wat er gaat gebeuren")).to_be_visible()
    expect(page.locator(".lifecycle-preview table")).to_contain_text("Lidmaatschappen")
    assert_accessible(page)
    page.screenshot(path="/tmp/lcp/shot-merge-preview.png", full_page=True)
    assert not CommunityPage.objects.filter(title=TITLE).exists()

    page.get_by_role("button", name="Samenvoeging bevestigen").click()

    successor = CommunityPage.objects.get(title=TITLE)
    expect(page).to_have_url(site + successor.url)
    expect(page.locator(".lineage")).to_contain_text("Samengevoegd uit")
    expect(page.locator(".lineage")).to_contain_text(three.title)
    page.screenshot(path="/tmp/lcp/shot-merge-result.png", full_page=True)

    # The old address shows the archive and leads on to the result.
    page.goto(site + three.url)
    notice = page.locator(".notice--archive")
    expect(notice).to_contain_text("Samengevoegd op")
    notice.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(site + successor.url)

    # Undo from the network's history page.
    page.goto(site + "/levensloop/")
    page.get_by_role("link", name="Terugdraaien…").click()
    page.get_by_role("button", name="Ja, draai het terug").click()
    expect(page.locator(".messages")).to_contain_text("Teruggedraaid")
    three.refresh_from_db()
    assert three.status == CommunityStatus.ACTIVE
    assert LifecycleEvent.objects.get(kind="merge").is_undone
