"""Every route, every role (issue 7, item 2).

All URL patterns are discovered (Django's resolver, walked recursively, plus the
RoutablePageMixin sub-routes of CommunityPage and the websocket routes) and held
against ROUTES below: for each route, the outcome every role gets for GET and,
on state-changing routes, for a CSRF-valid POST:

- "allow": 2xx, a redirect to anything but the login page, or (POST) a 400: let
  in, and the empty form refused;
- "login": a redirect to the allauth login page;
- "login page": a page that tells the visitor what is behind the login and links to
  it (the forums for anonymous visitors, issue 13 item 9), showing none of the content;
- "deny": 403 or 404, or Wagtail's "permission denied" redirect to its dashboard;
- "skip": not requested (see the comment at the entry).

Every POST carries a valid CSRF token (the client enforces the checks). Every HTML
response, whatever its status, must carry a Content-Security-Policy that allows no
inline script (issue 7, item 5).

A route that is not in the table fails `test_every_route_is_classified`, so a new
route must be classified before it can land. The Wagtail admin (some 200 patterns) is
classified as a group by its prefix ("admin/"), and the areas with past advisories are
requested one by one in ADMIN_AREAS.

The data (two communities, two organisations, one person per role and the objects
the paths need) is created once per module through the real services, inside a
transaction that is rolled back at the end; every request runs in its own savepoint,
so a POST that changes something cannot change what the next role sees.
"""

import datetime
from http.cookies import SimpleCookie

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from communities.forum.services import post_create, thread_create
from communities.models import CommunityPage, Moderatorship
from communities.permissions import COORDINATORS_GROUP
from communities.services.memberships import membership_accept, membership_apply
from communities.services.moderators import moderator_appoint
from cop_platform.asgi import application
from cop_platform.routing import websocket_urlpatterns
from cop_platform.wording import EDITORS_GROUP
from members.models import (
    Managership,
    Organisation,
    OrganisationKind,
    Province,
    SelfTestStatement,
)
from members.services import profile_update
from members.services.agreements import agreement_record
from members.services.managers import manager_appoint
from members.services.roles import role_assign
from members.services.selftest import selftest_share, selftest_submit
from teams.services import koffer_round_start
from tests.factories import UserFactory
from tests.views_support import default_language
from todo_lists.services import todo_item_create, todo_proposal_create

ROLES = (
    "anonymous",
    "outsider",
    "applicant",
    "member",
    "moderator",
    "other_moderator",
    "ex_moderator",
    "manager",
    "other_manager",
    "coordinator",
    "editor",
)
HAAL = "Ideeën om kinderen die weinig lezen aan het lezen te krijgen."
BRENG = "Ervaring met voorleesprojecten op school."
SELFTEST_ANSWERS = {f"{r}{i}": 3 for r in "bva" for i in range(1, 7)}


def every(outcome: str) -> dict:
    return dict.fromkeys(ROLES, outcome)


def only(allowed, *, default: str = "deny", anonymous: str = "login") -> dict:
    """`allowed` roles get "allow", the anonymous visitor is sent to log in, the
    other roles get `default`."""
    table = {role: default for role in ROLES}
    table.update(dict.fromkeys(allowed, "allow"))
    table["anonymous"] = anonymous
    return table


def logged_in() -> dict:
    return only(ROLES)


PUBLIC = every("allow")
MEMBERS_OF_A = ("member", "moderator", "ex_moderator")


# --------------------------------------------------------------------------
# The table. Keys are the discovered pattern strings (CommunityPage sub-routes as
# "community:<pattern>"), values map a method to the outcome per role. The URL
# builder for each key is in `_urls` below.
# --------------------------------------------------------------------------

MANAGER = ("manager",)
TEAM = ("member", "manager")  # the people of organisation A (its manager works there too)
COORDINATOR = ("coordinator",)
CURATORS = ("moderator", "coordinator")  # moderators of A and the coordinators
POSTERS = MEMBERS_OF_A  # active members of A (the ex-moderator still is one)
NOBODY = ()


def get(expected: dict) -> dict:
    return {"GET": expected}


def get_post(expected: dict, post: dict | None = None) -> dict:
    return {"GET": expected, "POST": post or expected}


