"""The XSS corpus through every text input, opened in headless Chromium.

The payloads are stored through the real services, batched (see xss_support),
then every page that shows them is opened with alert/confirm/prompt/print
trapped, dialogs caught and CSP violations recorded, and every element is
hovered, focused and clicked (by dispatching events; navigation is cancelled).
Pass: no script ran.

The live forum is tested the same way on an ASGI server (websockets): hostile
posts, edits and missed posts arrive in an open thread page and thread list.

Run with -s for a one-line summary per test (payloads × inputs, pages, elements,
executions, dialogs, CSP violations); the figures are also recorded as the
`xss_summary` property (junit XML).
"""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, expect

from communities.forum import views as forum_views
from communities.lifecycle.models import LifecycleEvent
from communities.models import CommunityPage
from communities.views import lifecycle as lifecycle_views
from communities.views import moderation as moderation_views
from tests.browser import xss_support as xss
from tests.browser.asgi_server import daphne, manage, server_env
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
async ({click}) => {
  const URL_ATTRIBUTES = ["href", "src", "action", "formaction", "xlink:href", "poster",
                          "background", "data", "codebase", "cite"];
  const stop = (e) => e.preventDefault();
  document.addEventListener("click", stop, true);
  document.addEventListener("submit", stop, true);
  const elements = Array.from(document.querySelectorAll("body *"));
  for (const el of elements) {
    const types = ["mouseover", "mouseenter", "mousemove"];
    if (click) types.push("mousedown", "mouseup");
    for (const type of types) {
      el.dispatchEvent(new MouseEvent(type, {bubbles: type !== "mouseenter"}));
    }
    if (typeof el.focus === "function") el.focus();
    el.dispatchEvent(new FocusEvent("focusin", {bubbles: true}));
    if (click && typeof el.click === "function") el.click();
    if (typeof el.blur === "function") el.blur();
  }
  await new Promise((resolve) => setTimeout(resolve, 150));
  // What would run on an event the poking did not fire: handler attributes and
  // script URLs anywhere in the document as the browser built it.
  const handlers = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const scriptUrl = URL_ATTRIBUTES.includes(name)
        && /^[\\s\\u0000-\\u001f]*(javascript|vbscript):/i.test(attribute.value);
      if (name.startsWith("on") || scriptUrl) {
        handlers.push(`<${el.localName} ${name}="${attribute.value.slice(0, 60)}">`);
      }
    }
  }
  return {elements: elements.length, xss: window.__xss, csp: window.__csp, handlers};
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
    monkeypatch.setattr(lifecycle_views, "EVENTS_PER_PAGE", 5000)


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


def store_everything(communities):
    community = communities[0]
    try:
        coordinator = xss.person("Cor Coördinator", is_superuser=True, is_staff=True)
        membership = xss.membership_apply(
            actor=coordinator, community=community, haal="-", breng="-"
        )
        xss.membership_accept(actor=coordinator, membership=membership)
        stored = xss.Stored()
        topics = xss.store_topics(stored)
        xss.store_organisations(stored)
        xss.store_forum(stored, actor=coordinator, community=community)
        thread = stored.objects["thread"][0]
        xss.store_memberships(stored, coordinator=coordinator, community=community, topics=topics)
        xss.store_hidden_posts(stored, moderator=coordinator, thread=thread)
        xss.store_todo(stored, actor=coordinator, community=community)
        xss.store_community_texts(stored, communities=communities)
        xss.store_agreements(stored, coordinator=coordinator)
        xss.store_member_names(stored, coordinator=coordinator, community=community)
        xss.store_mentions(stored, coordinator=coordinator, community=community, thread=thread)
        xss.store_lifecycle(stored, coordinator=coordinator, communities=communities)
        stored.objects["outsider"] = [xss.person("Olaf Buitenstaander")]
        return coordinator, stored
    finally:
        connection.close()


