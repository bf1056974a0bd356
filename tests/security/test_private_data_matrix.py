"""Every private datum, on every surface, as every role (issue 14).

The route matrix (test_route_matrix.py) proves who may open what. This second
dimension proves what each of them then sees. The world of the route matrix is
built again, and a sentinel — a word that occurs nowhere else — is planted
through the real services in each private datum:

- the member's self-test result, shared with the managers of organisation A, and
  everything derived from it (best fit, match or mismatch with a held role);
- the haal/breng answers of three people: the applicant's (a role), those of
  another member of A (accepted while watched) and those of an applicant to B,
  so that everyone's view of someone else's answers is checked, not only their
  own; and the moderators' intake question and the applicant's answer to it;
- a development agreement;
- a post hidden by a moderator;
- the member's e-mail address;
- an unpublished draft of community A;
- a team member's own koffer points.

While the data is planted, every kind of e-mail the platform sends is triggered
through the real services (new application, accepted, declined, question,
answer, membership ended, moderator appointed, mention, new post, daily digest,
lifecycle, new proposal, proposal accepted and declined, and allauth's password
reset and address verification); a template that is not
sent here fails `test_every_kind_of_e_mail_is_sent`, so a new kind of e-mail is
checked the day it lands.

Then every surface is rendered as every role: every GET route of the route
matrix (pages, CSV/XLSX/JSON exports, feeds, the cross-community paths), the
pages of community B and the other member's profile, the Wagtail admin areas,
every e-mail sent while the data was planted (to its recipient; e-mails to
people outside the roles must show no private datum at all) and every websocket
message broadcast meanwhile (to every role whose socket the consumer would let
in). A sentinel found on a (surface, role) that
ALLOWED does not declare fails, and so does a declared place where it is not
found (a stale declaration). The surfaces are not listed here: they are the
route matrix's routes, which must all be classified there, so a new page or
export is rendered here with the sentinels in place the day it lands.
"""

