"""Properties of the lifecycle: random sequences of operations keep every
invariant (a hypothesis state machine), and merges and splits cost the same
number of queries however many posts move.

The content is built once per test through the real services; each hypothesis
example runs inside a savepoint that is rolled back afterwards.
"""

import datetime
from collections import defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from communities.forum import services as forum
from communities.forum.models import Post, Thread
from communities.lifecycle import services as lifecycle
from communities.lifecycle.models import LifecycleEvent, LifecycleKind, Provenance
from communities.models import CommunityPage, CommunityStatus, Membership, Moderatorship
from communities.ownership import community_owned_models
from cop_platform.mail import mail_muted
from members.models import Organisation
from members.services.managers import manager_appoint
from members.services.roles import role_assign, target_set
from todo_lists import services as todo

REASON = "Zo werkt het netwerk beter."


def dump() -> dict:
    """Every owned row with every field (many-to-many included), and every post."""
    rows = {}
    for model in [*community_owned_models(), Post]:
        names = [f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many]
        table = {}
        for obj in model.objects.order_by("pk").prefetch_related(
            *[f.name for f in model._meta.many_to_many]
        ):
            values = model_to_dict(obj, fields=names)
            for key, value in values.items():
                if isinstance(value, list):
                    values[key] = sorted(getattr(item, "pk", item) for item in value)
            table[obj.pk] = values
        rows[model._meta.label] = table
    return rows


def build_content(pages, *, make_user, join, appoint, coordinator, posts_per_thread=1):
    """Through the real services: in each page a moderator, two members (one of
    them also a member of the next page), a thread with posts, to-do items, a
    proposal, a role and a target. Returns the people by page."""
    organisation = Organisation.objects.create(
        name="Bibliotheek Testland", kind="openbare-bibliotheek", province="utrecht"
    )
    boss = make_user(name="Manager")
    manager_appoint(actor=coordinator, user=boss, organisation=organisation)
    people = {}
    shared = make_user(name="Gedeeld Lid")
    for number, page in enumerate(pages):
        moderator = make_user(name=f"Moderator {number}")
        member = make_user(name=f"Lid {number}")
        appoint(moderator, page)
        join(member, page, organisation=organisation, haal=f"Haal {number}")
        join(shared, page, haal=f"Gedeeld {number}")
        role_assign(
            actor=boss, organisation=organisation, community=page, user=member, role="verbinder"
        )
        target_set(
            actor=boss,
            organisation=organisation,
            community=page,
            target_members=number + 1,
            target_activities=2,
            deadline=datetime.date(2030, 1, 1),
        )
        thread = forum.thread_create(
            actor=member, community=page, title=f"Draad {number}", body="1"
        )
        for index in range(posts_per_thread - 1):
            forum.post_create(actor=member, thread=thread, body=f"Bericht {index}")
        for index in range(2):
            todo.todo_item_create(actor=moderator, community=page, title=f"Taak {number}.{index}")
        todo.todo_proposal_create(actor=member, community=page, title=f"Voorstel {number}")
        people[page.pk] = {"moderator": moderator, "member": member, "shared": shared}
    return people


# --- the state machine ---------------------------------------------------------


