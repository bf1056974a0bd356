"""The home page in a real browser: the communities per priority and the language
switch. (WCAG 2.1 A/AA: test_accessibility.py.)"""

import re

from django.utils import translation
from playwright.sync_api import Page, expect

from communities.models import Priority


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

    page.get_by_role("link", name="English").click()

    expect(page).to_have_url(re.compile(re.escape(site) + r"/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("section.priority h2")).to_have_text(priority_labels("en"))
    expect(page.locator("section.priority h2").first).to_have_text("Youth & education")
    expect(page.locator(".community-card")).to_have_count(15)

    page.get_by_role("link", name="Nederlands").click()

    expect(page).to_have_url(site + "/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("link", name="English")).to_be_visible()
