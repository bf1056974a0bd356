"""Hostile text through the real services, batched, for the XSS tests.

The shared corpus (tests/cop_platform/test_sanitize.py's loader) is packed into
as few stored objects as each field's length allows: payloads joined by a
newline, up to the field's max_length (a longer payload is cut to it). Every
function records how many payloads it stored per input (`Stored.tried`), so the
tests can report payloads × inputs.

Every input gets the whole corpus. Names, titles, reasons and contributions that
need an object of their own per chunk are created one by one through their
service, one transaction per input, and shown on list pages that render them all
at once.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from communities.forum.services import post_create, post_hide, thread_create
from communities.models import (
    CommunityFormerName,
    CommunityPage,
    MembershipState,
    Priority,
    Topic,
)
from communities.services.memberships import (
    membership_accept,
    membership_answer,
    membership_apply,
    membership_ask,
    membership_decline,
)
from communities.terms import Role
from cop_platform.sanitize import one_line
from members.models import Organisation, OrganisationKind, Province
from members.services import profile_update
from members.services.agreements import agreement_record
from members.services.managers import manager_appoint
from members.services.roles import role_assign
from tests.cop_platform.test_sanitize import payloads
from tests.factories import UserFactory
from todo_lists.services import (
    todo_comment_add,
    todo_item_create,
    todo_proposal_create,
    todo_proposal_decline,
)

# Tag names (community themes, haal/breng topics) hold 100 characters.
TAG_LIMIT = 100


def chunks(limit: int, items=None) -> list[tuple[str, int]]:
    """The corpus packed into strings of at most `limit` characters: (text, payload count)."""
    out, current, count = [], "", 0
    for payload in payloads() if items is None else items:
        payload = payload[:limit]
        if current and len(current) + 1 + len(payload) > limit:
            out.append((current, count))
            current, count = "", 0
        current = f"{current}\n{payload}" if current else payload
        count += 1
    if current:
        out.append((current, count))
    return out


def person(name: str = "Xander Test", **kwargs):
    user = UserFactory(**kwargs)
    profile_update(actor=user, display_name=name, organisation=None, language="nl")
    return user


@dataclass
class Stored:
    """What was stored: payloads per input, and the objects the pages show."""

    tried: dict[str, int] = field(default_factory=dict)
    objects: dict[str, list | dict] = field(default_factory=dict)

    def add(self, input_name: str, count: int, obj=None) -> None:
        self.tried[input_name] = self.tried.get(input_name, 0) + count
        if obj is not None:
            self.objects.setdefault(input_name, []).append(obj)

    @property
    def total(self) -> int:
        return sum(self.tried.values())


def store_forum(stored: Stored, *, actor, community, titles: bool = True) -> None:
    """Post bodies (the whole corpus in one thread) and thread titles (one
    thread per 200-character chunk, ~1,000; with `titles=False` only the first)."""
    bodies = chunks(20_000)
    title_chunks = chunks(200)
    thread = thread_create(
        actor=actor, community=community, title=title_chunks[0][0], body=bodies[0][0]
    )
    stored.add("thread title", title_chunks[0][1], thread)
    stored.add("post body", bodies[0][1], thread.posts.get())
    for body, count in bodies[1:]:
        stored.add("post body", count, post_create(actor=actor, thread=thread, body=body))
    stored.objects["thread"] = [thread]
    if not titles:
        return
    with transaction.atomic():
        for title, count in title_chunks[1:]:
            stored.add(
                "thread title",
                count,
                thread_create(actor=actor, community=community, title=title, body="x"),
            )


def store_hidden_posts(stored: Stored, *, moderator, thread) -> None:
    """Posts a moderator hid, each with a reason (1,000 characters) that readers
    see instead of the post."""
    with transaction.atomic():
        for reason, count in chunks(1000):
            post = post_create(actor=moderator, thread=thread, body="Dit bericht wordt verborgen.")
            post_hide(actor=moderator, post=post, reason=reason)
            stored.add("reason for hiding a post", count)


def store_organisations(stored: Stored) -> None:
    """Organisations a coordinator adds in the Wagtail admin (names of 200
    characters), the whole corpus: the intake form offers them all."""
    for name, count in chunks(200):
        # Payloads cut to the same first 200 characters make the same name.
        Organisation.objects.get_or_create(
            name=name,
            defaults={"kind": OrganisationKind.PUBLIC_LIBRARY, "province": Province.UTRECHT},
        )
        stored.add("organisation name", count)


def store_topics(stored: Stored) -> list:
    """The haal/breng topics: the whole corpus as topic names, one per chunk. They
    are the shared vocabulary of the intake form (no service creates them; the
    demo data uses get_or_create too)."""
    topics = []
    for name, count in chunks(TAG_LIMIT):
        topics.append(Topic.objects.get_or_create(name=name)[0])
        stored.add("haal/breng topic", count)
    return topics


def _named_person(stored: Stored, number: int, bio: str = ""):
    """A person with the corpus's `number`th 120-character chunk as display name
    and the chunk half the corpus away as job title, so that every chunk is used
    once as each."""
    names = chunks(120)
    name, name_count = names[number]
    job, job_count = names[(number + len(names) // 2) % len(names)]
    user = UserFactory()
    profile_update(
        actor=user, display_name=name, job_title=job, bio=bio, organisation=None, language="nl"
    )
    stored.add("display name", name_count, user)
    stored.objects.setdefault("name payloads", {})[user.pk] = name_count
    stored.add("job title", job_count)
    return user


def store_member_names(stored: Stored, *, coordinator, community) -> None:
    """Display names and job titles (120 characters) need a person per chunk: the
    people store_memberships did not need join as members (the member list shows
    both)."""
    with transaction.atomic():
        for number in range(len(stored.objects["applicants"]), len(chunks(120))):
            user = _named_person(stored, number)
            membership = membership_apply(actor=user, community=community, haal="-", breng="-")
            membership_accept(actor=coordinator, membership=membership)


def store_memberships(stored: Stored, *, coordinator, community, topics=()) -> None:
    """Haal and breng answers (2,000 characters each), the whole corpus in each, one
    chunk per application: odd applications are accepted (member list, haal/breng
    balance and matches), even ones stay pending (moderation queue). Each applicant
    also asks for one slice of the topics and brings the next, so every topic shows
    in the balance and some in the matches; their bios (2,000 characters) are the
    same chunks as their haal, and the test opens their profiles. Their display
    names and job titles are the first chunks of store_member_names. One more
    applicant is declined with the whole corpus as the reason."""
    answers = chunks(2000)
    per_slice = -(-len(topics) // len(answers))
    slices = [topics[i * per_slice : (i + 1) * per_slice] for i in range(len(answers))]
    applicants = []
    with transaction.atomic():
        for number, (haal, haal_count) in enumerate(answers):
            breng, breng_count = answers[-1 - number]
            user = _named_person(stored, number, bio=haal)
            stored.add("bio", haal_count)
            membership = membership_apply(
                actor=user,
                community=community,
                haal=haal,
                breng=breng,
                haal_topics=slices[number],
                breng_topics=slices[(number + 1) % len(slices)],
            )
            stored.add("haal", haal_count, membership)
            stored.add("breng", breng_count)
            if number % 2:
                membership = membership_accept(actor=coordinator, membership=membership)
            applicants.append(membership)
    stored.objects["applicants"] = applicants

    declined_user = person("Dirk Afgewezen")
    membership = membership_apply(
        actor=declined_user, community=community, haal="Ideeën.", breng="Tijd."
    )
    everything = "\n".join(payloads())
    membership_decline(actor=coordinator, membership=membership, reason=everything)
    stored.add("decline reason", len(payloads()), membership)
    asked_user = person("Vera Vraag")
    membership = membership_apply(actor=asked_user, community=community, haal="Kennis.", breng="-")
    membership_ask(actor=coordinator, membership=membership, question=everything)
    stored.add("moderators' question", len(payloads()), membership)
    # The conversation on the moderators' card and the member's page: an answer,
    # and the welcome typed when accepting.
    answering_user = person("Abel Antwoord")
    membership = membership_apply(
        actor=answering_user, community=community, haal="Kennis.", breng="-"
    )
    membership_ask(actor=coordinator, membership=membership, question="Waarom?")
    membership_answer(actor=answering_user, membership=membership, answer=everything)
    stored.add("applicant's answer", len(payloads()), membership)
    welcomed_user = person("Wendy Welkom")
    membership = membership_apply(actor=welcomed_user, community=community, haal="-", breng="-")
    membership_accept(actor=coordinator, membership=membership, message=everything)
    stored.add("welcome message", len(payloads()), membership)


def store_mentions(stored: Stored, *, coordinator, community, thread) -> None:
    """@mentions link a member's name into a post (cop_platform.sanitize.link_mentions),
    every hostile display name once: the coordinator mentions them in posts of up
    to 20,000 characters. Only members can be mentioned, so for each applicant
    still pending a namesake joins first. The first members mention the
    coordinator back, whose notification list then shows their names and the
    thread's title. Stored after all names: a post costs more the more members."""
    counts = stored.objects["name payloads"]
    pending = {m.user.pk for m in stored.objects["applicants"] if m.state != MembershipState.ACTIVE}
    mentioned = []
    with transaction.atomic():
        for user in stored.objects["display name"]:
            if user.pk in pending:
                namesake = person(user.display_name)
                membership = membership_apply(
                    actor=namesake, community=community, haal="-", breng="-"
                )
                membership_accept(actor=coordinator, membership=membership)
            mentioned.append((f"@{user.display_name}", counts[user.pk]))
    bodies, body, body_count = [], "", 0
    for mention, count in mentioned:
        if body and len(body) + 1 + len(mention) > 20_000:
            bodies.append((body, body_count))
            body, body_count = "", 0
        body, body_count = f"{body} {mention}" if body else mention, body_count + count
    bodies.append((body, body_count))
    for body, count in bodies:
        post_create(actor=coordinator, thread=thread, body=body)
        stored.add("display name in a mention", count)
    first_members = [
        m.user for m in stored.objects["applicants"] if m.state == MembershipState.ACTIVE
    ]
    for user in first_members:
        post_create(actor=user, thread=thread, body=f"@{coordinator.display_name} kijk hier.")