class LifecycleMachine(RuleBasedStateMachine):
    """Random merges, splits, dissolves, renames and undos over prepared content.

    Checked after every step: no row lost or duplicated, every row in an active
    community or an archive, provenance complete, the moderator invariant; and
    after every undo, the exact prior state (full row dumps)."""

    coordinator = None
    page_ids: list[int] = []

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self._muted = mail_muted()
        self._muted.__enter__()
        self.dumps_before: dict[int, dict] = {}
        self.events: list[int] = []
        self.initial = dump()
        self.origin = {
            (label, pk): row["community"]
            for label, table in self.initial.items()
            if label != "forum.Post"
            for pk, row in table.items()
        }

    def teardown(self):
        self._muted.__exit__(None, None, None)
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _active(self):
        return list(
            CommunityPage.objects.filter(
                status=CommunityStatus.ACTIVE, pk__in=self._ours()
            ).order_by("pk")
        )

    def _ours(self):
        made = LifecycleEvent.objects.filter(pk__in=self.events).values_list("results", flat=True)
        return {*self.page_ids, *[pk for pk in made if pk]}

    def _remember(self, run):
        before = dump()
        try:
            event = run()
        except ValidationError:
            assert dump() == before, "a refused operation changed nothing"
            return
        self.dumps_before[event.pk] = before
        self.events.append(event.pk)

    @initialize()
    def start(self):
        assert len(self._active()) == len(self.page_ids)

    @rule(data=st.data())
    def merge(self, data):
        active = self._active()
        if len(active) < 2:
            return
        sources = data.draw(st.lists(st.sampled_from(active), min_size=2, max_size=3, unique=True))
        into_existing = data.draw(st.booleans())
        self._remember(
            lambda: lifecycle.community_merge(
                actor=self.coordinator,
                sources=sources,
                into=sources[0] if into_existing else None,
                title=None if into_existing else "Samen verder",
                reason=REASON,
            )
        )

    @rule(data=st.data())
    def split(self, data):
        active = self._active()
        if not active:
            return
        source = data.draw(st.sampled_from(active))
        threads = list(Thread.objects.filter(community=source).values_list("pk", flat=True))
        items = list(
            source.todo_lists_todoitem_set.filter(retired_into__isnull=True).values_list(
                "pk", flat=True
            )
        )
        moderators = set(
            Moderatorship.objects.current().filter(community=source).values_list("user", flat=True)
        )
        members = list(
            Membership.objects.filter(community=source, state="active")
            .exclude(user__in=moderators)
            .values_list("user", flat=True)
            .order_by("user")
        )
        chosen_threads = (
            data.draw(st.lists(st.sampled_from(threads), unique=True)) if threads else []
        )
        chosen_items = data.draw(st.lists(st.sampled_from(items), unique=True)) if items else []
        movers = data.draw(st.lists(st.sampled_from(members), unique=True)) if members else []
        stayers = [pk for pk in [*moderators, *members] if pk not in movers]
        shared = data.draw(st.lists(st.sampled_from(stayers), unique=True)) if stayers else []
        candidates = [*movers, *shared]
        new_moderators = (
            data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=1))
            if candidates
            else []
        )
        self._remember(
            lambda: lifecycle.community_split(
                actor=self.coordinator,
                source=source,
                title="Afgesplitst",
                thread_ids=chosen_threads,
                todo_item_ids=chosen_items,
                member_user_ids=movers,
                shared_member_user_ids=shared,
                moderator_user_ids=new_moderators,
                reason=REASON,
            )
        )

    @rule(data=st.data())
    def dissolve(self, data):
        active = self._active()
        if len(active) < 2:
            return
        page = data.draw(st.sampled_from(active))
        self._remember(
            lambda: lifecycle.community_dissolve(
                actor=self.coordinator, community=page, reason=REASON
            )
        )

    @rule(data=st.data(), title=st.sampled_from(["Werkplaats", "Netwerk", "Atelier"]))
    def rename(self, data, title):
        active = self._active()
        if not active:
            return
        page = data.draw(st.sampled_from(active))
        self._remember(
            lambda: lifecycle.community_rename(
                actor=self.coordinator, community=page, title=title, reason=REASON
            )
        )

    @rule()
    def undo(self):
        candidates = [
            event
            for event in LifecycleEvent.objects.filter(pk__in=self.events).order_by("-pk")
            if not event.is_undone
        ]
        if not candidates:
            return
        event = candidates[0]
        refusal = lifecycle.undo_refusal(event)
        if refusal:
            with pytest.raises(ValidationError):
                lifecycle.lifecycle_undo(actor=self.coordinator, event=event)
            return
        lifecycle.lifecycle_undo(actor=self.coordinator, event=event)
        assert dump() == self.dumps_before[event.pk], "undo restores the exact prior state"

    # --- invariants ---------------------------------------------------------

    @invariant()
    def nothing_lost_or_duplicated(self):
        now = dump()
        for label, table in self.initial.items():
            assert set(table) <= set(now[label]), f"{label}: rows lost"
        assert len(now["forum.Post"]) == len(self.initial["forum.Post"])
        assert len(now["forum.Thread"]) == len(self.initial["forum.Thread"])
        assert len(now["todo_lists.TodoItem"]) == len(self.initial["todo_lists.TodoItem"])
        open_per_person = defaultdict(int)
        for row in now["communities.Membership"].values():
            if row["state"] in ("pending", "needs_info", "active"):
                open_per_person[(row["user"], row["community"])] += 1
        assert max(open_per_person.values(), default=1) == 1

    @invariant()
    def every_row_is_in_an_active_community_or_an_archive(self):
        for model in community_owned_models():
            statuses = set(
                CommunityPage.objects.filter(pk__in=model.objects.values("community")).values_list(
                    "status", flat=True
                )
            )
            assert statuses <= {"active", "merged", "dissolved"}, (model, statuses)

    @invariant()
    def provenance_is_complete(self):
        """Replaying the moves of the events that stand (not undone) takes every row
        from where it was made to where it is."""
        moves = defaultdict(list)
        standing = Provenance.objects.filter(action="moved", event__undone_by__isnull=True).exclude(
            event__kind=LifecycleKind.UNDO
        )
        types = {ct.pk: ct.model_class()._meta.label for ct in ContentType.objects.all()}
        for row in standing.order_by("pk"):
            moves[(types[row.content_type_id], row.object_id)].append(row)
        for model in community_owned_models():
            label = model._meta.label
            for pk, community in model.objects.values_list("pk", "community"):
                where = self.origin.get((label, pk))
                if where is None:  # made by an operation (a copy, a term at birth)
                    made = Provenance.objects.filter(
                        content_type=ContentType.objects.get_for_model(model),
                        object_id=pk,
                        action__in=["copied", "created"],
                    ).first()
                    assert made is not None, f"{label} {pk} has no provenance"
                    where = made.to_community_id
                for move in moves[(label, pk)]:
                    assert move.from_community_id == where, (label, pk)
                    where = move.to_community_id
                assert where == community, f"{label} {pk}: provenance ends elsewhere"

    @invariant()
    def every_active_community_has_a_moderator(self):
        for page in self._active():
            assert (
                Moderatorship.objects.current()
                .filter(community=page, retired_into__isnull=True)
                .exists()
            ), page.title