import asyncio
import html
import io
import json
import re
from email.header import decode_header, make_header
from pathlib import Path
from unittest import mock

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
from communities.forum.services import (
    forum_send_digests,
    post_create,
    post_hide,
    thread_follow,
)
from communities.lifecycle.services import community_rename
from communities.models import Membership
from communities.services.contact import moderators_contact
from communities.services.memberships import (
    membership_accept,
    membership_answer,
    membership_apply,
    membership_ask,
    membership_decline,
    membership_end,
)
from communities.services.moderators import moderator_appoint
from cop_platform import mail as platform_mail
from members.exports import XLSX_TYPE
from members.models import FollowEmailMode
from members.services.agreements import agreement_record
from members.services.roles import role_assign, role_change, role_end
from members.services.selftest import selftest_share, selftest_submit
from teams.services import koffer_fill
from tests.security import test_route_matrix as rm
from tests.views_support import default_language
from todo_lists.services import (
    todo_proposal_accept,
    todo_proposal_create,
    todo_proposal_decline,
)

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
    "another member's haal/breng answers": ["zqxlidhaal", "zqxlidbreng"],
    "haal/breng answers of an applicant to B": ["zqxbhaal", "zqxbbreng"],
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
# Surfaces of this matrix besides the route matrix's (which requests A's pages).
B_MODERATION = "community B: moderatie/"
B_MEMBERS = "community B: leden/"
OTHER_PROFILE = "mensen/<int:user_id>/ (the other member of A)"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
B_NEW_NAME = 'Lezen & <Schrijven> "B"'

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
        # The reischeque links the result the member shares with organisation A.
        "reischeque/<int:agreement_id>/": ("member", "manager"),
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
    # Someone else's answers: the moderators of their community and the
    # coordinators, on the member list and in the moderators' e-mail about the
    # application; not the other members, not the moderators of another community.
    "another member's haal/breng answers": {
        "community:leden/": CURATORS,
        EMAIL: ("moderator",),
    },
    "haal/breng answers of an applicant to B": {
        B_MODERATION: ("other_moderator", "coordinator"),
        EMAIL: ("other_moderator",),
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
    visible, and announced, when it was written. The manager and the moderator
    follow the thread by daily summary from before it, so the summary sent while
    watched covers its time."""
    for role in ("manager", "moderator"):
        thread_follow(actor=w["users"][role], thread=w["thread"], mode=FollowEmailMode.DAILY)
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
    _send_every_kind_of_e_mail(w)


def _apply(user, community, haal, breng):
    return membership_apply(actor=user, community=community, haal=haal, breng=breng)


def _send_every_kind_of_e_mail(w) -> None:
    """Each e-mail the platform sends, through the service a person would use, after
    the sentinels are in place (the intake question and answer were sent above)."""
    users, a, b = w["users"], w["a"], w["b"]
    moderator, member, coordinator = users["moderator"], users["member"], users["coordinator"]
    # New application (to the moderators of A, and of B) and accepted, declined,
    # ended, moderator appointed: to people of this world.
    w["other_member"] = lid = rm._person("Lars Lid")
    membership_accept(
        actor=moderator,
        membership=_apply(lid, a, "Ik zoek zqxlidhaal.", "Ik heb zqxlidbreng."),
        message="Welkom!",
    )
    _apply(rm._person("Bea Beurs"), b, "Graag zqxbhaal.", "Ik bied zqxbbreng.")
    membership_decline(
        actor=moderator,
        membership=_apply(rm._person("Dirk Afgewezen"), a, "Iets.", "Iets anders."),
        reason="Deze community past niet bij je vraag.",
    )
    membership_end(
        actor=moderator,
        membership=Membership.objects.get(user=users["ex_moderator"], community=a),
        reason="Op eigen verzoek.",
    )
    moderator_appoint(actor=coordinator, community=a, user=lid)
    # Mention and new post (the thread's author follows it at once), then the
    # daily summary, now that the post is hidden.
    post_create(actor=lid, thread=w["thread"], body="Vraag voor @Mo Moderator: doe je mee?")
    forum_send_digests()
    # A lifecycle change (to the members of B), to a name with characters HTML
    # would escape: the subjects must stay plain text.
    community_rename(actor=coordinator, community=b, title=B_NEW_NAME, reason="Korter.")
    # To-do proposals: new (to A's moderators), accepted and declined (to the proposer).
    todo_proposal_accept(
        actor=moderator,
        proposal=todo_proposal_create(actor=member, community=a, title="Voorleesochtend"),
    )
    todo_proposal_decline(actor=moderator, proposal=w["proposal"], reason="Staat al op de lijst.")
    # A second role for the member: assigned, changed and ended (each tells them).
    manager = users["manager"]
    role = role_assign(
        actor=manager, organisation=w["org"], community=a, user=member, role="verbinder"
    )
    role = role_change(actor=manager, assignment=role, hours_per_week=2, contribution="Verbinden.")
    role_end(actor=manager, assignment=role)
    # A question from outside the community to its moderators (and the sender's copy).
    moderators_contact(
        actor=rm._person("Olga Buiten"), community=a, subject="Vraag", message="Mag ik meelezen?"
    )
    # allauth's own e-mails: a password reset asked for the member's address by a
    # visitor, and the member asking for the verification e-mail again.
    visitor, own = rm._client(None), rm._client(member)
    visitor.post(
        "/accounts/password/reset/", {"csrfmiddlewaretoken": visitor.csrf, "email": member.email}
    )
    own.post(
        "/accounts/email/",
        {"csrfmiddlewaretoken": own.csrf, "action_send": "", "email": member.email},
    )


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
        render = platform_mail._render
        kinds = set()

        def record(template, user, context, *rest):
            kinds.add(template)
            return render(template, user, context, *rest)

        with (
            mock.patch.object(platform_mail, "_render", record),
            TestCase.captureOnCommitCallbacks(execute=True),
        ):
            _plant(w)
        sent_mail = list(mail.outbox)
        broadcasts = {surface: _drain(layer, channel) for surface, channel in listeners.items()}
        clients = {role: rm._client(user) for role, user in w["users"].items()}
        out: dict[tuple[str, str], str] = {}
        urls = rm._urls(w)
        for key in [*rm.ROUTES, *rm.CROSS]:
            for role in ROLES:
                out[key, role] = _text(rm._request(clients[role], "GET", urls[key]))
        own_surfaces = {
            B_MODERATION: w["b"].subpage_url("moderation"),
            B_MEMBERS: w["b"].subpage_url("members"),
            OTHER_PROFILE: reverse("members:profile", args=[w["other_member"].pk]),
        }
        for key, url in own_surfaces.items():
            for role in ROLES:
                out[key, role] = _text(rm._request(clients[role], "GET", url))
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
        bystander_mail = [m for m in sent_mail if m.to[0] not in by_address]
        yield {
            "text": out,
            "result_path": result_path,
            "mail": sent_mail,
            "kinds": kinds,
            "bystander_mail": "\n".join(f"{m.subject}\n{m.body}" for m in bystander_mail),
        }
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


def test_every_kind_of_e_mail_is_sent(rendered, db):
    """Every e-mail template of the platform was sent while the data was planted,
    so each is in the matrix; a new kind of e-mail must be triggered above."""
    templates = {
        path.relative_to(TEMPLATES).as_posix().removesuffix("_subject.txt")
        for path in TEMPLATES.glob("*/email/*_subject.txt")
    }
    assert len(templates) >= 14
    assert templates - rendered["kinds"] == set()
    # allauth's, sent through its own templates.
    subjects = {message.subject for message in rendered["mail"]}
    assert {"Nieuw wachtwoord", "Bevestig je e-mailadres"} <= subjects


def test_every_e_mail_subject_is_plain_text(rendered, db):
    """Decoded from the header as a mail program shows it: no HTML entities."""
    subjects = [
        str(make_header(decode_header(message.message()["Subject"])))
        for message in rendered["mail"]
    ]
    assert f"Je community heet nu {B_NEW_NAME}" in subjects
    entities = [subject for subject in subjects if re.search(r"&(#\d+|#x[0-9a-f]+|\w+);", subject)]
    assert entities == []


def test_e_mail_to_people_outside_the_roles_shows_no_private_datum(rendered, db):
    """The applicants and the new member of this world get their own e-mails
    (accepted, declined, appointed); none of them shows anyone's private datum."""
    text = rendered["bystander_mail"]
    assert "Welkom!" in text and "Deze community past niet bij je vraag." in text
    found = [word for words in SENTINELS.values() for word in words if word in text]
    assert found == []


def test_private_data_matrix_figure(rendered, db):
    """The size, for the closing note (run with -s)."""
    surfaces = {surface for surface, _role in rendered["text"]}
    print(
        f"\nprivate-data matrix: {len(SENTINELS)} data x {len(surfaces)} surfaces x "
        f"{len(ROLES)} roles = {len(SENTINELS) * len(surfaces) * len(ROLES)} checks "
        f"({len(rendered['mail'])} e-mails)"
    )
    assert len(surfaces) > 90