def store_todo(stored: Stored, *, actor, community, titles: bool = True) -> None:
    """To-do items (description 5,000 and title 200 characters: one item per title
    chunk, the first with the descriptions), comments on one item (2,000 each),
    proposals (one per title chunk: the first with the descriptions, the next
    declined with the moderators' reasons of 2,000 characters, the rest open). With
    `titles=False` only the items and proposals that carry those longer texts."""
    descriptions, reasons = chunks(5000), chunks(2000)
    all_titles = chunks(200)
    item_titles = all_titles if titles else all_titles[: len(descriptions)]
    proposal_titles = all_titles[::-1]
    if not titles:
        proposal_titles = proposal_titles[: len(descriptions) + len(reasons)]
    items = []
    with transaction.atomic():
        for index, (title, title_count) in enumerate(item_titles):
            description, count = descriptions[index] if index < len(descriptions) else ("", 0)
            item = todo_item_create(
                actor=actor, community=community, title=title, description=description
            )
            stored.add("to-do title", title_count)
            if description:
                stored.add("to-do description", count, item)
            items.append(item)
        for body, count in chunks(2000):
            stored.add(
                "to-do comment", count, todo_comment_add(actor=actor, item=items[0], body=body)
            )
        for index, (title, title_count) in enumerate(proposal_titles):
            description, count = descriptions[index] if index < len(descriptions) else ("", 0)
            proposal = todo_proposal_create(
                actor=actor, community=community, title=title, description=description
            )
            stored.add("proposal title", title_count)
            if description:
                stored.add("proposal description", count, proposal)
            # Declined proposals: their proposer reads the moderators' reason.
            reason_index = index - len(descriptions)
            if 0 <= reason_index < len(reasons):
                reason, reason_count = reasons[reason_index]
                todo_proposal_decline(actor=actor, proposal=proposal, reason=reason)
                stored.add("proposal decline reason", reason_count)


