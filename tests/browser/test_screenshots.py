"""Screenshots of the main pages for the README: `make screenshots` (SCREENSHOTS=1).

Never part of `make test`: the pictures change whenever a page's look or the
demo data changes, which is no failure. The product as `make run` serves it:
daphne (websockets included) on a fresh database prepared by `migrate` and the
`seed` command with the development settings, so the pages show the demo
people, to-do lists and forums. Each role gets its own browser context, logged
in with a session made in the server's database. Full-page PNGs at 1280 pixels
wide go to docs/screenshots/<name>.png.
"""

import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests.browser.asgi_server import ROOT, daphne, manage, server_env

pytestmark = pytest.mark.skipif(
    os.environ.get("SCREENSHOTS") != "1", reason="screenshots: on request (make screenshots)"
)

OUTPUT = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}

# Runs in the server's environment after `seed`: who plays which role and the
# paths of their pages, all taken from the demo data.
SETUP = """
import json
from django.test import Client
from django.urls import reverse
from communities.forum.demo import QUESTION_TITLE
from communities.forum.models import Thread
from communities.models import CommunityPage, Membership
from members.demo import NETWORK_COORDINATOR_EMAIL
from members.models import Managership, SelfTestResult, User

community = CommunityPage.objects.get(number=1)
thread = Thread.objects.get(community=community, title=QUESTION_TITLE)
members = Membership.objects.filter(community=community, state="active").values("user")
result = SelfTestResult.objects.filter(user__in=members).order_by("pk").first()
outsider = (
    User.objects.filter(memberships__state="active", profile__organisation__isnull=False)
    .exclude(memberships__community=community)
    .order_by("pk")
    .first()
)
managership = Managership.objects.current().order_by("pk").first()

def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value

print("SETUP" + json.dumps({
    "sessions": {
        "member": session(result.user),
        "outsider": session(outsider),
        "manager": session(managership.user),
        "coordinator": session(User.objects.get(email=NETWORK_COORDINATOR_EMAIL)),
    },
    "pages": [
        ["home", "visitor", "/"],
        ["community", "visitor", community.url],
        ["join-form", "outsider", community.url + community.reverse_subpage("apply")],
        ["todo-list", "visitor", community.url + community.reverse_subpage("todo_list")],
        ["todo-overview", "visitor", reverse("todo_overview")],
        [
            "forum-thread",
            "member",
            community.url + community.reverse_subpage("forum_thread", args=[thread.pk]),
        ],
        ["selftest-result", "member", reverse("members:selftest_result", args=[result.pk])],
        [
            "coverage",
            "manager",
            reverse("members:coverage", args=[managership.organisation_id]),
        ],
        ["moderator-overview", "coordinator", reverse("moderation_overview")],
        ["login", "visitor", reverse("account_login")],
    ],
}))
"""


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    database = tmp_path_factory.mktemp("screenshots") / "db.sqlite3"
    env = server_env(database, "cop_platform.settings.dev")
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed")
    output = manage(env, "shell", "-c", SETUP)
    data = json.loads(output.split("SETUP", 1)[1])
    with daphne(env) as base:
        yield {"base": base, **data}


def role_page(browser: Browser, demo_site: dict, role: str) -> Page:
    context = browser.new_context(base_url=demo_site["base"], viewport=VIEWPORT, locale="nl-NL")
    if role != "visitor":
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": demo_site["sessions"][role],
                    "url": demo_site["base"],
                }
            ]
        )
    return context.new_page()


def save_png(screenshot: bytes, path: Path) -> None:
    """As a 256-colour palette PNG: about a third of the size, and the same to the
    eye for the flat colours of these pages."""
    image = Image.open(io.BytesIO(screenshot)).convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(path, "PNG", optimize=True)


def test_screenshots_of_the_main_pages(browser: Browser, demo_site):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pages: dict[str, Page] = {}
    try:
        for name, role, path in demo_site["pages"]:
            if role not in pages:
                pages[role] = role_page(browser, demo_site, role)
            page = pages[role]
            if name == "forum-thread":
                # Live, as in the product: the page's socket opens and stays open.
                with page.expect_websocket() as socket:
                    response = page.goto(path, wait_until="networkidle")
                assert not socket.value.is_closed()
                expect(page.locator("[data-forum-connection]")).to_be_hidden()
            else:
                response = page.goto(path, wait_until="networkidle")
            assert response.status == 200, f"{name}: {path} answered {response.status}"
            expect(page.locator("main h1")).to_be_visible()
            save_png(page.screenshot(full_page=True), OUTPUT / f"{name}.png")
    finally:
        for page in pages.values():
            page.context.close()
    assert sorted(path.stem for path in OUTPUT.glob("*.png")) == sorted(
        name for name, _role, _path in demo_site["pages"]
    )