ROUTES: dict[str, dict[str, dict]] = {
    # --- site-wide Django views ------------------------------------------------
    "healthz": get(PUBLIC),
    "i18n/setlang/": get_post(PUBLIC),
    "documents/^(\\d+)/(.*)$": get(PUBLIC),
    # A restriction that does not exist: nobody gets past it.
    "documents/authenticate_with_password/<int:restriction_id>/": get_post(every("deny")),
    "zoeken/": get(PUBLIC),
    "coordinatie/moderatoren/": get(only(COORDINATOR)),
    # The lifecycle: its history is public; merge, split, dissolve, rename and undo
    # are the coordinators'. An empty POST is a form with errors (200), changing nothing.
    "levensloop/": get(PUBLIC),
    "levensloop/samenvoegen/": get_post(only(COORDINATOR)),
    "levensloop/splitsen/<int:community_id>/": get_post(only(COORDINATOR)),
    "levensloop/opheffen/<int:community_id>/": get_post(only(COORDINATOR)),
    "levensloop/hernoemen/<int:community_id>/": get_post(only(COORDINATOR)),
    # No lifecycle event exists in this world: a 404 for the coordinator too.
    "levensloop/<int:event_id>/terugdraaien/": get_post(only(NOBODY)),
    "te-doen/": get(PUBLIC),
    "te-doen/feed/": get(PUBLIC),
    # Forum reading is open to everyone logged in; the JSON endpoint says 404 to
    # anonymous visitors instead of redirecting a script to a login form.
    "forum/draad/<int:thread_id>/berichten/": get(only(ROLES, anonymous="deny")),
    "meldingen/": get_post(logged_in()),
    "profiel/": get_post(logged_in()),
    "mensen/<int:user_id>/": get(logged_in()),
    "organisatie/": get(logged_in()),
    "organisatie/<int:organisation_id>/rollen/": get(only(MANAGER + COORDINATOR)),
    "organisatie/<int:organisation_id>/rollen.csv": get(only(MANAGER + COORDINATOR)),
    "organisatie/<int:organisation_id>/rollen.xlsx": get(only(MANAGER + COORDINATOR)),
    "organisatie/<int:organisation_id>/rollen/nieuw/": get_post(only(MANAGER)),
    "organisatie/<int:organisation_id>/rollen/<int:assignment_id>/beeindigen/": get_post(
        only(MANAGER)
    ),
    "organisatie/<int:organisation_id>/rollen/<int:assignment_id>/wijzigen/": get_post(
        only(MANAGER)
    ),
    "organisatie/<int:organisation_id>/doelen/<int:community_id>/": get_post(only(MANAGER)),
    "organisatie/<int:organisation_id>/reischeque/": get_post(only(MANAGER)),
    "organisatie/<int:organisation_id>/afspraken/": get(only(MANAGER)),
    "organisatie/<int:organisation_id>/afspraken/nieuw/": get_post(only(MANAGER)),
    # The team page and workshop: the organisation's managers and people, and the
    # coordinators; the koffer is the team's own (no coordinators); the member fills
    # it in (the manager, of organisation A too, may as well); the manager steers.
    # An empty POST to the why or the team's scores is a valid form (all optional).
    "organisatie/<int:organisation_id>/team/": get(only(TEAM + COORDINATOR)),
    "organisatie/<int:organisation_id>/team/waarom/": get_post(only(MANAGER)),
    "organisatie/<int:organisation_id>/team/werksessie/": get(only(TEAM + COORDINATOR)),
    "organisatie/<int:organisation_id>/team/koffer/": get(only(TEAM)),
    "organisatie/<int:organisation_id>/team/koffer/categorieen/": get_post(only(MANAGER)),
    "organisatie/<int:organisation_id>/team/koffer/nieuw/": get_post(only(MANAGER)),
    "organisatie/<int:organisation_id>/team/koffer/<int:round_id>/": get(only(TEAM)),
    "organisatie/<int:organisation_id>/team/koffer/<int:round_id>/invullen/": get_post(only(TEAM)),
    "organisatie/<int:organisation_id>/team/koffer/<int:round_id>/teamscore/": get_post(
        only(MANAGER)
    ),
    "organisatie/<int:organisation_id>/team/koffer/<int:round_id>/actiepunt/": get_post(
        only(MANAGER)
    ),
    "coordinatie/netwerk/": get(only(COORDINATOR)),
    "coordinatie/netwerk.csv": get(only(COORDINATOR)),
    "coordinatie/netwerk.xlsx": get(only(COORDINATOR)),
    "coordinatie/managers/": get_post(only(COORDINATOR)),
    "coordinatie/managers/<int:managership_id>/beeindigen/": get_post(only(COORDINATOR)),
    "zelftest/": get(logged_in()),
    "zelftest/invullen/": get_post(logged_in()),
    # The member's own result, shared with organisation A: its manager reads it;
    # the other organisation's manager and the coordinator do not.
    "zelftest/<int:result_id>/": get(only(("member", "manager"))),
    "zelftest/<int:result_id>/delen/": get_post(only(("member",))),
    "zelftest/<int:result_id>/niet-meer-delen/": get_post(only(("member",))),
    # Everyone's own roles: the page shows the person who asks, nobody else.
    "mijn-rollen/": get(logged_in()),
    "mijn-afspraken/": get(logged_in()),
    # The reischeque: the member it is about and the managers of its organisation.
    "reischeque/<int:agreement_id>/": get(only(("member", "manager"))),
    "mijn-afspraken/<int:agreement_id>/bevestigen/": get_post(only(("member",))),
    "mijn-gegevens/": get(logged_in()),
    "mijn-gegevens/download/": get(logged_in()),
    "mijn-gegevens/account-verwijderen/": get_post(logged_in()),
    # --- Wagtail front end ------------------------------------------------------
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": get_post(
        every("deny")
    ),
    "_util/login/": get(PUBLIC),
    "^((?:[\\w\\-]+/)*)$": get(PUBLIC),
    # --- allauth ----------------------------------------------------------------
    "accounts/login/": get_post(PUBLIC),
    "accounts/logout/": get_post(PUBLIC),
    "accounts/inactive/": get(PUBLIC),
    "accounts/signup/": get_post(PUBLIC),
    "accounts/reauthenticate/": get_post(logged_in()),
    "accounts/email/": get_post(logged_in()),
    "accounts/confirm-email/": get(PUBLIC),
    "accounts/password/change/": get_post(logged_in()),
    "accounts/password/set/": get_post(logged_in()),
    "accounts/password/reset/": get_post(PUBLIC),
    "accounts/login/code/confirm/": get_post(logged_in()),
    # A key that does not exist: the page explains; confirming it is a 404.
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": get_post(PUBLIC, every("deny")),
    "accounts/password/reset/key/done/": get(PUBLIC),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": get_post(PUBLIC),
    "accounts/password/reset/done/": get(PUBLIC),
    # --- CommunityPage sub-routes (community A) --------------------------------
    "community:": get(PUBLIC),
    "community:aanmelden/": get_post(logged_in()),
    "community:aanmelding/": get_post(logged_in()),
    # Only someone with an undecided application withdraws it.
    "community:aanmelding/intrekken/": get_post(only(("applicant",))),
    "community:verlaten/": get_post(only(POSTERS)),
    "community:leden/": get(logged_in()),
    "community:leden/<int:membership_id>/beeindigen/": get_post(only(CURATORS)),
    "community:moderatie/": get(only(CURATORS)),
    "community:moderatie/<int:membership_id>/besluit/": get_post(only(CURATORS)),
    # The moderator may open the page (to hand over) but not appoint.
    "community:moderatoren/": get_post(only(CURATORS), only(COORDINATOR)),
    "community:geschiedenis/": get(PUBLIC),
    # Outsiders write to the moderators; members and moderators are sent back to the
    # community page (they talk in the forum). An empty POST is a form with errors.
    "community:contact/": get_post(logged_in()),
    "community:moderatoren/<int:term_id>/beeindigen/": get_post(only(COORDINATOR)),
    "community:te-doen/": get(PUBLIC),
    "community:te-doen/feed/": get(PUBLIC),
    "community:te-doen/nieuw/": get_post(only(CURATORS)),
    "community:te-doen/voorstellen/": get_post(logged_in()),
    "community:te-doen/voorstellen/beoordelen/": get(only(CURATORS)),
    "community:te-doen/voorstellen/<int:proposal_id>/besluit/": get_post(only(CURATORS)),
    "community:te-doen/<int:item_id>/": get(PUBLIC),
    "community:te-doen/<int:item_id>/bewerken/": get_post(only(CURATORS)),
    "community:te-doen/<int:item_id>/verplaatsen/": get_post(only(CURATORS)),
    "community:te-doen/<int:item_id>/afsluiten/": get_post(only(CURATORS)),
    "community:te-doen/<int:item_id>/reageren/": get_post(logged_in()),
    "community:forum/": get(only(ROLES, anonymous="login page")),
    "community:forum/nieuw/": get_post(only(POSTERS)),
    "community:forum/<int:thread_id>/": get(only(ROLES, anonymous="login page")),
    "community:forum/<int:thread_id>/antwoorden/": get_post(only(POSTERS)),
    "community:forum/<int:thread_id>/bericht/<int:post_id>/": get(
        only(ROLES, anonymous="login page")
    ),
    "community:forum/<int:thread_id>/bericht/<int:post_id>/bewerken/": get_post(
        only(("member",))  # the author
    ),
    "community:forum/<int:thread_id>/bericht/<int:post_id>/verbergen/": get_post(only(CURATORS)),
    "community:forum/<int:thread_id>/moderatie/": get_post(only(CURATORS)),
    "community:forum/<int:thread_id>/volgen/": get_post(logged_in()),
}

