"""Every private datum, on every surface, as every role (issue 14).

The route matrix (test_route_matrix.py) proves who may open what. This second
dimension proves what each of them then sees. The world of the route matrix is
built again, and a sentinel — a word that occurs nowhere else — is planted
through the real services in each private datum:

- the member's self-test result, shared with the managers of organisation A, and
  everything derived from it (best fit, match or mismatch with a held role);
- an applicant's haal/breng answers, and the moderators' intake question and the
  applicant's answer to it;
- a development agreement;
- a post hidden by a moderator;
- the member's e-mail address;
- an unpublished draft of community A;
- a team member's own koffer points.

Then every surface is rendered as every role: every GET route of the route
matrix (pages, CSV/XLSX/JSON exports, feeds, the cross-community paths), the
Wagtail admin areas, every e-mail sent while the data was planted (to its
recipient) and every websocket message broadcast meanwhile (to every role whose
socket the consumer would let in). A sentinel found on a (surface, role) that
ALLOWED does not declare fails, and so does a declared place where it is not
found (a stale declaration). The surfaces are not listed here: they are the
route matrix's routes, which must all be classified there, so a new page or
export is rendered here with the sentinels in place the day it lands.
"""

import asyncio
import html
import io
import json

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core import mail
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from communities import permissions
from communities.forum.broadcast import community_group, thread_group
from communities.forum.services import post_create, post_hide
from communities.services.memberships import membership_answer, membership_ask
from members.exports import XLSX_TYPE
from members.services.agreements import agreement_record
from members.services.selftest import selftest_share, selftest_submit
from teams.services import koffer_fill
from tests.security import test_route_matrix as rm
from tests.views_support import default_language

ROLES = rm.ROLES
EVERYONE_LOGGED_IN = tuple(role for role in ROLES if role != "anonymous")
AANJAGER_FIT = {f"{r}{i}": 5 if r == "a" else 1 for r in "bva" for i in range(1, 7)}

# Datum → the words that reveal it. The self-test words are the texts only a
# result (or the comparison with it) produces; its address is added when built.
SENTINELS = {
    "self-test result and what is derived from it": [
        "Past het best: Aanjager",  # the result page
        "zelftest: Aanjager",  # the coverage badge
        "past bij de gedeelde zelftest",
        "Past bij zelftest",  # the export column
    ],
    "haal/breng answers": ["zqxhaal", "zqxbreng"],
    "intake question and answer": ["zqxvraag", "zqxantwoord"],
    "development agreement": ["zqxafspraak"],
    "hidden post": ["zqxverborgen"],
    "e-mail address": ["zqxmail"],
    "unpublished content": ["zqxconcept"],
    # A team member's own koffer points: the texts only shown next to them (the
    # team sees the spread per category, which names nobody).
    "individual koffer points": ["Scores per teamlid", "Jouw punten in deze sessie"],
}

CURATORS = ("moderator", "coordinator")
ADMIN = "admin: "  # prefix of the Wagtail admin surfaces
EMAIL = "e-mail"
WS_THREAD = "websocket: thread"
WS_COMMUNITY = "websocket: community"