def visit_all(browser: Browser, site: str, visits) -> dict:
    """Open every (user, path) in that user's tab, poke every element; what happened."""
    seen = {
        "executions": [],
        "dialogs": [],
        "csp": [],
        "handlers": [],
        "failures": [],
        "elements": 0,
    }
    contexts, pages = {}, {}

    def dialog(dialog) -> None:
        # Leaving a form that the poking changed may ask "leave the page?": the
        # browser's own question, not a script's.
        if dialog.type == "beforeunload":
            dialog.accept()
            return
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    try:
        for user, path in visits:
            if user.pk not in contexts:
                contexts[user.pk] = logged_in_context(browser, site, user, seen["executions"])
                pages[user.pk] = contexts[user.pk].new_page()
                pages[user.pk].on("dialog", dialog)
            # One tab per person; the init script runs again on every navigation.
            page = pages[user.pk]
            response = page.goto(site + path, wait_until="domcontentloaded")
            if response is None or response.status != 200:
                seen["failures"].append(f"{path}: HTTP {response and response.status}")
            admin = path.startswith("/admin/")
            if admin:
                # Wagtail's scripts (tag fields, side panels) have all started.
                page.wait_for_function("document.body.classList.contains('ready')")
            # The Wagtail admin is an application: a click there saves, deletes,
            # navigates or opens dialogs. Its elements are hovered and focused, and the
            # scan for handler attributes covers what only a click would fire.
            result = page.evaluate(POKE, {"click": not admin})
            seen["elements"] += result["elements"]
            seen["handlers"] += [f"{path}: {x}" for x in result["handlers"]]
            seen["executions"] += [f"{path}: {x}" for x in result["xss"]]
            seen["csp"] += [f"{path}: {x}" for x in result["csp"]]
    finally:
        for context in contexts.values():
            context.close()
    return seen


def report(record_property, title: str, stored, pages: int, seen: dict, timings: str) -> None:
    script_csp = [v for v in seen["csp"] if v.split(": ", 1)[1].startswith("script-src")]
    summary = (
        f"{title}: {len(xss.payloads())} payloads, {len(stored.tried)} inputs, "
        f"{stored.total} payload×input stored, {pages} pages, "
        f"{seen['elements']} elements poked, {len(seen['executions'])} executions, "
        f"{len(seen['dialogs'])} dialogs, {len(seen['handlers'])} handler attributes, "
        f"{len(seen['csp'])} CSP violations ({len(script_csp)} script-src); {timings}"
    )
    print("\n" + summary + "\n" + "\n".join(f"  {k}: {v}" for k, v in stored.tried.items()))
    record_property("xss_summary", summary)
    assert not seen["failures"], seen["failures"]
    assert not seen["executions"], seen["executions"][:10]
    assert not seen["dialogs"], seen["dialogs"][:10]
    assert not seen["handlers"], seen["handlers"][:10]
    assert not script_csp, script_csp[:10]


def test_no_payload_runs_anywhere(browser: Browser, site, communities, big_pages, record_property):
    # Storing a post announces it over the channel layer (async_to_sync), which
    # cannot run on this thread, where Playwright's event loop runs: store from a
    # worker thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        coordinator, stored = pool.submit(store_everything, communities).result()
        seeding = time.monotonic() - started
    community = CommunityPage.objects.get(pk=communities[0].pk)
    founding = [c.pk for c in communities]

    base = community.url
    thread = stored.objects["thread"][0]
    applicant = stored.objects["applicants"][0].user
    declined = stored.objects["decline reason"][0].user
    asked = stored.objects["moderators' question"][0].user
    theme = community.tags.exclude(slug="").order_by("-pk").first()
    lifecycle_pages = [
        CommunityPage.objects.get(pk=page.pk) for page in stored.objects["lifecycle pages"]
    ]
    lifecycle_renamed = [
        CommunityPage.objects.get(pk=page.pk) for page in stored.objects["lifecycle renamed"]
    ]
    coordinator_pages = [
        "/",
        base,
        base + "forum/",
        base + f"forum/{thread.pk}/",
        base + "moderatie/",
        base + "leden/",
        base + "te-doen/",
        base + "te-doen/voorstellen/",
        base + "te-doen/voorstellen/beoordelen/",
        *(base + f"te-doen/{item.pk}/" for item in stored.objects["to-do description"]),
        # Bios are shown one profile at a time.
        *(f"/mensen/{m.user.pk}/" for m in stored.objects["applicants"]),
        # Each founding community page lists its former names; the home page (above)
        # and the search page without a query list every community's name and
        # summary, ~800 of them (so does the manager's coverage view, below).
        *(
            c.url
            for c in CommunityPage.objects.filter(pk__in=founding)
            .exclude(pk=community.pk)
            .order_by("number")
        ),
        "/zoeken/?q=",
        "/te-doen/",
        "/meldingen/",
        "/coordinatie/moderatoren/",
        # Post bodies, thread and to-do titles, community texts in search results.
        "/zoeken/?q=alert",
        f"/zoeken/?tag={theme.slug}",
        # What a coordinator sees of the community texts in the Wagtail admin.
        f"/admin/pages/{community.get_parent().pk}/",
        f"/admin/pages/{community.pk}/edit/",
        f"/admin/pages/{community.pk}/history/",
        f"/admin/pages/{community.pk}/revisions/compare/earliest...latest/",
        "/admin/pages/search/?q=alert",
        # Organisation names, as coordinators add them.
        "/admin/snippets/members/organisation/",
        # Lifecycle reasons and new names: the network's history (every event),
        # each renamed community's history, its rename form (the name in a
        # value attribute) and an undo confirmation; the archives (dissolved,
        # merged: notice with reason and successor) and the merge's result.
        reverse("lifecycle_history"),
        *(c.subpage_url("history") for c in lifecycle_renamed),
        reverse("lifecycle_rename", args=[lifecycle_renamed[0].pk]),
        reverse("lifecycle_undo", args=[LifecycleEvent.objects.latest("pk").pk]),
        *(page.url for page in lifecycle_pages),
        lifecycle_pages[0].subpage_url("forum"),
        lifecycle_pages[-1].subpage_url("history"),
    ]
    visits = [(coordinator, path) for path in coordinator_pages]
    visits += [(applicant, base + "aanmelding/"), (declined, base + "aanmelding/")]
    visits += [(asked, base + "aanmelding/")]
    welcomed = stored.objects["welcome message"][0].user
    visits += [(welcomed, base + "aanmelding/"), (welcomed, base)]
    # The intake form offers every topic and organisation.
    visits += [(stored.objects["outsider"][0], base + "aanmelden/")]
    visits += [(stored.objects["agreement member"][0], "/mijn-afspraken/")]
    # Every role's contribution, as the organisation's manager reviews them.
    coverage = reverse("members:coverage", args=[stored.objects["organisation"][0].pk])
    visits += [(stored.objects["manager"][0], coverage)]

    seen = visit_all(browser, site, visits)
    browsing = time.monotonic() - started - seeding
    report(
        record_property,
        "XSS browser",
        stored,
        len(visits),
        seen,
        f"storing {seeding:.0f}s, browsing {browsing:.0f}s",
    )