# Objects of community A / organisation A asked for through community B /
# organisation B. "allow" on GET here is the redirect of a POST-only endpoint to B's
# own queue (nothing of A shown); the forum redirects to the thread's real place,
# where A's rules apply (test_cross_redirects_lead_home checks where they go).
CROSS: dict[str, dict[str, dict]] = {
    "cross: A's application decided through B's page": get_post(
        only(("other_moderator", "coordinator")), only(NOBODY)
    ),
    "cross: A's membership ended through B's page": get_post(only(NOBODY)),
    "cross: A's moderator term ended through B's page": get_post(only(NOBODY)),
    "cross: A's proposal decided through B's page": get_post(
        only(("other_moderator", "coordinator")), only(NOBODY)
    ),
    "cross: A's to-do item edited through B's page": get_post(only(NOBODY)),
    "cross: A's to-do item closed through B's page": get_post(only(NOBODY)),
    "cross: A's thread read through B's page": get(only(ROLES, anonymous="login page")),
    "cross: A's post hidden through B's page": get_post(logged_in()),
    "cross: A's thread moderated through B's page": get_post(logged_in()),
    "cross: org A's assignment ended through org B": get_post(only(NOBODY)),
    "cross: org B's coverage": get(only(("other_manager", "coordinator"))),
    "cross: B's private thread posts_since": get(only(ROLES, anonymous="deny")),
}

# POST data for routes whose POST does nothing at all without it.
POST_DATA = {"community:moderatoren/": {"action": "appoint"}}

# The Wagtail admin is classified as a group by its prefix: anonymous visitors are
# sent to log in, everyone else without `wagtailadmin.access_admin` is refused (the
# 403 page, not the login page again: that looped); the editor gets in.
ADMIN_PREFIX = "admin/"
NOT_EDITORS = tuple(role for role in ROLES if role != "editor")
EDITOR_ONLY = {**dict.fromkeys(NOT_EDITORS, "deny"), "anonymous": "login", "editor": "allow"}
# The coordinators' group has access_admin and no page, document or image
# permission (members/migrations/0009): they get in, and what Wagtail opens to
# anyone in the admin shows them nothing of the editors' (the choosers are empty,
# the admin API lists no page, the site history only their own texts' entries).
# The revisions index only redirects to the page history, which refuses them.
EDITORS_AND_COORDINATOR = {**EDITOR_ONLY, "coordinator": "allow"}
# Community A is no form page: its "submissions" are a 404 for the editor too.
ADMIN_AREAS: dict[str, dict[str, dict]] = {
    "admin home": get(EDITORS_AND_COORDINATOR),
    "admin login redirect": get({**every("deny"), "anonymous": "login"}),
    "page edit": get(EDITOR_ONLY),
    "revisions index": get(EDITORS_AND_COORDINATOR),
    "revision view": get(EDITOR_ONLY),
    "revisions compare": get(EDITOR_ONLY),
    # The editor's empty POST would be a bad form (Wagtail answers it with a 500):
    # only the refusal of the others is checked on POST.
    "revision revert": get_post(EDITOR_ONLY, {**EDITOR_ONLY, "editor": "skip"}),
    "page history": get(EDITOR_ONLY),
    "preview on edit": get(EDITOR_ONLY),
    "page copy": get_post(EDITOR_ONLY, {**EDITOR_ONLY, "editor": "skip"}),
    "form pages": get(EDITOR_ONLY),
    "form submissions": get_post({**EDITOR_ONLY, "editor": "deny"}),
    "page chooser": get(EDITORS_AND_COORDINATOR),
    "page chooser search": get(EDITORS_AND_COORDINATOR),
    "document chooser": get(EDITORS_AND_COORDINATOR),
    "image chooser": get(EDITORS_AND_COORDINATOR),
    "admin API pages": get(EDITORS_AND_COORDINATOR),
    "admin API page detail": get(EDITOR_ONLY),
    "admin API documents": get(EDITORS_AND_COORDINATOR),
    # Editors edit pages; they do not manage accounts.
    "users": get({**EDITOR_ONLY, "editor": "deny"}),
    "site history report": get(EDITORS_AND_COORDINATOR),
    # The platform's role texts are the coordinators' alone (RoleTextPolicy).
    "role texts": get({**EDITORS_AND_COORDINATOR, "editor": "deny"}),
    "role text edit": get({**EDITORS_AND_COORDINATOR, "editor": "deny"}),
}


