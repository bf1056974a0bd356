"""The lifecycle services: merge, split, dissolve, rename and undo, set up through
the real services (memberships, moderators, forum, to-do lists)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from communities.forum import services as forum
from communities.forum.models import Post, Thread
from communities.lifecycle import services as lifecycle
from communities.lifecycle.models import LifecycleKind, Provenance
from communities.lifecycle.selectors import community_lineage, lifecycle_history
from communities.models import CommunityPage, CommunityStatus, Membership, Moderatorship
from communities.ownership import community_owned_models
from todo_lists import services as todo
from todo_lists.models import TodoItem

REASON = "De agenda voegt deze communities samen."


def dump():
    """Every owned row, every field (m2m included), plus posts: the state undo must restore."""
    rows = {}
    for model in [*community_owned_models(), Post]:
        rows[model._meta.label] = {
            obj.pk: model_to_dict(
                obj,
                fields=[f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many],
            )
            for obj in model.objects.order_by("pk")
        }
        for values in rows[model._meta.label].values():
            for key, value in values.items():
                if isinstance(value, list):
                    values[key] = sorted(getattr(v, "pk", v) for v in value)
    return rows


@pytest.fixture
def pair(communities, make_user, appoint, join, coordinator, django_capture_on_commit_callbacks):
    """Communities 3 and 4 with a moderator each, a member in both, a thread and
    to-do items each."""
    three, four = communities[2], communities[3]
    mod3, both = (make_user(name=n) for n in ("Mod Drie", "Bea Beide"))
    mod4 = make_user(name="Mod Four", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        appoint(mod3, three)
        appoint(mod4, four)
        join(both, three, haal="Taal", breng="Netwerk")
        join(both, four, haal="Schuldhulp", breng="Netwerk")
        forum.thread_create(actor=mod3, community=three, title="Taalhuis", body="Hallo")
        forum.thread_create(actor=mod4, community=four, title="Informatiepunt", body="Hoi")
        for page, moderator in ((three, mod3), (four, mod4)):
            for n in range(2):
                todo.todo_item_create(actor=moderator, community=page, title=f"Punt {n}")
    return three, four, mod3, mod4, both


def test_merge_into_new_moves_everything_and_undo_restores_it(
    pair, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    three, four, mod3, mod4, both = pair
    before = dump()
    with pytest.raises(PermissionDenied):
        lifecycle.community_merge(actor=both, sources=[three, four], title="X", reason=REASON)
    with pytest.raises(ValidationError):
        lifecycle.community_merge(actor=coordinator, sources=[three, four], title="X", reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        event = lifecycle.community_merge(
            actor=coordinator,
            sources=[three, four],
            title="Participatie en zelfredzaamheid",
            reason=REASON,
        )
    merged = event.results.get()
    assert merged.title == "Participatie en zelfredzaamheid" and merged.live
    three.refresh_from_db()
    four.refresh_from_db()
    assert (three.status, four.status) == (CommunityStatus.MERGED, CommunityStatus.MERGED)
    assert three.archive_reason == REASON
    assert Thread.objects.filter(community=merged).count() == 2
    assert list(TodoItem.objects.filter(community=merged).values_list("title", "position")) == [
        ("Punt 0", 1),
        ("Punt 1", 2),
        ("Punt 0", 3),
        ("Punt 1", 4),
    ]
    # Bea was in both: one open membership remains, with both answers.
    open_memberships = Membership.objects.filter(user=both, state="active")
    assert open_memberships.count() == 1
    survivor = open_memberships.get()
    assert (
        survivor.community == merged and "Taal" in survivor.haal and "Schuldhulp" in survivor.haal
    )
    retired = Membership.objects.get(user=both, state="merged")
    assert retired.retired_into == survivor
    assert set(
        Moderatorship.objects.current().filter(community=merged).values_list("user", flat=True)
    ) == {mod3.pk, mod4.pk}
    assert event.counts["forum.thread"]["before"][str(three.pk)] == 1
    assert Provenance.objects.filter(event=event, action="moved").count() > 0
    # Every member is told once, in their own language.
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert subjects[both.email] == "Communities samengevoegd tot Participatie en zelfredzaamheid"
    assert subjects[mod4.email] == "Communities merged into Participatie en zelfredzaamheid"
    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert "Waarom: " + REASON in bodies[both.email]

    lineage = community_lineage(merged)
    assert {page.pk for page in lineage.predecessors} == {three.pk, four.pk}
    assert community_lineage(three).successors == [merged]
    assert list(lifecycle_history(three)) == [event]

    with django_capture_on_commit_callbacks(execute=True):
        undo = lifecycle.lifecycle_undo(actor=coordinator, event=event)
    assert undo.kind == LifecycleKind.UNDO and undo.undo_of == event
    assert dump() == before
    three.refresh_from_db()
    merged = CommunityPage.objects.get(pk=merged.pk)
    assert three.status == CommunityStatus.ACTIVE and three.archived_on is None
    assert merged.status == CommunityStatus.UNDONE and not merged.live
    with pytest.raises(ValidationError):
        lifecycle.lifecycle_undo(actor=coordinator, event=event)


def test_undo_is_refused_once_something_was_added(
    pair, coordinator, django_capture_on_commit_callbacks
):
    three, four, mod3, mod4, both = pair
    with django_capture_on_commit_callbacks(execute=True):
        event = lifecycle.community_merge(
            actor=coordinator, sources=[three, four], into=three, reason=REASON
        )
        thread = Thread.objects.filter(community=three).first()
        forum.post_create(actor=both, thread=thread, body="Nieuw bericht")
    with pytest.raises(ValidationError) as refused:
        lifecycle.lifecycle_undo(actor=coordinator, event=event)
    assert "posts" in str(refused.value) or "berichten" in str(refused.value)


def test_split_moves_the_chosen_rows_and_undo_restores(
    pair, coordinator, make_user, join, django_capture_on_commit_callbacks
):
    three, four, mod3, mod4, both = pair
    mover = make_user(name="Mo Verhuizer")
    with django_capture_on_commit_callbacks(execute=True):
        join(mover, three)
    before = dump()
    thread = Thread.objects.get(community=three)
    item = TodoItem.objects.filter(community=three).first()
    with pytest.raises(ValidationError):
        lifecycle.community_split(
            actor=coordinator,
            source=three,
            title="Digitale inclusie",
            thread_ids=[Thread.objects.get(community=four).pk],
            reason=REASON,
            moderator_user_ids=[mover.pk],
            member_user_ids=[mover.pk],
        )
    with pytest.raises(ValidationError):  # the new community would have no moderator
        lifecycle.community_split(
            actor=coordinator,
            source=three,
            title="Digitale inclusie",
            thread_ids=[thread.pk],
            reason=REASON,
        )
    with django_capture_on_commit_callbacks(execute=True):
        event = lifecycle.community_split(
            actor=coordinator,
            source=three,
            title="Digitale inclusie",
            thread_ids=[thread.pk],
            todo_item_ids=[item.pk],
            member_user_ids=[mover.pk],
            shared_member_user_ids=[both.pk],
            moderator_user_ids=[mover.pk],
            reason=REASON,
        )
    new = CommunityPage.objects.exclude(pk=three.pk).get(lifecycle_events_as_result=event)
    assert Thread.objects.get(pk=thread.pk).community_id == new.pk
    assert TodoItem.objects.get(pk=item.pk).community_id == new.pk
    assert TodoItem.objects.get(community=three).position == 1
    assert Membership.objects.filter(user=both, state="active").count() == 3  # 3, 4 and new
    assert Moderatorship.objects.current().filter(community=new, user=mover).exists()
    assert community_lineage(new).split_from == [three]
    with django_capture_on_commit_callbacks(execute=True):
        undo = lifecycle.lifecycle_undo(actor=coordinator, event=event)
    assert dump() == before

    # The undo is history of its own: what went back, and the removed copy and
    # term with their whole rows, so nothing is lost.
    written = Provenance.objects.filter(event=undo)
    returned = written.filter(action="returned")
    assert set(returned.values_list("object_id", "to_community")) >= {
        (thread.pk, three.pk),
        (item.pk, three.pk),
    }
    assert returned.get(object_id=thread.pk, content_type__model="thread").from_community == new
    removed = {row.previous["user_id"]: row for row in written.filter(action="removed")}
    assert set(removed) == {both.pk, mover.pk}  # Bea's copy, Mo's term at birth
    assert removed[both.pk].previous["community_id"] == new.pk
    assert removed[both.pk].previous["haal"] == "Taal"
    # The split's own rows are still there, marked undone through their event.
    assert Provenance.objects.filter(event=event, action="moved").count() == returned.count()
    assert event.undone_by == undo


def test_dissolve_ends_memberships_and_terms_and_undo(
    pair, coordinator, django_capture_on_commit_callbacks, today
):
    three, four, mod3, mod4, both = pair
    before = dump()
    with django_capture_on_commit_callbacks(execute=True):
        event = lifecycle.community_dissolve(actor=coordinator, community=four, reason=REASON)
    four.refresh_from_db()
    assert four.status == CommunityStatus.DISSOLVED and four.archived_on == today
    assert not Membership.objects.filter(community=four, state="active").exists()
    assert not Moderatorship.objects.current().filter(community=four).exists()
    assert Thread.objects.filter(community=four).count() == 1  # nothing deleted
    with django_capture_on_commit_callbacks(execute=True):
        undo = lifecycle.lifecycle_undo(actor=coordinator, event=event)
    assert dump() == before
    # Every row the dissolve ended was put back, and the undo records the end
    # dates and states it overwrote.
    ended = set(Provenance.objects.filter(event=event).values_list("content_type", "object_id"))
    restored = Provenance.objects.filter(event=undo, action="restored")
    assert set(restored.values_list("content_type", "object_id")) == ended
    term = restored.get(
        content_type__model="moderatorship",
        object_id__in=[term.pk for term in Moderatorship.objects.filter(community=four)],
    )
    assert term.previous["end_date"] == event.on.isoformat()


def test_rename_keeps_the_former_name(pair, coordinator, django_capture_on_commit_callbacks):
    three, four, *_ = pair
    six = CommunityPage.objects.get(number=6)
    with django_capture_on_commit_callbacks(execute=True):
        event = lifecycle.community_rename(
            actor=coordinator, community=six, title="Community Librarian Netwerk", reason=REASON
        )
    six.refresh_from_db()
    assert six.title == "Community Librarian Netwerk"
    assert [f.name for f in community_lineage(six).former_names] == ["Community en connectie"]
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.lifecycle_undo(actor=coordinator, event=event)
    six.refresh_from_db()
    assert six.title == "Community en connectie" and not six.former_names.exists()


def test_management_commands_run_as_the_system_views_never_do(communities):
    seven = CommunityPage.objects.get(number=7)
    with pytest.raises(PermissionDenied):
        lifecycle.community_rename(actor=None, community=seven, title="Werkplaats", reason=REASON)
    with lifecycle.lifecycle_as_system():
        event = lifecycle.community_rename(
            actor=None, community=seven, title="Werkplaats", reason=REASON
        )
    assert event.actor is None
    assert CommunityPage.objects.get(number=7).title == "Werkplaats"


def _themes(page) -> list[str]:
    """Theme names, lower case (themes are matched case-insensitively: an existing
    theme keeps its own spelling)."""
    return sorted(tag.name.lower() for tag in CommunityPage.objects.get(pk=page.pk).tags.all())


def _give_themes(page, names):
    page = CommunityPage.objects.get(pk=page.pk)
    page.tags.set(names, clear=True)
    page.save_revision().publish()


def test_a_merge_unites_the_themes_up_to_the_cap_and_undo_restores_them(
    pair, coordinator, django_capture_on_commit_callbacks
):
    three, four, *_ = pair
    _give_themes(three, ["taal", "Digitale vaardigheden"])
    _give_themes(four, ["Taal", "schulden", *[f"thema {n}" for n in range(8)]])

    with django_capture_on_commit_callbacks(execute=True):
        into_three = lifecycle.community_merge(
            actor=coordinator, sources=[three, four], into=three, reason=REASON
        )
    # Its own first, "Taal" once, then four's until the cap of 10.
    assert _themes(three) == sorted(
        ["taal", "digitale vaardigheden", "schulden", *[f"thema {n}" for n in range(7)]]
    )
    # The published revision carries them too: reverting to it keeps them.
    latest = CommunityPage.objects.get(pk=three.pk).get_latest_revision_as_object()
    assert len(latest.tags.all()) == 10

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.lifecycle_undo(actor=coordinator, event=into_three)
    assert _themes(three) == ["digitale vaardigheden", "taal"]

    with django_capture_on_commit_callbacks(execute=True):
        into_new = lifecycle.community_merge(
            actor=coordinator,
            sources=[three, four],
            title="Participatie en zelfredzaamheid",
            reason=REASON,
        )
    new = into_new.results.get()
    assert "digitale vaardigheden" in _themes(new) and "schulden" in _themes(new)
    assert len(_themes(new)) == 10


def test_a_split_off_community_starts_with_the_source_themes(
    pair, coordinator, django_capture_on_commit_callbacks
):
    three, _four, mod3, *_ = pair
    _give_themes(three, ["taal", "Digitale vaardigheden"])
    with django_capture_on_commit_callbacks(execute=True):
        event = lifecycle.community_split(
            actor=coordinator,
            source=three,
            title="Digitale inclusie",
            thread_ids=[Thread.objects.get(community=three).pk],
            shared_member_user_ids=[mod3.pk],
            moderator_user_ids=[mod3.pk],
            reason=REASON,
        )
    new = CommunityPage.objects.exclude(pk=three.pk).get(lifecycle_events_as_result=event)
    assert _themes(new) == ["digitale vaardigheden", "taal"]