# --------------------------------------------------------------------------
# The live forum: fragments inserted by static/js/forum.js as they arrive.
# --------------------------------------------------------------------------

LIVE_SETUP = """
import json, os
from django.test import Client
from communities.forum.services import thread_create
from communities.models import CommunityPage
from members.services import profile_update
from communities.services.memberships import membership_accept, membership_apply
from tests.factories import UserFactory

given = json.loads(os.environ["XSS_LIVE"])
community = CommunityPage.objects.get(number=1)
coordinator = UserFactory(username="coordinator", is_superuser=True, is_staff=True)
writer = UserFactory(username="writer")
profile_update(actor=writer, display_name=given["writer"], organisation=None, language="nl")
application = membership_apply(actor=writer, community=community, haal="Ideeën", breng="Tijd")
membership_accept(actor=coordinator, membership=application)
reader = UserFactory(username="reader")
profile_update(actor=reader, display_name="Olga Lezer", organisation=None, language="nl")
thread = thread_create(actor=writer, community=community, title=given["title"], body="Hallo")

def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value

print("SETUP" + json.dumps({
    "forum_url": community.subpage_url("forum"),
    "thread_url": community.subpage_url("forum_thread", thread.pk),
    "writer": session(writer),
    "reader": session(reader),
}))
"""
# Counts the page's open websockets (the thread list has no test hooks).
COUNT_SOCKETS = """
(() => {
  const Native = window.WebSocket;
  window.__openSockets = 0;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("open", () => { window.__openSockets += 1; });
    }
  };
})();
"""
LIVE_TIMEOUT = 30_000  # ms: 20,000 characters of hostile text per post, sanitised


@pytest.fixture(scope="module")
def live_forum(tmp_path_factory):
    """daphne (websockets) on a database of its own: a writer (hostile name), a
    reader, and a thread with a hostile title in community 1."""
    database = tmp_path_factory.mktemp("xss-live") / "db.sqlite3"
    env = server_env(database, "tests.browser.forum_live_settings")
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed", "--no-accounts")
    names, titles = xss.chunks(120), xss.chunks(200)
    given = {"writer": names[-1][0], "title": titles[-1][0]}
    output = manage({**env, "XSS_LIVE": json.dumps(given)}, "shell", "-c", LIVE_SETUP)
    data = json.loads(output.split("SETUP", 1)[1])
    with daphne(env) as base:
        yield {"base": base, "counts": {"writer": names[-1][1], "title": titles[-1][1]}, **data}


def live_context(browser: Browser, live: dict, who: str, executions: list):
    context = browser.new_context(base_url=live["base"], locale="nl-NL")
    context.add_cookies([{"name": "sessionid", "value": live[who], "url": live["base"]}])
    context.expose_binding("__xssReport", lambda source, text: executions.append(text))
    context.add_init_script(TRAP)
    context.add_init_script(COUNT_SOCKETS)
    return context