def _sub(page, name, *args) -> str:
    return page.url + page.reverse_subpage(name, args=args)


def _team_urls(org: int, round_id: int) -> dict[str, str]:
    team = "organisatie/<int:organisation_id>/team/"
    koffer_round = team + "koffer/<int:round_id>/"
    return {
        team: reverse("teams:team", args=[org]),
        team + "waarom/": reverse("teams:why_edit", args=[org]),
        team + "werksessie/": reverse("teams:workshop", args=[org]),
        team + "koffer/": reverse("teams:koffer", args=[org]),
        team + "koffer/categorieen/": reverse("teams:koffer_categories", args=[org]),
        team + "koffer/nieuw/": reverse("teams:koffer_round_new", args=[org]),
        koffer_round: reverse("teams:koffer_round", args=[org, round_id]),
        koffer_round + "invullen/": reverse("teams:koffer_fill", args=[org, round_id]),
        koffer_round + "teamscore/": reverse("teams:koffer_agree", args=[org, round_id]),
        koffer_round + "actiepunt/": reverse("teams:koffer_action_new", args=[org, round_id]),
    }


def _urls(w) -> dict[str, str]:
    """The concrete URL requested for each route key (objects of community A and
    organisation A unless the key says otherwise)."""
    a, b = w["a"], w["b"]
    org = w["org"].pk
    return {
        # Django views
        "healthz": "/healthz",
        "i18n/setlang/": "/i18n/setlang/",
        "documents/^(\\d+)/(.*)$": f"/documents/{w['document'].pk}/{w['document'].filename}",
        "documents/authenticate_with_password/<int:restriction_id>/": (
            "/documents/authenticate_with_password/999999/"
        ),
        "zoeken/": "/zoeken/?q=lezen",
        "coordinatie/moderatoren/": "/coordinatie/moderatoren/",
        "levensloop/": "/levensloop/",
        "levensloop/samenvoegen/": "/levensloop/samenvoegen/",
        "levensloop/splitsen/<int:community_id>/": f"/levensloop/splitsen/{a.pk}/",
        "levensloop/opheffen/<int:community_id>/": f"/levensloop/opheffen/{a.pk}/",
        "levensloop/hernoemen/<int:community_id>/": f"/levensloop/hernoemen/{a.pk}/",
        "levensloop/<int:event_id>/terugdraaien/": "/levensloop/999999/terugdraaien/",
        "te-doen/": "/te-doen/",
        "te-doen/feed/": "/te-doen/feed/",
        "forum/draad/<int:thread_id>/berichten/": (
            reverse("forum:posts_since", args=[w["thread"].pk]) + "?after=0"
        ),
        "meldingen/": reverse("forum:notifications"),
        "profiel/": reverse("members:profile_edit"),
        "mensen/<int:user_id>/": reverse("members:profile", args=[w["users"]["member"].pk]),
        "organisatie/": reverse("members:manager_home"),
        "organisatie/<int:organisation_id>/rollen/": reverse("members:coverage", args=[org]),
        "organisatie/<int:organisation_id>/rollen.csv": reverse("members:coverage_csv", args=[org]),
        "organisatie/<int:organisation_id>/rollen.xlsx": reverse(
            "members:coverage_xlsx", args=[org]
        ),
        "organisatie/<int:organisation_id>/rollen/nieuw/": reverse(
            "members:role_assign", args=[org]
        ),
        "organisatie/<int:organisation_id>/rollen/<int:assignment_id>/beeindigen/": reverse(
            "members:role_end", args=[org, w["assignment"].pk]
        ),
        "organisatie/<int:organisation_id>/rollen/<int:assignment_id>/wijzigen/": reverse(
            "members:role_change", args=[org, w["assignment"].pk]
        ),
        "organisatie/<int:organisation_id>/reischeque/": reverse(
            "members:reischeque_settings", args=[org]
        ),
        "organisatie/<int:organisation_id>/doelen/<int:community_id>/": reverse(
            "members:target_edit", args=[org, a.pk]
        ),
        "organisatie/<int:organisation_id>/afspraken/": reverse("members:agreements", args=[org]),
        "organisatie/<int:organisation_id>/afspraken/nieuw/": reverse(
            "members:agreement_new", args=[org]
        ),
        **_team_urls(org, w["koffer_round"].pk),
        "coordinatie/netwerk/": reverse("members:network"),
        "coordinatie/netwerk.csv": reverse("members:network_csv"),
        "coordinatie/netwerk.xlsx": reverse("members:network_xlsx"),
        "coordinatie/managers/": reverse("members:managers"),
        "coordinatie/managers/<int:managership_id>/beeindigen/": reverse(
            "members:managership_end", args=[w["managership"].pk]
        ),
        "zelftest/": reverse("members:selftest"),
        "zelftest/invullen/": reverse("members:selftest_take"),
        "zelftest/<int:result_id>/": reverse("members:selftest_result", args=[w["result"].pk]),
        "zelftest/<int:result_id>/delen/": reverse("members:selftest_share", args=[w["result"].pk]),
        "zelftest/<int:result_id>/niet-meer-delen/": reverse(
            "members:selftest_revoke", args=[w["result"].pk]
        ),
        "mijn-rollen/": reverse("members:my_roles"),
        "mijn-afspraken/": reverse("members:my_agreements"),
        "reischeque/<int:agreement_id>/": reverse("members:reischeque", args=[w["agreement"].pk]),
        "mijn-afspraken/<int:agreement_id>/bevestigen/": reverse(
            "members:agreement_confirm", args=[w["agreement"].pk]
        ),
        "mijn-gegevens/": reverse("members:my_data"),
        "mijn-gegevens/download/": reverse("members:my_data_download"),
        "mijn-gegevens/account-verwijderen/": reverse("members:erase_account"),
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
            f"/_util/authenticate_with_password/999999/{a.pk}/"
        ),
        "_util/login/": "/_util/login/",
        # Wagtail pages: community A's page
        "^((?:[\\w\\-]+/)*)$": a.url,
        # allauth
        "accounts/login/": "/accounts/login/",
        "accounts/logout/": "/accounts/logout/",
        "accounts/inactive/": "/accounts/inactive/",
        "accounts/signup/": "/accounts/signup/",
        "accounts/reauthenticate/": "/accounts/reauthenticate/",
        "accounts/email/": "/accounts/email/",
        "accounts/confirm-email/": "/accounts/confirm-email/",
        "accounts/password/change/": "/accounts/password/change/",
        "accounts/password/set/": "/accounts/password/set/",
        "accounts/password/reset/": "/accounts/password/reset/",
        "accounts/login/code/confirm/": "/accounts/login/code/confirm/",
        "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "/accounts/confirm-email/not-a-key/",
        "accounts/password/reset/key/done/": "/accounts/password/reset/key/done/",
        "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
            "/accounts/password/reset/key/1-not-a-key/"
        ),
        "accounts/password/reset/done/": "/accounts/password/reset/done/",
        # CommunityPage sub-routes, on community A
        "community:": a.url,
        "community:aanmelden/": _sub(a, "apply"),
        "community:aanmelding/": _sub(a, "my_application"),
        "community:aanmelding/intrekken/": _sub(a, "withdraw"),
        "community:verlaten/": _sub(a, "leave"),
        "community:leden/": _sub(a, "members"),
        "community:leden/<int:membership_id>/beeindigen/": _sub(
            a, "end_membership", w["membership"].pk
        ),
        "community:moderatie/": _sub(a, "moderation"),
        "community:moderatie/<int:membership_id>/besluit/": _sub(a, "decide", w["application"].pk),
        "community:moderatoren/": _sub(a, "moderators"),
        "community:geschiedenis/": _sub(a, "history"),
        "community:contact/": _sub(a, "contact_moderators"),
        "community:moderatoren/<int:term_id>/beeindigen/": _sub(
            a, "end_moderatorship", w["term"].pk
        ),
        "community:te-doen/": _sub(a, "todo_list"),
        "community:te-doen/feed/": _sub(a, "todo_feed"),
        "community:te-doen/nieuw/": _sub(a, "todo_add"),
        "community:te-doen/voorstellen/": _sub(a, "todo_propose"),
        "community:te-doen/voorstellen/beoordelen/": _sub(a, "todo_proposals"),
        "community:te-doen/voorstellen/<int:proposal_id>/besluit/": _sub(
            a, "todo_decide", w["proposal"].pk
        ),
        "community:te-doen/<int:item_id>/": _sub(a, "todo_item", w["item"].pk),
        "community:te-doen/<int:item_id>/bewerken/": _sub(a, "todo_edit", w["item"].pk),
        "community:te-doen/<int:item_id>/verplaatsen/": _sub(a, "todo_move", w["item"].pk),
        "community:te-doen/<int:item_id>/afsluiten/": _sub(a, "todo_close", w["item"].pk),
        "community:te-doen/<int:item_id>/reageren/": _sub(a, "todo_comment", w["item"].pk),
        "community:forum/": _sub(a, "forum"),
        "community:forum/nieuw/": _sub(a, "forum_new"),
        "community:forum/<int:thread_id>/": _sub(a, "forum_thread", w["thread"].pk),
        "community:forum/<int:thread_id>/antwoorden/": _sub(a, "forum_reply", w["thread"].pk),
        "community:forum/<int:thread_id>/bericht/<int:post_id>/": _sub(
            a, "forum_post", w["thread"].pk, w["post"].pk
        ),
        "community:forum/<int:thread_id>/bericht/<int:post_id>/bewerken/": _sub(
            a, "forum_edit", w["thread"].pk, w["post"].pk
        ),
        "community:forum/<int:thread_id>/bericht/<int:post_id>/verbergen/": _sub(
            a, "forum_hide", w["thread"].pk, w["post"].pk
        ),
        "community:forum/<int:thread_id>/moderatie/": _sub(a, "forum_moderate", w["thread"].pk),
        "community:forum/<int:thread_id>/volgen/": _sub(a, "forum_follow", w["thread"].pk),
        # Other communities' and organisations' objects by id, through the wrong page
        "cross: A's application decided through B's page": _sub(b, "decide", w["application"].pk),
        "cross: A's membership ended through B's page": _sub(
            b, "end_membership", w["membership"].pk
        ),
        "cross: A's moderator term ended through B's page": _sub(
            b, "end_moderatorship", w["term"].pk
        ),
        "cross: A's proposal decided through B's page": _sub(b, "todo_decide", w["proposal"].pk),
        "cross: A's to-do item edited through B's page": _sub(b, "todo_edit", w["item"].pk),
        "cross: A's to-do item closed through B's page": _sub(b, "todo_close", w["item"].pk),
        "cross: A's thread read through B's page": _sub(b, "forum_thread", w["thread"].pk),
        "cross: A's post hidden through B's page": _sub(
            b, "forum_hide", w["thread"].pk, w["post"].pk
        ),
        "cross: A's thread moderated through B's page": _sub(b, "forum_moderate", w["thread"].pk),
        "cross: org A's assignment ended through org B": reverse(
            "members:role_end", args=[w["other_org"].pk, w["assignment"].pk]
        ),
        "cross: org B's coverage": reverse("members:coverage", args=[w["other_org"].pk]),
        "cross: B's private thread posts_since": (
            reverse("forum:posts_since", args=[w["thread_b"].pk]) + "?after=0"
        ),
    }


