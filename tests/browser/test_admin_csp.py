"""The Wagtail admin under the site's Content-Security-Policy (issue 7, item 5).

The admin is not excluded from the policy: scripts only from this origin or with
the response's nonce, which cop_platform/csp.py gives to Wagtail's own initialiser
scripts only. Every main admin view is opened in Chromium as a
superuser with every CSP violation recorded (securitypolicyviolation events in
every frame, and the console, where a refused frame is reported); then the superuser
edits and publishes a page, with the widgets whose scripts carry the nonce at work.
"""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image as PILImage
from playwright.sync_api import Browser, expect
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from communities.models import CommunityPage
from cop_platform.wording import EDITORS_GROUP
from members.models import Organisation, OrganisationKind, Province
from tests.browser.support import person

RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  const where = e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : "";
  window.__cspReport(`${e.violatedDirective} ${e.blockedURI}${where} on ${location.pathname}`);
});
"""
NEW_SUMMARY = "Samen werken aan leesplezier, nu met een vernieuwde samenvatting."


class Admin:
    """One logged-in browser context that records CSP violations on every page
    (the init script runs in every frame, the preview's too)."""

    def __init__(self, browser: Browser, site: str, user):
        self.site = site
        self.violations: list[str] = []
        self.context = browser.new_context(base_url=site, locale="nl-NL")
        client = Client()
        client.force_login(user)
        self.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": site,
                }
            ]
        )
        self.context.expose_binding(
            "__cspReport", lambda source, text: self.violations.append(text)
        )
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text[:300]}")

    def open(self, path: str) -> None:
        response = self.page.goto(self.site + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        # Wagtail's scripts have all started once the admin marks its body ready.
        self.page.wait_for_function("document.body.classList.contains('ready')")


@pytest.fixture
def admin_world(site, communities):
    superuser = person("Sam Superuser", is_superuser=True, is_staff=True)
    # Live-server tests flush what Wagtail's migrations made: the editors' group
    # and the root collection that images and documents go into.
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Algemeen")
    editor = person("Eddie Editor", is_staff=True)
    editor.groups.add(editors)
    community = communities[0]
    first = community.save_revision(user=superuser)
    first.publish()
    community.summary = "Een tweede versie van de samenvatting."
    community.save_revision(user=superuser)
    picture = io.BytesIO()
    PILImage.new("RGB", (60, 40), "teal").save(picture, "PNG")
    image = Image.objects.create(
        title="Logo", file=ContentFile(picture.getvalue(), name="logo.png"), width=60, height=40
    )
    document = Document.objects.create(
        title="Verslag", file=ContentFile(b"%PDF-1.4 verslag", name="verslag.pdf")
    )
    organisation = Organisation.objects.create(
        name="Bibliotheek Eemland", kind=OrganisationKind.PUBLIC_LIBRARY, province=Province.UTRECHT
    )
    return {
        "site": site,
        "superuser": superuser,
        "editor": editor,
        "editors": editors,
        "community": community,
        "image": image,
        "document": document,
        "organisation": organisation,
    }


def admin_views(w) -> list[str]:
    page, parent = w["community"].pk, w["community"].get_parent().pk
    return [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{parent}/",
        f"/admin/pages/{page}/edit/",
        f"/admin/pages/add/communities/communitypage/{parent}/",
        f"/admin/pages/{page}/history/",
        f"/admin/pages/{page}/revisions/compare/earliest...latest/",
        f"/admin/pages/{page}/copy/",
        f"/admin/pages/{page}/move/",
        f"/admin/pages/{page}/unpublish/",
        "/admin/pages/search/?q=lezen",
        "/admin/snippets/members/organisation/",
        f"/admin/snippets/members/organisation/edit/{w['organisation'].pk}/",
        "/admin/snippets/members/organisation/add/",
        "/admin/images/",
        f"/admin/images/{w['image'].pk}/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        f"/admin/documents/edit/{w['document'].pk}/",
        "/admin/documents/multiple/add/",
        "/admin/users/",
        f"/admin/users/edit/{w['editor'].pk}/",
        "/admin/groups/",
        f"/admin/groups/edit/{w['editors'].pk}/",
        "/admin/sites/",
        "/admin/redirects/add/",
        "/admin/workflows/add/",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/reports/workflow_tasks/",
        "/admin/account/",
    ]


def test_the_admin_views_run_without_a_csp_violation(browser: Browser, admin_world, tmp_path):
    admin = Admin(browser, admin_world["site"], admin_world["superuser"])
    picture = tmp_path / "oranje.png"
    PILImage.new("RGB", (120, 80), "orange").save(picture, "PNG")
    try:
        views = admin_views(admin_world)
        for path in views:
            admin.open(path)
        # Uploading an image shows a preview of the file before it is sent.
        admin.open("/admin/images/multiple/add/")
        admin.page.locator("input[type=file]").set_input_files(str(picture))
        expect(admin.page.locator("#upload-list")).to_contain_text("oranje.png")
        expect(admin.page.locator("#upload-list form")).to_have_count(1)
        # A chooser whose initialiser carries the nonce opens its modal.
        admin.open(f"/admin/pages/{admin_world['community'].pk}/move/")
        chooser = admin.page.locator("#id_new_parent_page-chooser")
        chooser.locator("[data-w-dropdown-target='toggle']").click()
        chooser.get_by_role("button", name="Kies een andere pagina").click()
        expect(admin.page.locator(".modal-dialog")).to_be_visible()
        admin.page.wait_for_load_state("networkidle")
    finally:
        admin.context.close()
    print(f"\nadmin CSP: {len(views)} admin views, {len(admin.violations)} violations")
    assert not admin.violations, "\n".join(admin.violations)


def test_editing_and_publishing_a_page_works_under_the_policy(browser: Browser, admin_world):
    community = admin_world["community"]
    admin = Admin(browser, admin_world["site"], admin_world["superuser"])
    page = admin.page
    try:
        admin.open(f"/admin/pages/{community.pk}/edit/")
        page.locator("#id_summary").fill(NEW_SUMMARY)
        # The date picker's initialiser ran (it carries the nonce).
        page.locator("#id_start_date").click()
        expect(page.locator(".xdsoft_datetimepicker").filter(visible=True)).to_have_count(1)
        # The picker closes when its field loses focus (it ignores Escape); left open,
        # it can lie over the next button and take its click.
        page.keyboard.press("Tab")
        expect(page.locator(".xdsoft_datetimepicker").filter(visible=True)).to_have_count(0)
        # An inline panel adds a form from its template; the copied initialiser of
        # the new form's date picker carries the nonce too.
        page.locator("#id_former_names-ADD").click()
        page.locator("#id_former_names-0-name").fill("Lezen voor iedereen")
        page.locator("#id_former_names-0-until").click()
        expect(page.locator(".xdsoft_datetimepicker").filter(visible=True)).to_have_count(1)
        page.keyboard.press("Tab")
        expect(page.locator(".xdsoft_datetimepicker").filter(visible=True)).to_have_count(0)
        # The preview is framed by the editor.
        page.locator("[data-side-panel-toggle='preview']").click()
        preview = page.frame_locator("iframe[id^='w-preview-iframe']").first
        expect(preview.locator("body")).to_contain_text(NEW_SUMMARY, timeout=10_000)
        # Publish from the footer's action menu.
        page.locator("footer [data-w-dropdown-target='toggle']").last.click()
        page.locator("button[name='action-publish']").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".messages")).to_be_visible()
    finally:
        admin.context.close()
    assert not admin.violations, "\n".join(admin.violations)
    live = CommunityPage.objects.get(pk=community.pk)
    assert live.summary == NEW_SUMMARY
    assert [name.name for name in live.former_names.all()] == ["Lezen voor iedereen"]
    assert not live.has_unpublished_changes
