"""Every page type meets WCAG 2.1 A and AA and axe's best practices (headings in
order, everything in a landmark, one <main>), in Dutch and in English (axe-core
in Chromium).

Every page type: one page of every distinct template a visitor, member,
moderator, manager or network coordinator can reach (tests/browser/site_pages.py
names them and who looks at each), the error pages (403, 404, CSRF failure, 500)
and the community's edit page in the Wagtail admin. One browser context per
role. The test reports every violation it found (axe's rule, the offending
elements and how to fix them), not just the first page that failed.
"""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error
from playwright.sync_api import Browser, Page, expect

from tests.browser.support import WCAG_21_AA_AND_BEST_PRACTICE, accessibility_report, log_in
from tests.views_support import default_language

LANGUAGES = ("nl", "en")
PREFIX = {"nl": "", "en": "/en"}


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


def role_page(browser: Browser, site: str, role: str, people: dict) -> Page:
    page = browser.new_context().new_page()
    if role != "visitor":
        log_in(page, site, people[role], "/")
    return page


def report(page: Page, title: str) -> str:
    found = accessibility_report(page, WCAG_21_AA_AND_BEST_PRACTICE)
    return f"== {title}\n{found}" if found else ""


def test_every_page_type_is_accessible_in_both_languages(browser: Browser, site, people_and_pages):
    pages: dict[str, Page] = {}
    reports, checked_count = [], 0
    try:
        for checked in people_and_pages["pages"]:
            if checked.role not in pages:
                pages[checked.role] = role_page(
                    browser, site, checked.role, people_and_pages["people"]
                )
            page = pages[checked.role]
            for language in checked.languages:
                response = page.goto(site + PREFIX[language] + checked.path)
                assert response.status == checked.status, (
                    f"{checked.name} ({language}): {response.status}"
                )
                expect(page.locator("html")).to_have_attribute("lang", language)
                checked_count += 1
                if found := report(page, f"{checked.name} ({language}), as {checked.role}"):
                    reports.append(found)
    finally:
        for page in pages.values():
            page.context.close()

    assert not reports, (
        f"{len(reports)} of {checked_count} pages have accessibility violations:\n\n"
        + "\n".join(reports)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_csrf_and_server_error_pages_are_accessible(
    browser: Browser, site, people_and_pages, language
):
    context = browser.new_context()
    try:
        page = context.new_page()
        log_in(page, site, people_and_pages["people"]["member"], "/")
        # A form sent after the session's cookies were lost (another tab logged out,
        # cookies cleared): the CSRF failure page.
        page.goto(f"{site}{PREFIX[language]}/profiel/")
        context.clear_cookies()
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.locator("main form button[type=submit]").first.click()
        assert posted.value.status == 403
        expect(page.locator("html")).to_have_attribute("lang", language)
        reports = [report(page, f"CSRF failure ({language})")]

        # The 500 page as Django renders it (no request, no database), shown on the site.
        with translation.override(language):
            html = server_error(RequestFactory().get("/")).content.decode()
        page.goto(site + "/healthz")
        page.set_content(html)
        expect(page.locator("html")).to_have_attribute("lang", language)
        reports.append(report(page, f"server error ({language})"))
    finally:
        context.close()

    assert not any(reports), "\n".join(reports)