def test_live_updates_run_no_payload(browser: Browser, live_forum, record_property):
    """While a reader has the thread page and the thread list open, the writer posts
    the corpus (live fragments), edits every post to another part of it (replaced
    fragments), and posts it again while the reader's connection is down (fetched
    on reconnect). The thread list shows the thread's hostile title and the
    writer's hostile name as its rows are replaced."""
    started = time.monotonic()
    live = live_forum
    stored = xss.Stored()
    seen = {"executions": [], "dialogs": [], "csp": [], "handlers": [], "failures": []}
    reader = live_context(browser, live, "reader", seen["executions"])
    writer = live_context(browser, live, "writer", seen["executions"])
    try:
        thread = reader.new_page()
        thread_list = reader.new_page()
        for page in (thread, thread_list):
            page.on(
                "dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss())
            )
        thread.goto(live["thread_url"])
        thread.wait_for_function("() => window.forumTest && window.forumTest.isOpen()")
        thread_list.goto(live["forum_url"])
        thread_list.wait_for_function("() => window.__openSockets > 0")

        form_page = writer.new_page()
        form_page.goto(live["thread_url"])
        token = form_page.locator("form[data-forum-reply] [name=csrfmiddlewaretoken]").input_value()

        def write(path: str, body: str) -> None:
            response = writer.request.post(
                path, form={"csrfmiddlewaretoken": token, "body": body}, max_redirects=0
            )
            assert response.status == 302, (path, response.status, response.text()[:500])

        posts = thread.locator("[data-forum-posts] article[data-post-id]")
        bodies = xss.chunks(20_000)
        for body, count in bodies:
            write(live["thread_url"] + "antwoorden/", body)
            stored.add("post body, live", count)
        expect(posts).to_have_count(1 + len(bodies), timeout=LIVE_TIMEOUT)

        ids = posts.evaluate_all("posts => posts.map(post => post.dataset.postId)")[1:]
        for post_id, (body, count) in zip(ids, bodies[1:] + bodies[:1], strict=True):
            write(live["thread_url"] + f"bericht/{post_id}/bewerken/", body)
            stored.add("post body, live edit", count)
        expect(thread.locator("[data-forum-posts] .post__edited")).to_have_count(
            len(bodies), timeout=LIVE_TIMEOUT
        )

        thread.evaluate("() => window.forumTest.drop()")
        thread.wait_for_function("() => !window.forumTest.isOpen()")
        for body, count in bodies:
            write(live["thread_url"] + "antwoorden/", body)
            stored.add("post body, fetched after a reconnect", count)
        thread.evaluate("() => window.forumTest.restore()")
        expect(posts).to_have_count(1 + 2 * len(bodies), timeout=LIVE_TIMEOUT)
        thread.wait_for_function("() => window.forumTest.idle()")
        expect(thread_list.locator("[data-forum-threads] .thread-row--unread")).to_have_count(1)
        stored.add("thread title, live list", live["counts"]["title"])
        stored.add("display name, live", live["counts"]["writer"])

        elements = 0
        for page in (thread, thread_list):
            result = page.evaluate(POKE, {"click": True})
            elements += result["elements"]
            seen["executions"] += [f"{page.url}: {x}" for x in result["xss"]]
            seen["csp"] += [f"{page.url}: {x}" for x in result["csp"]]
            seen["handlers"] += [f"{page.url}: {x}" for x in result["handlers"]]
    finally:
        reader.close()
        writer.close()
    seen["elements"] = elements
    report(
        record_property,
        "XSS live",
        stored,
        2,
        seen,
        f"{time.monotonic() - started:.0f}s after the server started",
    )


def test_the_trap_sees_a_script_that_runs(browser: Browser):
    """The harness itself: on a page without CSP, an injected handler that fires
    on hover, one that fires on click and one that fires on error are all seen;
    the scan finds every handler and script URL, also without clicks (the admin's
    way)."""
    hostile = (
        '<p onmouseover="alert(1)">a</p><a href="#" onclick="confirm(2)">b</a>'
        '<img src="data:," onerror="prompt(3)"><a href=" javascript:print(4)">c</a>'
    )
    executions = []
    context = browser.new_context()
    context.expose_binding("__xssReport", lambda source, text: executions.append(text))
    context.add_init_script(TRAP)
    try:
        page = context.new_page()
        page.set_content(hostile)
        clicked = page.evaluate(POKE, {"click": True})
        page = context.new_page()
        page.set_content(hostile)
        hovered = page.evaluate(POKE, {"click": False})
    finally:
        context.close()

    # Navigation is cancelled, so a script URL never runs: the scan reports it.
    assert sorted(clicked["xss"]) == ["alert:1", "confirm:2", "prompt:3"]
    assert sorted(set(executions)) == sorted(clicked["xss"])  # reported as they happen
    assert sorted(hovered["xss"]) == ["alert:1", "prompt:3"]
    assert len(clicked["handlers"]) == len(hovered["handlers"]) == 4