def store_community_texts(stored: Stored, *, communities) -> None:
    """What a coordinator edits in Wagtail. Names (255 characters) and summaries
    (500), the whole corpus: one community per name chunk (~800: the founding 15,
    edited and published through page revisions as the admin does, and new ones
    after them, which the home page, the search page and the manager's coverage
    view list with their summaries). Themes (tags, 100 characters) and former
    names (255), the whole corpus spread over the founding communities (the search
    form offers every theme; each community page lists its own former names). The
    first community gets an earlier revision, so the admin's revision comparison
    shows hostile text on both sides."""
    titles, summaries, themes = chunks(255), chunks(500), chunks(TAG_LIMIT)
    first = communities[0]
    first.title, first.summary = titles[-1][0], summaries[-1][0]
    first.save_revision()
    for number, community in enumerate(communities):
        for name, count in titles[number :: len(communities)]:
            community.former_names.add(CommunityFormerName(name=name))
            stored.add("former name", count)
        mine = themes[number :: len(communities)]
        community.tags.add(*(name for name, _count in mine))
        stored.add("community theme", sum(count for _name, count in mine))
    index = first.get_parent()
    priorities = list(Priority)
    with transaction.atomic():
        for number in range(max(len(titles), len(summaries))):
            if number < len(communities):
                community = communities[number]
            else:
                community = CommunityPage(
                    slug=f"xss-{number}",
                    number=1000 + number,
                    priority=priorities[number % len(priorities)],
                    start_date=datetime.date(2026, 1, 1),
                )
            title, title_count = titles[number % len(titles)]
            summary, summary_count = summaries[number % len(summaries)]
            community.title, community.summary = title, summary
            if community.pk is None:
                # Saved live at once: a revision adds nothing the public pages
                # show, and would double the time ~800 pages take.
                index.add_child(instance=community)
            else:
                community.save_revision().publish()
            if number < len(titles):
                stored.add("community title", title_count, community)
            if number < len(summaries):
                stored.add("community summary", summary_count)


