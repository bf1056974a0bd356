"""A small network with someone in every role and one page of every page type,
for the browser walks (accessibility: test_accessibility.py; fitting the screen:
test_layout.py). Everything is set up through the real services.

Community 1 has a moderator (Mira, also bouwer for her organisation), a pending
applicant, a to-do list with a proposal and a forum thread with a pinned thread;
Lotte is a member of community 2 only (so community 1's moderation page is a 403
for her) and has a self-test result; Marit manages their organisation; Cor is a
network coordinator and editor (superuser).
"""

import datetime
from dataclasses import dataclass, field

from communities.forum.services import post_create, thread_create, thread_set_pinned
from communities.services.memberships import membership_accept, membership_apply
from communities.services.moderators import moderator_appoint
from members.models import Organisation, OrganisationKind, Province
from members.selftest import STATEMENTS
from members.services.agreements import agreement_record, reischeque_settings_set
from members.services.managers import manager_appoint
from members.services.roles import role_assign
from members.services.selftest import selftest_submit
from teams.services import koffer_action_add, koffer_fill, koffer_round_start, team_why_update
from tests.browser.support import off_the_event_loop, person
from todo_lists.models import Phase, Status
from todo_lists.services import todo_comment_add, todo_item_create, todo_proposal_create

ROLES = ("visitor", "member", "moderator", "manager", "coordinator")


@dataclass(frozen=True)
class Checked:
    name: str
    role: str  # "visitor" (not logged in) or one of ROLES
    path: str  # Dutch path; the English page is the same under /en
    status: int = 200
    # The Wagtail admin and /admin/login/ have no /en/ pages (no language prefix).
    languages: tuple[str, ...] = field(default=("nl", "en"))