# Datum → surface → the roles that see it there. Everything not listed: nobody.
ALLOWED: dict[str, dict[str, tuple]] = {
    "self-test result and what is derived from it": {
        # The member's own overview and result (the share buttons lead back to it);
        # the manager of organisation A sees the shared result, and the comparison
        # on the coverage page and in its exports. Not the coordinator, not the
        # superuser, not the other organisation's manager.
        "zelftest/": ("member",),
        "zelftest/<int:result_id>/": ("member", "manager"),
        "zelftest/<int:result_id>/delen/": ("member",),
        "zelftest/<int:result_id>/niet-meer-delen/": ("member",),
        "organisatie/<int:organisation_id>/rollen/": ("manager",),
        "organisatie/<int:organisation_id>/rollen.csv": ("manager",),
        "organisatie/<int:organisation_id>/rollen.xlsx": ("manager",),
    },
    "haal/breng answers": {
        # The applicant's own application and data; the queue of A's moderators.
        "community:aanmelding/": ("applicant",),
        "community:moderatie/": CURATORS,
        "mijn-gegevens/download/": ("applicant",),
    },
    "intake question and answer": {
        "community:aanmelding/": ("applicant",),
        # The conversation on the application card (issue 13: the moderator must see
        # the answer to their question).
        "community:moderatie/": CURATORS,
        "mijn-gegevens/download/": ("applicant",),
        EMAIL: ("applicant", "moderator"),  # the question to them, the answer to A's moderator
    },
    "development agreement": {
        "organisatie/<int:organisation_id>/afspraken/": ("manager",),
        "mijn-afspraken/": ("member",),
        "mijn-gegevens/download/": ("member",),
    },
    "hidden post": {
        # Readers get the reason; the moderators of A still see what was hidden;
        # the author keeps it in their own data. The broadcast of the hiding
        # carries no body (the broadcast of its creation, before, did: it was
        # visible then, and is not part of this check).
        "community:forum/<int:thread_id>/": CURATORS,
        "mijn-gegevens/download/": ("member",),
    },
    "e-mail address": {
        "accounts/email/": ("member",),
        "mijn-gegevens/download/": ("member",),
    },
    "individual koffer points": {
        # The member's own, on the form they fill in; who gave what, for the
        # manager of organisation A. Not the coordinator, not the other manager.
        "organisatie/<int:organisation_id>/team/koffer/<int:round_id>/": ("manager",),
        "organisatie/<int:organisation_id>/team/koffer/<int:round_id>/invullen/": ("member",),
    },
    "unpublished content": {
        # Editors in the Wagtail admin only; never the live site, search or feeds.
        **{
            ADMIN + area: ("editor",)
            for area in (
                "page edit",
                "revisions compare",
                "revision revert",
                "page history",
                "page copy",
                "page chooser search",
                "admin API pages",
                "admin API page detail",
            )
        },
    },
}


def _plant_before(w) -> None:
    """What happens before the watch starts: the post that is later hidden was
    visible, and announced, when it was written."""
    w["hidden"] = post_create(
        actor=w["users"]["member"], thread=w["thread"], body="Iets over zqxverborgen."
    )


def _plant(w) -> None:
    """The sentinels, through the services a person would use."""
    users, a = w["users"], w["a"]
    member, manager, moderator = users["member"], users["manager"], users["moderator"]
    w["result"] = selftest_share(
        actor=member, result=selftest_submit(actor=member, answers=AANJAGER_FIT)
    )
    application = membership_ask(
        actor=moderator, membership=w["application"], question="Wat bedoel je met zqxvraag?"
    )
    w["application"] = membership_answer(
        actor=users["applicant"],
        membership=application,
        answer="Dit is mijn zqxantwoord.",
        haal="Ik wil leren over zqxhaal.",
        breng="Ik breng zqxbreng mee.",
    )
    agreement_record(
        actor=manager,
        organisation=w["org"],
        user=member,
        conversation_date=w["agreement"].conversation_date,
        contribution="Afgesproken: zqxafspraak.",
        review_date=w["agreement"].review_date,
    )
    post_hide(actor=moderator, post=w["hidden"], reason="Persoonlijke gegevens")
    categories = w["koffer_round"].categories.all()
    koffer_fill(
        actor=member,
        koffer_round=w["koffer_round"],
        points={category.pk: index * 3 for index, category in enumerate(categories)},
    )
    member.email = "mia.zqxmail@example.org"
    member.save(update_fields=["email"])
    member.emailaddress_set.update(email=member.email)
    draft = a.specific_class.objects.get(pk=a.pk)
    draft.title = "Concept zqxconcept"
    draft.save_revision(user=users["editor"])