def store_agreements(stored: Stored, *, coordinator) -> None:
    """Development agreements a manager records with one member: contribution
    (2,000 characters), training and other support (1,000 each), the whole corpus
    in each. The member sees them all on one page."""
    organisation = Organisation.objects.create(
        name="Bibliotheek Test", kind=OrganisationKind.PUBLIC_LIBRARY, province=Province.UTRECHT
    )
    manager = person("Marit Manager")
    member = person("Mats Medewerker")
    for user in (manager, member):
        profile_update(actor=user, display_name=user.display_name, organisation=organisation)
    manager_appoint(actor=coordinator, user=manager, organisation=organisation)
    # Fresh objects: the cached profiles still have no organisation.
    manager, member = (type(user).objects.get(pk=user.pk) for user in (manager, member))
    long, short = chunks(2000), chunks(1000)
    today = datetime.date(2026, 1, 15)
    for index, (training, training_count) in enumerate(short):
        # A contribution is required: after the corpus, the agreements repeat it.
        contribution, count = long[index] if index < len(long) else (long[0][0], 0)
        agreement_record(
            actor=manager,
            organisation=organisation,
            user=member,
            conversation_date=today,
            review_date=today,
            contribution=contribution,
            training=training,
            other_support=short[-1 - index][0],
        )
        stored.add("agreement contribution", count)
        stored.add("agreement training", training_count)
        stored.add("agreement other support", short[-1 - index][1])
    stored.objects["agreement member"] = [member]
    stored.objects["manager"] = [manager]
    stored.objects["organisation"] = [organisation]
    store_roles(stored, coordinator=coordinator, manager=manager, organisation=organisation)


def store_roles(stored: Stored, *, coordinator, manager, organisation) -> None:
    """What a manager writes about each role they assign (contribution, 300
    characters), the whole corpus: one role per chunk, over every community and
    role, held by as many of the organisation's people as that takes. Their
    manager reads them all in the coverage view."""
    contributions = chunks(300)
    communities = [c for c in CommunityPage.objects.order_by("number") if c.is_active]
    roles = list(Role)
    per_person = len(communities) * len(roles)
    with transaction.atomic():
        for first in range(0, len(contributions), per_person):
            user = UserFactory()
            profile_update(
                actor=user,
                display_name=f"Rolf Rolhouder {first // per_person + 1}",
                organisation=organisation,
            )
            mine = contributions[first : first + per_person]
            for number, community in enumerate(communities[: -(-len(mine) // len(roles))]):
                membership = membership_apply(
                    actor=user, community=community, haal="-", breng="-", organisation=organisation
                )
                membership_accept(actor=coordinator, membership=membership)
                for role, (text, count) in zip(
                    roles, mine[number * len(roles) : (number + 1) * len(roles)], strict=False
                ):
                    role_assign(
                        actor=manager,
                        organisation=organisation,
                        community=community,
                        user=user,
                        role=role,
                        hours_per_week=Decimal("2"),
                        contribution=text,
                    )
                    stored.add("role contribution", count)


def store_lifecycle(stored: Stored, *, coordinator, communities) -> None:
    """What a network coordinator types into the lifecycle forms: reasons (2,000
    characters; the whole corpus) and the names of renamed or merged communities
    (255). A bounded number of operations carries them: one dissolve and one
    merge (archive notices, the successor link and lineage), then one rename per
    remaining reason chunk, spread over founding communities 2-12, each with a
    name chunk (the renamed pages, their former names and every history page
    show them). The rest of the name corpus reaches the same templates as
    community titles (store_community_texts)."""
    from communities.lifecycle.services import (
        community_dissolve,
        community_merge,
        community_rename,
    )

    reasons, titles = chunks(2000), chunks(255)
    dissolved, merged_a, merged_b = communities[14], communities[12], communities[13]
    with transaction.atomic():
        community_dissolve(actor=coordinator, community=dissolved, reason=reasons[0][0])
        stored.add("lifecycle reason", reasons[0][1])
        event = community_merge(
            actor=coordinator,
            sources=[merged_a, merged_b],
            title=titles[0][0],
            reason=reasons[1][0],
        )
        stored.add("lifecycle reason", reasons[1][1])
        stored.add("lifecycle new name", titles[0][1])
        stored.objects["lifecycle pages"] = [dissolved, merged_a, merged_b, event.results.get()]
        renamed = communities[1:12]
        for number, (reason, count) in enumerate(reasons[2:]):
            community = CommunityPage.objects.get(pk=renamed[number % len(renamed)].pk)
            title, title_count = titles[1 + number]
            if one_line(title) == community.title:
                # store_community_texts may have given it this very chunk already;
                # a rename to its own name is refused, so the chunk gets a suffix.
                title = f"{title[:250]} (2)"
            community_rename(actor=coordinator, community=community, title=title, reason=reason)
            stored.add("lifecycle reason", count)
            stored.add("lifecycle new name", title_count)
        stored.objects["lifecycle renamed"] = list(renamed)
