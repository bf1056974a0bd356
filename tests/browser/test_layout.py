"""The layout fits the screen: on a phone (375 px wide) no page is wider than the
screen, and the account menu with "Log out" opens inside it; at 1280 px the
logged-in header (the coordinator's, the longest) stays on one line."""

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.support import log_in
from tests.views_support import default_language

PHONE = {"width": 375, "height": 800}
LAPTOP = {"width": 1280, "height": 800}
PREFIX = {"nl": "", "en": "/en"}
LOG_OUT = {"nl": "Uitloggen", "en": "Log out"}
# How far the page reaches beyond the screen, in CSS pixels (0 when it fits).
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


def test_no_page_is_wider_than_a_phone(browser: Browser, site, people_and_pages):
    too_wide = []
    for role in ("visitor", "member"):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        try:
            if role != "visitor":
                log_in(page, site, people_and_pages["people"][role], "/")
            for checked in people_and_pages["pages"]:
                if checked.role != role or checked.path.startswith("/admin/"):
                    continue
                for language in checked.languages:
                    page.goto(site + PREFIX[language] + checked.path)
                    if (overflow := page.evaluate(OVERFLOW)) > 0:
                        too_wide.append(f"{checked.name} ({language}, {role}): {overflow}px")
        finally:
            context.close()

    assert not too_wide, "wider than a 375 px screen:\n  " + "\n  ".join(too_wide)


@pytest.mark.parametrize("language", PREFIX)
def test_log_out_is_within_reach_on_a_phone(browser: Browser, site, people_and_pages, language):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        log_in(page, site, people_and_pages["people"]["coordinator"], "/")
        page.goto(site + PREFIX[language] + "/")
        page.locator(".account-menu__toggle").click()
        log_out = page.get_by_role("button", name=LOG_OUT[language])
        expect(log_out).to_be_visible()
        box = log_out.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert page.evaluate(OVERFLOW) <= 0
    finally:
        context.close()


@pytest.mark.parametrize("language", PREFIX)
def test_the_logged_in_header_is_one_line_at_1280(
    browser: Browser, site, people_and_pages, language
):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    try:
        log_in(page, site, people_and_pages["people"]["coordinator"], "/")
        page.goto(site + PREFIX[language] + "/coordinatie/netwerk/")
        # One line: every part of the header (logo, menu, tools) starts above the
        # point where the first of them ends.
        one_line = page.evaluate(
            """() => {
                const boxes = [...document.querySelectorAll('.site-header__inner > *')]
                    .map(part => part.getBoundingClientRect());
                return Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom));
            }"""
        )
        assert one_line, "the header wraps onto more than one line"
        assert page.evaluate(OVERFLOW) <= 0
    finally:
        context.close()