# --------------------------------------------------------------------------
# Wagtail admin: the areas with past advisories, on community A's page.
# --------------------------------------------------------------------------


def _admin_urls(w) -> dict[str, str]:
    a = w["a"].pk
    rev = w["revision"].pk
    return {
        "admin home": reverse("wagtailadmin_home"),
        "admin login redirect": "/admin/login/",
        "page edit": reverse("wagtailadmin_pages:edit", args=[a]),
        "revisions index": reverse("wagtailadmin_pages:revisions_index", args=[a]),
        "revision view": reverse("wagtailadmin_pages:revisions_view", args=[a, rev]),
        "revisions compare": reverse(
            "wagtailadmin_pages:revisions_compare", args=[a, "earliest", "latest"]
        ),
        "revision revert": reverse("wagtailadmin_pages:revisions_revert", args=[a, rev]),
        "page history": reverse("wagtailadmin_pages:history", args=[a]),
        "preview on edit": reverse("wagtailadmin_pages:preview_on_edit", args=[a]),
        "page copy": reverse("wagtailadmin_pages:copy", args=[a]),
        "form pages": reverse("wagtailforms:index"),
        "form submissions": reverse("wagtailforms:list_submissions", args=[a]),
        "page chooser": reverse("wagtailadmin_choose_page"),
        "page chooser search": reverse("wagtailadmin_choose_page_search") + "?q=a",
        "document chooser": reverse("wagtaildocs_chooser:choose"),
        "image chooser": reverse("wagtailimages_chooser:choose"),
        "admin API pages": reverse("wagtailadmin_api:pages:listing"),
        "admin API page detail": reverse("wagtailadmin_api:pages:detail", args=[a]),
        "admin API documents": reverse("wagtailadmin_api:documents:listing"),
        "users": reverse("wagtailusers_users:index"),
        "site history report": reverse("wagtailadmin_reports:site_history"),
        "role texts": reverse("wagtailsnippets_members_selfteststatement:list"),
        "role text edit": reverse(
            "wagtailsnippets_members_selfteststatement:edit",
            args=[SelfTestStatement.objects.get(key="b1").pk],
        ),
    }


