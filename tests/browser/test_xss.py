"""The XSS corpus through every text input, opened in headless Chromium.

The payloads are stored through the real services, batched (see xss_support),
then every page that shows them is opened with alert/confirm/prompt/print
trapped, dialogs caught and CSP violations recorded, and every element is
hovered, focused and clicked (by dispatching events; navigation is cancelled).
Pass: no script ran.
"""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from playwright.sync_api import Browser

from communities.forum import views as forum_views
from communities.views import moderation as moderation_views
from tests.browser import xss_support as xss
from tests.views_support import default_language
from todo_lists import views as todo_views

pytestmark = pytest.mark.filterwarnings("ignore::bs4.MarkupResemblesLocatorWarning")

TRAP = """
(() => {
  window.__xss = [];
  window.__csp = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => {
      window.__xss.push(name + ":" + String(args[0]));
      try { window.__xssReport(name + ":" + String(args[0])); } catch (e) {}
    };
  }
  document.addEventListener("securitypolicyviolation",
    (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
})();
"""

POKE = """
async () => {
  const stop = (e) => e.preventDefault();
  document.addEventListener("click", stop, true);
  document.addEventListener("submit", stop, true);
  const elements = Array.from(document.querySelectorAll("body *"));
  for (const el of elements) {
    for (const type of ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup"]) {
      el.dispatchEvent(new MouseEvent(type, {bubbles: type !== "mouseenter"}));
    }
    if (typeof el.focus === "function") el.focus();
    el.dispatchEvent(new FocusEvent("focusin", {bubbles: true}));
    if (typeof el.click === "function") el.click();
    if (typeof el.blur === "function") el.blur();
  }
  await new Promise((resolve) => setTimeout(resolve, 150));
  return {elements: elements.length, xss: window.__xss, csp: window.__csp};
}
"""


@pytest.fixture(autouse=True)
def _default_language():
    with default_language():
        yield


@pytest.fixture
def big_pages(monkeypatch):
    """Show every stored object on one page (the live server runs in this process)."""
    monkeypatch.setattr(forum_views, "THREADS_PER_PAGE", 5000)
    monkeypatch.setattr(forum_views, "POSTS_PER_PAGE", 5000)
    monkeypatch.setattr(moderation_views, "MEMBERS_PER_PAGE", 5000)
    monkeypatch.setattr(todo_views, "OVERVIEW_PER_PAGE", 5000)


def logged_in_context(browser: Browser, site: str, user, executions: list):
    context = browser.new_context()
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site}])
    context.expose_binding("__xssReport", lambda source, text: executions.append(text))
    context.add_init_script(TRAP)
    return context


def store_everything(community):
    try:
        coordinator = xss.person("Cor Coördinator", is_superuser=True, is_staff=True)
        membership = xss.membership_apply(
            actor=coordinator, community=community, haal="-", breng="-"
        )
        xss.membership_accept(actor=coordinator, membership=membership)
        stored = xss.Stored()
        xss.store_forum(stored, actor=coordinator, community=community)
        xss.store_memberships(stored, coordinator=coordinator, community=community)
        xss.store_todo(stored, actor=coordinator, community=community)
        xss.store_community_texts(stored, community=community)
        xss.store_agreements(stored, coordinator=coordinator)
        return coordinator, stored
    finally:
        connection.close()


def test_no_payload_runs_anywhere(browser: Browser, site, communities, big_pages, record_property):
    community = communities[0]
    # Storing a post announces it over the channel layer (async_to_sync), which
    # cannot run on this thread, where Playwright's event loop runs: store from a
    # worker thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        coordinator, stored = pool.submit(store_everything, community).result()
        seeding = time.monotonic() - started
    community.refresh_from_db()

    base = community.url
    thread = stored.objects["thread"][0]
    applicant = stored.objects["applicants"][0].user
    declined = stored.objects["decline reason"][0].user
    coordinator_pages = [
        "/",
        base,
        base + "forum/",
        base + f"forum/{thread.pk}/",
        base + "moderatie/",
        base + "leden/",
        base + "te-doen/",
        base + "te-doen/voorstellen/beoordelen/",
        *(base + f"te-doen/{item.pk}/" for item in stored.objects["to-do description"]),
        *(f"/mensen/{user.pk}/" for user in stored.objects["display name"][: xss.PROFILE_PAGES]),
    ]
    visits = [(coordinator, path) for path in coordinator_pages]
    visits += [(applicant, base + "aanmelding/"), (declined, base + "aanmelding/")]
    visits += [(stored.objects["agreement member"][0], "/mijn-afspraken/")]

    executions, dialogs, csp, failures = [], [], [], []
    elements = 0
    contexts, pages = {}, {}
    try:
        for user, path in visits:
            if user.pk not in contexts:
                contexts[user.pk] = logged_in_context(browser, site, user, executions)
                pages[user.pk] = contexts[user.pk].new_page()
                pages[user.pk].on(
                    "dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss())
                )
            # One tab per person; the init script runs again on every navigation.
            page = pages[user.pk]
            response = page.goto(site + path, wait_until="domcontentloaded")
            if response is None or response.status != 200:
                failures.append(f"{path}: HTTP {response and response.status}")
            result = page.evaluate(POKE)
            elements += result["elements"]
            executions += [f"{path}: {x}" for x in result["xss"]]
            csp += [f"{path}: {x}" for x in result["csp"]]
    finally:
        for context in contexts.values():
            context.close()

    script_csp = [v for v in csp if v.split(": ", 1)[1].startswith("script-src")]
    browsing = time.monotonic() - started - seeding
    summary = (
        f"XSS browser: {len(xss.payloads())} payloads, {len(stored.tried)} inputs, "
        f"{stored.total} payload×input stored, {len(visits)} pages, {elements} elements poked, "
        f"{len(executions)} executions, {len(dialogs)} dialogs, "
        f"{len(csp)} CSP violations ({len(script_csp)} script-src); "
        f"storing {seeding:.0f}s, browsing {browsing:.0f}s"
    )
    print("\n" + summary + "\n" + "\n".join(f"  {k}: {v}" for k, v in stored.tried.items()))
    record_property("xss_summary", summary)
    assert not failures, failures
    assert not executions, executions[:10]
    assert not dialogs, dialogs[:10]
    assert not script_csp, script_csp[:10]


def test_the_trap_sees_a_script_that_runs(browser: Browser):
    """The harness itself: on a page without CSP, an injected handler that fires
    on hover, one that fires on click and one that fires on error are all seen."""
    executions = []
    context = browser.new_context()
    context.expose_binding("__xssReport", lambda source, text: executions.append(text))
    context.add_init_script(TRAP)
    try:
        page = context.new_page()
        page.set_content(
            '<p onmouseover="alert(1)">a</p><a href="#" onclick="confirm(2)">b</a>'
            '<img src="data:," onerror="prompt(3)">'
        )
        result = page.evaluate(POKE)
    finally:
        context.close()

    assert sorted(result["xss"]) == ["alert:1", "confirm:2", "prompt:3"]
    assert sorted(executions) == ["alert:1", "confirm:2", "prompt:3"]
