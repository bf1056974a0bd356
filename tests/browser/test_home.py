"""The home page in a real browser: the communities per priority, the language
switch, and WCAG 2.1 A/AA."""

import re

from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import Page, expect

from communities.models import Priority

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def priority_labels(language: str) -> list[str]:
    with translation.override(language):
        return [str(label) for _value, label in Priority.choices]


def test_home_page_and_language_switch(page: Page, site):
    page.goto(site + "/")

    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("section.priority h2")).to_have_text(priority_labels("nl"))
    expect(page.locator(".community-card")).to_have_count(15)
    youth = page.locator("section.priority").first
    expect(youth.locator(".community-card__title")).to_have_text(
        ["1 Doorgaande leeslijn (0-18)", "2 Mediawijsheid"]
    )

    page.get_by_role("button", name="English").click()

    expect(page).to_have_url(re.compile(re.escape(site) + r"/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("section.priority h2")).to_have_text(priority_labels("en"))
    expect(page.locator("section.priority h2").first).to_have_text("Youth & education")
    expect(page.locator(".community-card")).to_have_count(15)

    page.get_by_role("button", name="Nederlands").click()

    expect(page).to_have_url(site + "/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("button", name="English")).to_be_visible()


def test_home_page_meets_wcag_21_aa(page: Page, site):
    for path in ("/", "/en/"):
        page.goto(site + path)

        results = Axe().run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_21_AA},
                "resultTypes": ["violations"],
            },
        )

        assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"