ADMIN_POSTS = {"page copy", "revision revert"}


# --------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def discovered_routes() -> list[str]:
    # In the default language: the language prefix of i18n_patterns is the active
    # language's, and a test that requested an /en/ page leaves English active.
    with default_language():
        routes = list(_walk(get_resolver().url_patterns))
    routes += [f"community:{p.pattern}" for p in CommunityPage.get_subpage_urls()]
    return routes


def websocket_routes() -> list[str]:
    return [str(p.pattern) for p in websocket_urlpatterns]


# --------------------------------------------------------------------------
# The world: one person per role and the objects the paths need, built once.
# --------------------------------------------------------------------------


def _person(name, organisation=None, **kwargs):
    user = UserFactory(**kwargs)
    profile_update(actor=user, display_name=name, organisation=organisation, language="nl")
    return user


def _build_world() -> dict:
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    today = timezone.localdate()
    a, b = CommunityPage.objects.order_by("number")[:2]
    org = Organisation.objects.create(
        name="Bibliotheek Eemland", kind=OrganisationKind.PUBLIC_LIBRARY, province=Province.UTRECHT
    )
    other_org = Organisation.objects.create(
        name="Bibliotheek Zeeland", kind=OrganisationKind.PUBLIC_LIBRARY, province=Province.ZEELAND
    )
    root = UserFactory(is_superuser=True, is_staff=True)

    def join(user, community, organisation=None):
        membership = membership_apply(
            actor=user,
            community=community,
            haal=HAAL,
            breng=BRENG,
            haal_topics=[],
            breng_topics=[],
            organisation=organisation,
        )
        return membership_accept(actor=root, membership=membership)

    w = {"a": a, "b": b, "org": org, "other_org": other_org}
    users = {role: None for role in ROLES}
    users["outsider"] = _person("Otto Outsider")
    users["member"] = member = _person("Mia Member", org)
    w["membership"] = join(member, a, org)
    users["moderator"] = moderator = _person("Mo Moderator")
    join(moderator, a)
    w["term"] = moderator_appoint(actor=root, community=a, user=moderator)
    users["other_moderator"] = other_moderator = _person("Bo Moderator")
    join(other_moderator, b)
    moderator_appoint(actor=root, community=b, user=other_moderator)
    users["ex_moderator"] = ex_moderator = _person("Ex Moderator")
    join(ex_moderator, a)
    moderator_appoint(
        actor=root,
        community=a,
        user=ex_moderator,
        start_date=today - datetime.timedelta(days=60),
        end_date=today - datetime.timedelta(days=1),
    )
    assert not Moderatorship.objects.current().filter(user=ex_moderator).exists()
    users["applicant"] = applicant = _person("Anna Applicant")
    w["application"] = membership_apply(
        actor=applicant,
        community=a,
        haal=HAAL,
        breng=BRENG,
        haal_topics=[],
        breng_topics=[],
        organisation=None,
    )
    users["manager"] = manager = _person("Marit Manager", org)
    manager_appoint(actor=root, user=manager, organisation=org)
    w["managership"] = Managership.objects.get(user=manager, organisation=org)
    users["other_manager"] = other_manager = _person("Zef Manager", other_org)
    manager_appoint(actor=root, user=other_manager, organisation=other_org)
    users["coordinator"] = coordinator = _person("Cor Coordinator")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    users["editor"] = editor = _person("Eddie Editor", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))

    w["assignment"] = role_assign(
        actor=manager,
        organisation=org,
        community=a,
        user=member,
        role="bouwer",
        hours_per_week="4",
        contribution="",
    )
    w["agreement"] = agreement_record(
        actor=manager,
        organisation=org,
        user=member,
        conversation_date=today,
        contribution="Voorlezen op school.",
        review_date=today + datetime.timedelta(days=90),
    )
    w["result"] = selftest_share(
        actor=member, result=selftest_submit(actor=member, answers=SELFTEST_ANSWERS)
    )
    w["koffer_round"] = koffer_round_start(actor=manager, organisation=org, held_on=today)
    w["thread"] = thread_create(actor=member, community=a, title="Leesclub", body="Wie doet mee?")
    w["post"] = post_create(actor=member, thread=w["thread"], body="Ik!")
    w["thread_b"] = thread_create(
        actor=other_moderator, community=b, title="Alleen voor B", body="Besloten."
    )
    w["item"] = todo_item_create(actor=moderator, community=a, title="Leeslijst maken")
    w["proposal"] = todo_proposal_create(actor=users["outsider"], community=a, title="Poster")
    w["revision"] = a.save_revision(user=root)
    w["document"] = Document.objects.create(
        title="Verslag", file=ContentFile(b"%PDF-1.4 verslag", name="verslag.pdf")
    )
    w["users"] = users
    return w


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    client.csrf = token
    return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # The test storage keeps files in memory, where Wagtail's default "serve_view"
    # cannot find them; "redirect" serves them the way remote storage would.
    with (
        django_db_blocker.unblock(),
        default_language(),
        override_settings(WAGTAILDOCS_SERVE_METHOD="redirect"),
    ):
        with transaction.atomic():
            w = _build_world()
            w["clients"] = {role: _client(user) for role, user in w["users"].items()}
            yield w
            transaction.set_rollback(True)