def test_random_lifecycles_keep_every_invariant(
    communities, make_user, join, appoint, coordinator, django_capture_on_commit_callbacks
):
    pages = communities[10:14]
    with mail_muted():
        build_content(
            pages, make_user=make_user, join=join, appoint=appoint, coordinator=coordinator
        )
    LifecycleMachine.coordinator = coordinator
    LifecycleMachine.page_ids = [page.pk for page in pages]
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        LifecycleMachine,
        settings=settings(
            max_examples=8,
            stateful_step_count=6,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            # No shrinking: each step publishes pages; a failure prints its steps.
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
        ),
    )


# --- query counts ----------------------------------------------------------------


def _with_posts(thread, count):
    Post.objects.bulk_create(
        Post(thread=thread, author=thread.author, body_source="x", body_html="<p>x</p>")
        for _ in range(count)
    )


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


def test_merge_and_split_cost_the_same_queries_at_100_and_10000_posts(
    communities, make_user, join, appoint, coordinator
):
    pages = communities[5:14]
    sizes = {"warm": 10, "small": 100, "large": 10_000}
    with mail_muted():
        people = build_content(
            pages, make_user=make_user, join=join, appoint=appoint, coordinator=coordinator
        )
        pairs = dict(zip(sizes, [pages[0:2], pages[2:4], pages[4:6]], strict=True))
        singles = dict(zip(sizes, pages[6:9], strict=True))
        for name, posts in sizes.items():
            _with_posts(Thread.objects.get(community=pairs[name][0]), posts)
            _with_posts(Thread.objects.get(community=singles[name]), posts)

        # Distinct names: Wagtail looks up taken slugs one by one ("samen-2", ...).
        def merge(name):
            return lifecycle.community_merge(
                actor=coordinator, sources=list(pairs[name]), title=f"Samen {name}", reason=REASON
            )

        def split(name):
            page = singles[name]
            member = people[page.pk]["member"]
            return lifecycle.community_split(
                actor=coordinator,
                source=page,
                title=f"Apart {name}",
                thread_ids=[Thread.objects.get(community=page).pk],
                member_user_ids=[member.pk],
                moderator_user_ids=[member.pk],
                reason=REASON,
            )

        merges = {name: _queries(lambda name=name: merge(name)) for name in sizes}
        splits = {name: _queries(lambda name=name: split(name)) for name in sizes}
    print(f"\nqueries per merge: {merges}; per split: {splits} (posts moved: {sizes})")
    assert merges["small"] == merges["large"]
    assert splits["small"] == splits["large"]
