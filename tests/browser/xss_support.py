"""Hostile text through the real services, batched, for the XSS tests.

The shared corpus (tests/cop_platform/test_sanitize.py's loader) is packed into
as few stored objects as each field's length allows: payloads joined by a
newline, up to the field's max_length (a longer payload is cut to it). Every
function returns how many payloads it stored, so the tests can report
payloads × inputs.
"""

import datetime
from dataclasses import dataclass, field

from communities.forum.services import post_create, thread_create
from communities.services.memberships import (
    membership_accept,
    membership_apply,
    membership_decline,
)
from members.models import Organisation, OrganisationKind, Province
from members.services import profile_update
from members.services.agreements import agreement_record
from members.services.managers import manager_appoint
from tests.cop_platform.test_sanitize import payloads
from tests.factories import UserFactory
from todo_lists.services import todo_comment_add, todo_item_create, todo_proposal_create

# Thread titles hold 200 characters: one thread per chunk would be ~1,000
# threads, and poking every element of that list page takes most of a minute.
MAX_THREADS = 250
# Bios are shown one profile at a time; the test opens this many profiles.
PROFILE_PAGES = 5


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
    objects: dict[str, list] = field(default_factory=dict)

    def add(self, input_name: str, count: int, obj=None) -> None:
        self.tried[input_name] = self.tried.get(input_name, 0) + count
        if obj is not None:
            self.objects.setdefault(input_name, []).append(obj)

    @property
    def total(self) -> int:
        return sum(self.tried.values())


def store_forum(stored: Stored, *, actor, community, titles: bool = True) -> None:
    """Post bodies (the whole corpus in one thread) and thread titles (one
    thread per 200-character chunk; with `titles=False` only the first)."""
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
    if titles:
        for title, count in title_chunks[1:MAX_THREADS]:
            stored.add(
                "thread title",
                count,
                thread_create(actor=actor, community=community, title=title, body="x"),
            )


def store_memberships(stored: Stored, *, coordinator, community) -> None:
    """Haal/breng answers (2,000 characters each): half the applications stay
    pending (moderation page), half are accepted (member list). Display names and
    job titles (120 characters) and bios go on the applicants' profiles. One more
    applicant is declined with the whole corpus as the reason."""
    answers = chunks(2000)
    names = chunks(120)
    bios = answers
    applicants = []
    for index in range(0, len(answers), 2):
        haal, haal_count = answers[index]
        breng, breng_count = answers[index + 1] if index + 1 < len(answers) else ("-", 0)
        number = index // 2
        user = UserFactory()
        name, name_count = names[number] if number < len(names) else ("Naam", 0)
        job, job_count = names[-1 - number] if number < len(names) else ("", 0)
        bio, bio_count = bios[number]
        profile_update(
            actor=user,
            display_name=name,
            job_title=job,
            bio=bio,
            organisation=None,
            language="nl",
        )
        stored.add("display name", name_count, user)
        stored.add("job title", job_count)
        if number < PROFILE_PAGES:
            stored.add("bio", bio_count)
        membership = membership_apply(actor=user, community=community, haal=haal, breng=breng)
        stored.add("haal", haal_count, membership)
        stored.add("breng", breng_count)
        if number % 2:
            membership_accept(actor=coordinator, membership=membership)
        applicants.append(membership)
    stored.objects["applicants"] = applicants

    declined_user = person("Dirk Afgewezen")
    membership = membership_apply(
        actor=declined_user, community=community, haal="Ideeën.", breng="Tijd."
    )
    reason = "\n".join(payloads())
    membership_decline(actor=coordinator, membership=membership, reason=reason)
    stored.add("decline reason", len(payloads()), membership)


def store_todo(stored: Stored, *, actor, community) -> None:
    """To-do items (description 5,000 and title 200 characters), comments on one
    item (2,000 each), proposals (title and description)."""
    descriptions = chunks(5000)
    titles = chunks(200)
    items = []
    for index, (description, count) in enumerate(descriptions):
        title, title_count = titles[index]
        item = todo_item_create(
            actor=actor, community=community, title=title, description=description
        )
        stored.add("to-do description", count, item)
        stored.add("to-do title", title_count)
        items.append(item)
    for body, count in chunks(2000):
        stored.add("to-do comment", count, todo_comment_add(actor=actor, item=items[0], body=body))
    for index, (description, count) in enumerate(descriptions):
        title, title_count = titles[-1 - index]
        proposal = todo_proposal_create(
            actor=actor, community=community, title=title, description=description
        )
        stored.add("proposal description", count, proposal)
        stored.add("proposal title", title_count)


def store_community_texts(stored: Stored, *, community) -> None:
    """What a coordinator edits in Wagtail: title (255) and summary (500),
    published through a page revision, as the admin does."""
    title, title_count = chunks(255)[0]
    summary, summary_count = chunks(500)[0]
    community.title = title
    community.summary = summary
    community.save_revision().publish()
    stored.add("community title", title_count, community)
    stored.add("community summary", summary_count)


def store_agreements(stored: Stored, *, coordinator) -> None:
    """Development agreements a manager records with one member: contribution
    (2,000 characters), training and other support (1,000 each). The member sees
    them all on one page."""
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
    short = chunks(1000)
    today = datetime.date(2026, 1, 15)
    for index, (contribution, count) in enumerate(chunks(2000)):
        training, training_count = short[2 * index] if 2 * index < len(short) else ("", 0)
        other, other_count = short[2 * index + 1] if 2 * index + 1 < len(short) else ("", 0)
        agreement_record(
            actor=manager,
            organisation=organisation,
            user=member,
            conversation_date=today,
            review_date=today,
            contribution=contribution,
            training=training,
            other_support=other,
        )
        stored.add("agreement contribution", count)
        stored.add("agreement training", training_count)
        stored.add("agreement other support", other_count)
    stored.objects["agreement member"] = [member]