LOGIN_PATHS = {"/accounts/login/", "/en/accounts/login/"}
LOGIN_PAGE_TEMPLATES = {"forum/login_to_read.html"}
ADMIN_HOME = "/admin/"
# Wagtail sends everyone it refuses here; it decides (cop_platform/errors.admin_login).
ADMIN_LOGIN = "/admin/login/"


def _location(response) -> str | None:
    """Where a redirect leads (path only), None for any other response."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    return response["Location"].split("?", 1)[0].removeprefix("http://testserver")


def _outcome(response, method: str) -> str:
    status = response.status_code
    if location := _location(response):
        if location in LOGIN_PATHS:
            return "login"
        # Wagtail answers "permission denied" with a redirect to the dashboard.
        if location == ADMIN_HOME and response.request["PATH_INFO"] != ADMIN_HOME:
            return "deny"
        return "allow"
    if status == 200 and LOGIN_PAGE_TEMPLATES & {t.name for t in response.templates or []}:
        return "login page"
    if 200 <= status < 300:
        return "allow"
    if status == 400 and method == "POST":
        return "allow"  # let in, and the empty form refused: access was granted
    if status in (403, 404):
        return "deny"
    if status == 405:
        return "405"
    return f"HTTP {status}"


def _request(client: Client, method: str, url: str, data: dict | None = None):
    """One request in its own savepoint, with the client's cookies restored after
    (a POST to logout or erase must not change who the next request is)."""
    saved = {key: morsel.value for key, morsel in client.cookies.items()}
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, {"csrfmiddlewaretoken": client.csrf, **(data or {})})
            transaction.set_rollback(True)
    finally:
        client.cookies = SimpleCookie()
        for key, value in saved.items():
            client.cookies[key] = value
    return response


def _check(w, url: str, expected: dict[str, dict], data: dict | None = None) -> list[str]:
    mismatches = []
    for method, per_role in expected.items():
        for role in ROLES:
            if per_role[role] == "skip":
                continue
            response = _request(w["clients"][role], method, url, data)
            if _location(response) == ADMIN_LOGIN and url != ADMIN_LOGIN:
                response = _request(w["clients"][role], "GET", response["Location"])
            got = _outcome(response, method)
            if got != per_role[role]:
                mismatches.append(f"{method} {url} as {role}: expected {per_role[role]}, got {got}")
            if problem := _policy_problem(response):
                mismatches.append(f"{method} {url} as {role}: {problem}")
    return mismatches


def _policy_problem(response) -> str:
    """What is wrong with the Content-Security-Policy of an HTML response (issue 7,
    item 5): it must be there, and allow no inline script."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    policy = response.get("Content-Security-Policy")
    if not policy:
        return "HTML without a Content-Security-Policy"
    directives = dict((part.strip() + " ").split(" ", 1) for part in policy.split(";"))
    for name in ("script-src", "script-src-elem", "script-src-attr", "default-src"):
        if "'unsafe-inline'" in directives.get(name, ""):
            return f"{name} allows 'unsafe-inline'"
    if "script-src" not in directives:
        return "no script-src"
    return ""