def build(communities) -> dict:
    first, second = communities[0], communities[1]
    organisation = Organisation.objects.create(
        name="Bibliotheek Eemland", kind=OrganisationKind.PUBLIC_LIBRARY, province=Province.UTRECHT
    )
    coordinator = person("Cor Coördinator", is_superuser=True, is_staff=True)
    manager = person("Marit Manager", organisation)
    manager_appoint(actor=coordinator, user=manager, organisation=organisation)
    moderator = person("Mira Moderator", organisation)
    member = person("Lotte Lid", organisation)
    applicant = person("Anna Aanvrager", organisation)
    memberships = {}
    for user, community in ((moderator, first), (moderator, second), (member, second)):
        membership = membership_apply(
            actor=user,
            community=community,
            haal="Ideeën om kinderen aan het lezen te krijgen.",
            breng="Ervaring met voorleesprojecten.",
            organisation=organisation,
        )
        membership_accept(actor=coordinator, membership=membership)
        memberships[user.pk, community.pk] = membership
    membership_apply(
        actor=applicant,
        community=first,
        haal="Contacten met scholen.",
        breng="Een draaiboek voor ouderavonden.",
        organisation=organisation,
    )
    term = moderator_appoint(actor=coordinator, community=first, user=moderator)
    assignment = role_assign(
        actor=manager,
        organisation=organisation,
        community=first,
        user=moderator,
        role="bouwer",
        hours_per_week=4,
    )

    for title, phase in (
        ("Leeslijn-kaart 0-18 voor gemeenten", Phase.AVAILABLE),
        ("Pilot voorleesmiddagen met peuters", Phase.EXPERIMENT),
        ("Leesmonitor-resultaten delen", Phase.IDEA),
    ):
        item = todo_item_create(actor=moderator, community=first, title=title, phase=phase)
    todo_comment_add(actor=moderator, item=item, body="Wie heeft hier ervaring mee?")
    todo_proposal_create(actor=member, community=first, title="Een leesclub voor jongeren")

    # The team page: a result of the network, the why, a koffer session filled in.
    todo_item_create(
        actor=moderator,
        community=first,
        title="Draaiboek voorleesweek",
        phase=Phase.AVAILABLE,
        status=Status.DONE,
    )
    team_why_update(
        actor=manager,
        organisation=organisation,
        why="Samen met andere bibliotheken leren we sneller.",
        strategy_url="https://example.org/beleidsplan",
    )
    koffer_round = koffer_round_start(
        actor=manager, organisation=organisation, held_on=datetime.date(2026, 6, 1)
    )
    for user, values in (
        (member, (30, 20, 15, 10, 8, 6, 4, 2)),
        (manager, (2, 4, 6, 8, 10, 15, 20, 30)),
    ):
        koffer_fill(
            actor=user,
            koffer_round=koffer_round,
            points={c.pk: v for c, v in zip(koffer_round.categories.all(), values, strict=True)},
        )
    koffer_action_add(
        actor=manager,
        koffer_round=koffer_round,
        small_step="Oefen je pitch bij een collega.",
        large_step="Presenteer op de netwerkdag.",
    )

    thread = off_the_event_loop(
        thread_create,
        actor=moderator,
        community=second,
        title="Wie heeft een goed voorbeeld om te delen?",
        body="We willen iets nieuws proberen. **Alle tips** zijn welkom.",
    )
    off_the_event_loop(
        post_create, actor=member, thread=thread, body="Begin klein, met één vestiging."
    )
    own_thread = off_the_event_loop(
        thread_create,
        actor=moderator,
        community=first,
        title="Welkom in het forum",
        body="Stel je hier voor.",
    )
    off_the_event_loop(thread_set_pinned, actor=moderator, thread=own_thread, pinned=True)
    off_the_event_loop(
        thread_create,
        actor=moderator,
        community=first,
        title="Voorleesdagen 2027",
        body="Wie doet er mee?",
    )
    own_post = own_thread.posts.order_by("pk").first()

    result = selftest_submit(
        actor=member, answers={statement_id: 4 for statement_id, _role, _text in STATEMENTS}
    )
    reischeque_settings_set(
        actor=manager,
        organisation=organisation,
        travel_goal="Elke collega in een community werkt samen met een partner buiten de bieb.",
        questions="",
    )
    agreement = agreement_record(
        actor=manager,
        organisation=organisation,
        user=member,
        conversation_date=datetime.date(2026, 11, 2),
        contribution="Zet een leesclub voor jongeren op en deelt de aanpak.",
        hours_per_week=4,
        review_date=datetime.date(2027, 2, 1),
    )
    org = organisation.pk
    koffer = f"/organisatie/{org}/team/koffer/{koffer_round.pk}"
    moderator_membership = memberships[moderator.pk, first.pk]

    pages = [
        # Anyone
        Checked("home", "visitor", "/"),
        Checked("community index", "visitor", "/communities/"),
        Checked("community page", "visitor", first.url),
        Checked("to-do list", "visitor", first.subpage_url("todo_list")),
        Checked("to-do item", "visitor", first.subpage_url("todo_item", item.pk)),
        Checked("to-do overview", "visitor", "/te-doen/"),
        Checked("search", "visitor", "/zoeken/?q=lees"),
        Checked("login", "visitor", "/accounts/login/"),
        Checked("signup", "visitor", "/accounts/signup/"),
        Checked("password reset", "visitor", "/accounts/password/reset/"),
        Checked("page not found", "visitor", "/bestaat-niet/", status=404),
        # Members
        Checked("join form", "member", first.subpage_url("apply")),
        Checked("own application", "member", second.subpage_url("my_application")),
        Checked("leave", "member", second.subpage_url("leave")),
        Checked("members", "member", second.subpage_url("members")),
        Checked("forum", "member", second.subpage_url("forum")),
        Checked("forum thread", "member", second.subpage_url("forum_thread", thread.pk)),
        Checked("new thread", "member", second.subpage_url("forum_new")),
        Checked("reply", "member", second.subpage_url("forum_reply", thread.pk)),
        Checked("notifications", "member", "/meldingen/"),
        Checked("propose an item", "member", first.subpage_url("todo_propose")),
        Checked("self-test", "member", "/zelftest/"),
        Checked("self-test form", "member", "/zelftest/invullen/"),
        Checked("self-test result", "member", f"/zelftest/{result.pk}/"),
        Checked("profile form", "member", "/profiel/"),
        Checked("profile", "member", f"/mensen/{moderator.pk}/"),
        Checked("my agreements", "member", "/mijn-afspraken/"),
        Checked("reischeque", "member", f"/reischeque/{agreement.pk}/"),
        Checked("contact the moderators", "member", first.subpage_url("contact_moderators")),
        Checked("my data", "member", "/mijn-gegevens/"),
        Checked("erase account", "member", "/mijn-gegevens/account-verwijderen/"),
        Checked("no access", "member", first.subpage_url("moderation"), status=403),
        Checked("admin refused", "member", "/admin/", status=403, languages=("nl",)),
        # Moderators
        Checked("moderation", "moderator", first.subpage_url("moderation")),
        Checked(
            "end a membership",
            "moderator",
            first.subpage_url("end_membership", moderator_membership.pk),
        ),
        Checked("moderators", "moderator", first.subpage_url("moderators")),
        Checked("my roles", "moderator", "/mijn-rollen/"),
        Checked("forum with a pinned thread", "moderator", first.subpage_url("forum")),
        Checked(
            "edit a post", "moderator", first.subpage_url("forum_edit", own_thread.pk, own_post.pk)
        ),
        Checked(
            "hide a post", "moderator", first.subpage_url("forum_hide", own_thread.pk, own_post.pk)
        ),
        Checked(
            "moderate a thread", "moderator", first.subpage_url("forum_moderate", own_thread.pk)
        ),
        Checked("add an item", "moderator", first.subpage_url("todo_add")),
        Checked("edit an item", "moderator", first.subpage_url("todo_edit", item.pk)),
        Checked("close an item", "moderator", first.subpage_url("todo_close", item.pk)),
        Checked("proposals", "moderator", first.subpage_url("todo_proposals")),
        # Managers
        Checked("manager home", "manager", "/organisatie/"),
        Checked("coverage", "manager", f"/organisatie/{org}/rollen/"),
        Checked("assign a role", "manager", f"/organisatie/{org}/rollen/nieuw/"),
        Checked("end a role", "manager", f"/organisatie/{org}/rollen/{assignment.pk}/beeindigen/"),
        Checked("target", "manager", f"/organisatie/{org}/doelen/{first.pk}/"),
        Checked("agreements", "manager", f"/organisatie/{org}/afspraken/"),
        Checked("new agreement", "manager", f"/organisatie/{org}/afspraken/nieuw/"),
        Checked("reischeque settings", "manager", f"/organisatie/{org}/reischeque/"),
        Checked("change a role", "manager", f"/organisatie/{org}/rollen/{assignment.pk}/wijzigen/"),
        # The team page, the workshop and the koffer
        Checked("team page", "manager", f"/organisatie/{org}/team/"),
        Checked("team page as a team member", "member", f"/organisatie/{org}/team/"),
        Checked("why", "manager", f"/organisatie/{org}/team/waarom/"),
        Checked("team workshop", "manager", f"/organisatie/{org}/team/werksessie/"),
        Checked("koffer", "member", f"/organisatie/{org}/team/koffer/"),
        Checked("koffer categories", "manager", f"/organisatie/{org}/team/koffer/categorieen/"),
        Checked("new koffer session", "manager", f"/organisatie/{org}/team/koffer/nieuw/"),
        Checked("koffer session", "manager", f"{koffer}/"),
        Checked("koffer session as a team member", "member", f"{koffer}/"),
        Checked("fill in the koffer", "member", f"{koffer}/invullen/"),
        Checked("team scores", "manager", f"{koffer}/teamscore/"),
        Checked("koffer action point", "manager", f"{koffer}/actiepunt/"),
        # Network coordinators
        Checked("moderation overview", "coordinator", "/coordinatie/moderatoren/"),
        Checked("network", "coordinator", "/coordinatie/netwerk/"),
        Checked("managers", "coordinator", "/coordinatie/managers/"),
        Checked(
            "end a moderatorship",
            "coordinator",
            first.subpage_url("end_moderatorship", term.pk),
        ),
        Checked(
            "community in the admin",
            "coordinator",
            f"/admin/pages/{first.pk}/edit/",
            languages=("nl",),
        ),
    ]
    return {
        "people": {
            "member": member,
            "moderator": moderator,
            "manager": manager,
            "coordinator": coordinator,
        },
        "pages": pages,
        "community": first,
    }