def _drain(layer, channel) -> list[dict]:
    async def drain():
        messages = []
        while True:
            try:
                messages.append(await asyncio.wait_for(layer.receive(channel), 0.2))
            except TimeoutError:
                return messages

    return async_to_sync(drain)()


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """(surface, role) → the text that role gets there."""
    with (
        django_db_blocker.unblock(),
        default_language(),
        override_settings(WAGTAILDOCS_SERVE_METHOD="redirect"),
        transaction.atomic(),
    ):
        w = rm._build_world()
        with TestCase.captureOnCommitCallbacks(execute=True):
            _plant_before(w)
        layer = get_channel_layer()
        listeners = {}
        for surface, group in (
            (WS_THREAD, thread_group(w["thread"].pk)),
            (WS_COMMUNITY, community_group(w["a"].pk)),
        ):
            listeners[surface] = async_to_sync(layer.new_channel)()
            async_to_sync(layer.group_add)(group, listeners[surface])
        mail.outbox = []
        with TestCase.captureOnCommitCallbacks(execute=True):
            _plant(w)
        sent_mail = list(mail.outbox)
        broadcasts = {surface: _drain(layer, channel) for surface, channel in listeners.items()}
        clients = {role: rm._client(user) for role, user in w["users"].items()}
        out: dict[tuple[str, str], str] = {}
        urls = rm._urls(w)
        for key in [*rm.ROUTES, *rm.CROSS]:
            for role in ROLES:
                out[key, role] = _text(rm._request(clients[role], "GET", urls[key]))
        for key, url in rm._admin_urls(w).items():
            for role in ROLES:
                out[ADMIN + key, role] = _text(rm._request(clients[role], "GET", url))
        by_address = {user.email: role for role, user in w["users"].items() if user}
        for role in ROLES:
            out[EMAIL, role] = "\n".join(
                f"{message.subject}\n{message.body}"
                for message in sent_mail
                if by_address.get(message.to[0]) == role
            )
            user = w["users"][role]
            # The consumers relay every group message to each socket they let in.
            readers = user is not None and permissions.can_read_forum(user, w["a"])
            for surface, messages in broadcasts.items():
                out[surface, role] = json.dumps(messages, ensure_ascii=False) if readers else ""
        result_path = reverse("members:selftest_result", args=[w["result"].pk])
        yield {"text": out, "result_path": result_path, "mail": sent_mail}
        transaction.set_rollback(True)


def _text(response) -> str:
    """What the response shows: the page, the file's cells, the JSON's values, and
    where a redirect leads."""
    content_type = response.get("Content-Type", "")
    # Where a redirect leads, without the query: the login page's ?next= only
    # repeats the address that was asked for.
    # Quoted like an href, so that a redirect to the result counts as a link to it.
    location = response.get("Location", "").split("?", 1)[0]
    parts = [f'"{location}"']
    if content_type.startswith(XLSX_TYPE):
        sheet = load_workbook(io.BytesIO(response.content)).active
        parts += [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
    elif "json" in content_type:
        parts.append(json.dumps(json.loads(response.content), ensure_ascii=False))
    elif hasattr(response, "streaming_content"):
        parts.append(b"".join(response.streaming_content).decode("utf-8", "replace"))
    else:
        parts.append(html.unescape(response.content.decode("utf-8", "replace")))
    return "\n".join(parts)


def _words(rendered, datum) -> list[str]:
    words = list(SENTINELS[datum])
    if datum.startswith("self-test"):
        # As a link target (quoted): every page also links to its own address in the
        # other language (/en/...), which is not a link to the result.
        words.append(f'"{rendered["result_path"]}"')
    return words


@pytest.mark.parametrize("datum", SENTINELS)
def test_private_datum_appears_exactly_where_allowed(rendered, db, datum):
    words = _words(rendered, datum)
    allowed = ALLOWED[datum]
    leaks, missing = [], []
    for (surface, role), text in rendered["text"].items():
        found = [word for word in words if word in text]
        if found and role not in allowed.get(surface, ()):
            leaks.append(f"{surface} as {role}: {', '.join(found)}")
        if not found and role in allowed.get(surface, ()):
            missing.append(f"{surface} as {role}")
    assert not leaks, f"{datum} shown where it must not be:\n  " + "\n  ".join(leaks)
    assert not missing, f"{datum} declared but not shown (stale?):\n  " + "\n  ".join(missing)


def test_every_declared_surface_exists(rendered, db):
    surfaces = {surface for surface, _role in rendered["text"]}
    unknown = {
        f"{datum}: {surface}"
        for datum, places in ALLOWED.items()
        for surface in places
        if surface not in surfaces
    }
    assert not unknown, "ALLOWED names surfaces that are not rendered:\n  " + "\n  ".join(
        sorted(unknown)
    )


def test_private_data_matrix_figure(rendered, db):
    """The size, for the closing note (run with -s)."""
    surfaces = {surface for surface, _role in rendered["text"]}
    print(
        f"\nprivate-data matrix: {len(SENTINELS)} data x {len(surfaces)} surfaces x "
        f"{len(ROLES)} roles = {len(SENTINELS) * len(surfaces) * len(ROLES)} checks "
        f"({len(rendered['mail'])} e-mails)"
    )
    assert len(surfaces) > 90
