"""What the browser tests share: people who can log in, the real login form, and
axe-core with the WCAG 2.1 A/AA rules."""

from concurrent.futures import ThreadPoolExecutor

from axe_playwright_python.sync_playwright import Axe
from django.db import connection
from playwright.sync_api import Page, expect

from members.services import profile_update
from tests.factories import DEFAULT_PASSWORD, UserFactory

# The rule sets of WCAG 2.0 and 2.1, levels A and AA (axe-core's tags).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Plus axe's best practices: heading order, every part of the page in a landmark,
# one <main>; what a screen-reader user navigates by.
WCAG_21_AA_AND_BEST_PRACTICE = [*WCAG_21_AA, "best-practice"]
_AXE = Axe()  # reads the bundled axe-core script once


def person(name: str, organisation=None, **kwargs):
    """Someone who can log in (verified primary e-mail address) and has a Dutch profile."""
    user = UserFactory(**kwargs)
    profile_update(actor=user, display_name=name, organisation=organisation, language="nl")
    return user


def off_the_event_loop(function, *args, **kwargs):
    """Call `function` in a worker thread and return its result.

    Forum writes announce themselves over the channel layer (async_to_sync), which
    cannot run on the main thread, where Playwright's event loop runs."""

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()  # the worker thread's own connection

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def log_in(page: Page, site: str, user, next_path: str) -> None:
    """Log in through allauth's form and land on `next_path`."""
    page.goto(f"{site}/accounts/login/?next={next_path}")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(site + next_path)


def accessibility_report(page: Page, tags: list[str] = WCAG_21_AA) -> str:
    """axe-core's violations of the rules with `tags` (default WCAG 2.1 A/AA) on the
    page as it is now, as a readable report (rule, impact, help link, every
    offending element with axe's advice); empty when there are none."""
    results = _AXE.run(
        page,
        options={"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]},
    )
    if results.violations_count == 0:
        return ""
    return f"{page.url}\n{results.generate_report()}"


def assert_accessible(page: Page) -> None:
    report = accessibility_report(page)
    assert not report, report