def _figure(table: dict) -> int:
    return sum(
        sum(1 for outcome in per_role.values() if outcome != "skip")
        for methods in table.values()
        for per_role in methods.values()
    )


# --------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------


def test_every_route_is_classified():
    routes = discovered_routes()
    unclassified = sorted(
        route for route in routes if not route.startswith(ADMIN_PREFIX) and route not in ROUTES
    )
    assert not unclassified, (
        "Routes missing from ROUTES in tests/security/test_route_matrix.py; say who may "
        "GET (and POST) them:\n  " + "\n  ".join(unclassified)
    )
    stale = sorted(set(ROUTES) - set(routes))
    assert not stale, "ROUTES lists patterns that no longer exist:\n  " + "\n  ".join(stale)
    assert sorted(websocket_routes()) == sorted(WEBSOCKET_ROUTES), (
        "Websocket routes and WEBSOCKET_ROUTES differ: classify the new ones"
    )


@pytest.mark.parametrize("key", [*ROUTES, *CROSS])
def test_route_per_role(world, db, key):
    with default_language():
        url = _urls(world)[key]
    expected = ROUTES.get(key) or CROSS[key]
    mismatches = _check(world, url, expected, POST_DATA.get(key))
    assert not mismatches, f"{key}:\n  " + "\n  ".join(mismatches)


@pytest.mark.parametrize("key", ADMIN_AREAS)
def test_wagtail_admin_area_per_role(world, db, key):
    url = _admin_urls(world)[key]
    mismatches = _check(world, url, ADMIN_AREAS[key])
    assert not mismatches, f"{key}:\n  " + "\n  ".join(mismatches)


def test_cross_redirects_lead_to_the_objects_own_community(world, db):
    """Through B's page, A's thread and post redirect to A's page (where A's rules
    apply) and nothing is hidden or moderated on the way."""
    with default_language():
        urls = _urls(world)
        home = world["a"].url
    client = world["clients"]["other_moderator"]
    data = {"csrfmiddlewaretoken": client.csrf, "reason": "spam", "action": "lock"}
    for key in (
        "cross: A's thread read through B's page",
        "cross: A's post hidden through B's page",
        "cross: A's thread moderated through B's page",
    ):
        for response in (client.get(urls[key]), client.post(urls[key], data)):
            assert response.status_code == 302, (key, response.status_code)
            assert response["Location"].startswith(home), (key, response["Location"])
    world["post"].refresh_from_db()
    world["thread"].refresh_from_db()
    assert world["post"].hidden_at is None
    assert not world["thread"].locked


def test_route_matrix_figure():
    """The size of the matrix, for the suite's closing note (run with -s to see it)."""
    routes = len(ROUTES) + len(CROSS) + len(ADMIN_AREAS)
    checks = _figure(ROUTES) + _figure(CROSS) + _figure(ADMIN_AREAS)
    admin_patterns = sum(1 for route in discovered_routes() if route.startswith(ADMIN_PREFIX))
    print(
        f"\nroute matrix: {routes} routes x {len(ROLES)} roles x GET/POST = {checks} checks "
        f"(+ {admin_patterns} Wagtail admin patterns classified by prefix, "
        f"{len(WEBSOCKET_ROUTES)} websocket routes)"
    )
    assert checks > 1000


# --------------------------------------------------------------------------
# Websocket routes
# --------------------------------------------------------------------------

# "private": anonymous connections are refused; "public": anyone may connect.
# Every route refuses a foreign Origin.
WEBSOCKET_ROUTES = {
    "ws/health/": "public",
    "ws/forum/thread/<int:thread_id>/": "private",
    "ws/forum/community/<int:community_id>/": "private",
}


def _websocket_paths(w) -> dict[str, str]:
    return {
        "ws/health/": "/ws/health/",
        "ws/forum/thread/<int:thread_id>/": f"/ws/forum/thread/{w['thread'].pk}/",
        "ws/forum/community/<int:community_id>/": f"/ws/forum/community/{w['a'].pk}/",
    }


async def _connects(path: str, origin: str) -> bool:
    communicator = WebsocketCommunicator(
        application, path, headers=[(b"host", b"testserver"), (b"origin", origin.encode())]
    )
    connected, _ = await communicator.connect(timeout=5)
    await communicator.disconnect()
    return connected


@pytest.mark.asyncio
@pytest.mark.django_db
async def test_websocket_routes_refuse_anonymous_and_foreign_origins(world):
    paths = await sync_to_async(_websocket_paths)(world)
    wrong = []
    for route, kind in WEBSOCKET_ROUTES.items():
        path = paths[route]
        if await _connects(path, "http://evil.example"):
            wrong.append(f"{route}: a foreign Origin was let in")
        anonymous = await _connects(path, "http://testserver")
        if anonymous != (kind == "public"):
            wrong.append(
                f"{route} ({kind}): anonymous connection {'let in' if anonymous else 'refused'}"
            )
    assert not wrong, "\n".join(wrong)
