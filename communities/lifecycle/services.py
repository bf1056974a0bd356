"""Merge, split, dissolve, rename and undo communities.

Contract shared by every operation:

- keyword-only arguments, the acting coordinator first; refused with
  PermissionDenied unless `permissions.can_run_lifecycle(actor)` (or
  `actor=None` inside `lifecycle_as_system()`, for management commands); bad input
  raises ValidationError with a translated message and changes nothing;
- one transaction; the communities involved are locked in primary-key order;
- rows move set-based: the number of queries depends on the number of owned
  models, not on the number of rows (see engine.py);
- every row is counted per model before and after; any mismatch rolls the
  whole operation back (LifecycleMismatch);
- nothing is deleted: archived pages stay live at their URL with
  `archived_on` and `archive_reason`; duplicates are retired, not removed;
- one LifecycleEvent is written and returned; every row that moved, was
  retired, absorbed a duplicate, was copied, created or ended has a Provenance
  row of that event;
- "every active community has a current moderator": a result of a merge or
  split gets at least one when any community involved had one, and a split
  never leaves its source without one;
- members of the communities involved get an e-mail in their language after
  commit; live pages are told where content went, after commit.
"""

import copy
import datetime
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities import permissions
from communities.admin_forms import MAX_THEMES
from communities.lifecycle import engine
from communities.lifecycle.models import (
    LifecycleEvent,
    LifecycleKind,
    Provenance,
    ProvenanceAction,
)

# Re-exported: the previews belong with the operations they preview.
from communities.lifecycle.selectors import merge_preview, split_preview  # noqa: F401
from communities.models import (
    CommunityFormerName,
    CommunityPage,
    CommunityPageTag,
    CommunityStatus,
    Membership,
    MembershipState,
    Moderatorship,
)
from communities.ownership import community_owned_models, not_ended
from cop_platform.mail import send_mail_on_commit
from cop_platform.page_cache import invalidate_public_pages
from cop_platform.sanitize import clean_text, one_line


class LifecycleMismatch(RuntimeError):
    """Rows were counted before and after an operation and do not add up: the
    transaction is rolled back. Never expected; a bug if it happens."""


# --- checks shared by the operations -----------------------------------------


_as_system: ContextVar[bool] = ContextVar("cop_lifecycle_as_system", default=False)


@contextmanager
def lifecycle_as_system():
    """Run operations with `actor=None` inside the block: for management commands
    (the seed replays the agenda's history, with or without accounts). Views
    never use it: they always pass request.user, which must be a coordinator."""
    token = _as_system.set(True)
    try:
        yield
    finally:
        _as_system.reset(token)


def _require_coordinator(actor) -> None:
    if actor is None and _as_system.get():
        return
    permissions.require(actor is not None and permissions.can_run_lifecycle(actor))


def _clean_reason(reason: str) -> str:
    reason = clean_text(reason)
    if not reason:
        raise ValidationError(_("Give a reason: members and later readers will see it."))
    if len(reason) > 2000:
        raise ValidationError(_("Keep the reason under 2,000 characters."))
    return reason


def _clean_title(title: str) -> str:
    title = one_line(title)
    if not title:
        raise ValidationError(_("Give the community a name."))
    if len(title) > 255:
        raise ValidationError(_("Keep the name under 255 characters."))
    return title


def _require_active(pages) -> None:
    for page in pages:
        if page.status != CommunityStatus.ACTIVE:
            raise ValidationError(
                _("“%(name)s” is an archive; only active communities can take part.")
                % {"name": page.title}
            )


def _has_current_moderator(ids, on) -> set[int]:
    """The ids among `ids` with at least one current moderator on `on`."""
    return set(
        Moderatorship.objects.current(on)
        .filter(community__in=ids, retired_into__isnull=True)
        .values_list("community_id", flat=True)
    )


def _require_moderator(page: CommunityPage, on) -> None:
    if page.pk not in _has_current_moderator([page.pk], on):
        raise ValidationError(
            _("“%(name)s” would have no moderator. Choose at least one moderator for it.")
            % {"name": page.title}
        )


def _member_ids(ids) -> list[int]:
    """People with an open membership of any of the communities (mail recipients)."""
    return list(
        Membership.objects.filter(
            community__in=ids, state=MembershipState.ACTIVE, retired_into__isnull=True
        )
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )


def _page_state(page: CommunityPage) -> list:
    return [
        page.status,
        page.archived_on.isoformat() if page.archived_on else None,
        page.archive_reason,
        page.title,
    ]


def _archive(pages, status, on, reason) -> None:
    """Archive pages without a revision (status is not part of revisions)."""
    CommunityPage.objects.filter(pk__in=[page.pk for page in pages]).update(
        status=status, archived_on=on, archive_reason=reason
    )
    for page in pages:
        page.status, page.archived_on, page.archive_reason = status, on, reason


def _new_event(kind, actor, reason, on) -> LifecycleEvent:
    # Every operation and its undo starts here. They move rows and archive pages
    # with QuerySet.update (no signals): end the public pages' cache ourselves.
    invalidate_public_pages()
    return LifecycleEvent.objects.create(
        kind=kind, actor=actor, reason=reason, on=on, at=timezone.now(), details={}
    )


def _create_community(
    *, actor, like: CommunityPage, title, on, number=None, priority=None, summary=None, themes=()
) -> CommunityPage:
    """A new community next to `like`, through Wagtail (add_child, then publish)."""
    index = like.get_parent().specific
    page = CommunityPage(
        title=title,
        number=number if number is not None else like.number,
        priority=priority or like.priority,
        summary=summary or like.summary,
        start_date=on,
    )
    page.tags.add(*themes)
    index.add_child(instance=page)
    # The lifecycle's own permission (can_run_lifecycle) was checked; a network
    # coordinator need not hold Wagtail's page permissions.
    page.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)
    page.refresh_from_db()
    return page


def _united_themes(page_ids) -> list[str]:
    """The themes (tags) of the pages, in the pages' order, each once (names
    compared case-insensitively), at most MAX_THEMES (the admin form's cap). One
    query."""
    order = {pk: index for index, pk in enumerate(page_ids)}
    tagged = sorted(
        CommunityPageTag.objects.filter(content_object_id__in=page_ids).values_list(
            "content_object_id", "pk", "tag__name"
        ),
        key=lambda row: (order[row[0]], row[1]),
    )
    themes: list[str] = []
    for _page, _pk, name in tagged:
        if name.lower() not in {theme.lower() for theme in themes}:
            themes.append(name)
    return themes[:MAX_THEMES]


def _publish_themes(actor, page: CommunityPage, themes) -> None:
    """Give a live page exactly these themes, as a new published revision."""
    page.tags.set(themes, clear=True)
    # The lifecycle's own permission (can_run_lifecycle) was checked; a network
    # coordinator need not hold Wagtail's page permissions.
    page.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)


def _appoint_at_birth(ctx, page: CommunityPage, user_ids, *, end_date=None) -> int:
    """Current terms (from the operation's date until `end_date`, None: open) for
    the chosen moderators who have none in `page` yet; they must be active
    members of it. Recorded as created (undo removes them)."""
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return 0
    members = set(
        Membership.objects.filter(
            community=page,
            user_id__in=user_ids,
            state=MembershipState.ACTIVE,
            retired_into__isnull=True,
        ).values_list("user_id", flat=True)
    )
    if set(user_ids) - members:
        raise ValidationError(
            _("A moderator must be an active member of the community they moderate.")
        )
    already = set(
        Moderatorship.objects.filter(
            community=page, user_id__in=user_ids, retired_into__isnull=True
        )
        .filter(not_ended(ctx.on))
        .values_list("user_id", flat=True)
    )
    terms = Moderatorship.objects.bulk_create(
        [
            Moderatorship(
                community=page,
                user_id=user_id,
                start_date=ctx.on,
                end_date=end_date,
                appointed_by_id=ctx.actor_id,
            )
            for user_id in user_ids
            if user_id not in already
        ]
    )
    engine.record(
        ctx,
        Moderatorship,
        Moderatorship.objects.filter(pk__in=[term.pk for term in terms]),
        ProvenanceAction.CREATED,
    )
    ctx.added[engine.label(Moderatorship)] += len(terms)
    return len(terms)


def _verify(ctx, before: dict, after: dict, *, emptied=()) -> None:
    """Totals per model (and counted children) are unchanged, plus what the
    operation added; the emptied communities hold only retired rows. Raises
    LifecycleMismatch, which rolls the operation back."""
    problems = []
    for key, counts in before.items():
        is_children = key.count(".") == 2
        added = 0 if is_children else ctx.added.get(key, 0)
        if sum(after[key].values()) != sum(counts.values()) + added:
            problems.append(
                f"{key}: {sum(counts.values())} + {added} -> {sum(after[key].values())}"
            )
    if emptied:
        for model in community_owned_models():
            left = model.objects.filter(community__in=emptied, retired_into__isnull=True)
            if left.exists():
                problems.append(f"{engine.label(model)}: rows left behind in {sorted(emptied)}")
    if problems:
        raise LifecycleMismatch("; ".join(problems))


def _finish(
    ctx, *, before, after, sources, results, notify_ids, template_community
) -> LifecycleEvent:
    event = ctx.event
    event.counts = {
        key: {"before": before.get(key, {}), "after": after.get(key, {})}
        for key in sorted(set(before) | set(after))
    }
    event.save(update_fields=["counts", "details"])
    event.sources.set(sources)
    event.results.set(results)
    _after_commit(ctx)
    _mail_members(event, notify_ids, template_community)
    return event


def _after_commit(ctx) -> None:
    """After commit: each moved model's follow-up (sockets, search), and the pages'
    own search entries (status is a search filter)."""
    event = ctx.event
    moved_models = sorted(ctx.moved_models, key=engine.label)

    def follow_up():
        from wagtail.search import index

        for model in moved_models:
            content_type = ContentType.objects.get_for_model(model)
            moves = list(
                Provenance.objects.filter(
                    event=event, content_type=content_type, action=ProvenanceAction.MOVED
                ).values_list("object_id", "from_community_id", "to_community_id")
            )
            model.ownership.on_commit(moves)
        pages = CommunityPage.objects.filter(
            pk__in=[
                *event.sources.values_list("pk", flat=True),
                *event.results.values_list("pk", flat=True),
            ]
        )
        for page in pages:
            index.insert_or_update_object(page)

    transaction.on_commit(follow_up)


def _mail_members(event, user_ids, community) -> None:
    if not user_ids:
        return
    recipients = list(
        get_user_model().objects.filter(pk__in=user_ids, is_active=True).select_related("profile")
    )
    send_mail_on_commit(
        template="communities/email/lifecycle",
        recipients=recipients,
        context={
            "event": event,
            "kind": event.kind,
            "community": community,
            "sources": list(event.sources.all()),
            "results": list(event.results.all()),
        },
    )


# --- merge -------------------------------------------------------------------


@transaction.atomic
def community_merge(
    *,
    actor,
    sources,
    into: CommunityPage | None = None,
    title: str | None = None,
    reason: str,
    on: datetime.date | None = None,
    moderator_user_ids=(),
    moderator_end_date: datetime.date | None = None,
) -> LifecycleEvent:
    """Merge two or more active communities into `into` (one of them, or another
    active community) or, when `into` is None, into a new community named
    `title` (placed next to the first source, taking its number, priority and
    summary). Every source other than `into` becomes an archive (status merged).

    All their owned rows move; duplicates (per the models' policies) are folded
    into one survivor and the others retired in place. The current moderators
    of the sources come along (one term per person); `moderator_user_ids` adds
    terms for active members of the result, from `on` until
    `moderator_end_date` (None: open-ended). Returns the event."""
    _require_coordinator(actor)
    reason = _clean_reason(reason)
    on = on or timezone.localdate()
    source_ids = sorted({page.pk for page in sources} - ({into.pk} if into else set()))
    if into is None:
        title = _clean_title(title)
    if len(source_ids) + (1 if into else 0) < 2 or not source_ids:
        raise ValidationError(_("Choose at least two communities to merge."))
    ids = sorted({*source_ids, *([into.pk] if into else [])})
    pages = engine.lock_communities(ids)
    if len(pages) != len(ids):
        raise ValidationError(_("One of these communities does not exist (any more)."))
    _require_active(pages.values())
    had_moderator = bool(_has_current_moderator(ids, on))
    notify = _member_ids(ids)

    event = _new_event(LifecycleKind.MERGE, actor, reason, on)
    ctx = engine.Context(event=event, on=on)
    event.details["pages"] = {str(pk): _page_state(page) for pk, page in pages.items()}
    event.details["restore"] = engine.snapshot_fields(ids)
    # The result carries the themes of every community merged into it (its own first).
    themes = _united_themes([*([into.pk] if into else []), *source_ids])
    if into is None:
        target = _create_community(
            actor=actor, like=pages[source_ids[0]], title=title, on=on, themes=themes
        )
        event.details["created_pages"] = [target.pk]
    else:
        target = pages[into.pk]
        own = [tag.name for tag in target.tags.all()]
        if own != themes:
            event.details["themes_before"] = {str(target.pk): own}
            _publish_themes(actor, target, themes)
    all_ids = sorted({*ids, target.pk})
    engine.lock_counted_children(ids)
    before = engine.count_rows(all_ids)

    for model in community_owned_models():
        engine.fold(ctx, model, all_ids, target.pk)
        moved = 0
        for index, source_id in enumerate(source_ids):
            rows = model.objects.filter(community_id=source_id, retired_into__isnull=True)
            moved += engine.move(ctx, model, rows, target.pk, index)
        if moved:
            model.ownership.after_move([target.pk])

    if moderator_end_date is not None and moderator_end_date <= on:
        raise ValidationError(_("The end must come after the start."))
    _appoint_at_birth(ctx, target, moderator_user_ids, end_date=moderator_end_date)
    _archive([pages[pk] for pk in source_ids], CommunityStatus.MERGED, on, reason)
    after = engine.count_rows(all_ids)
    _verify(ctx, before, after, emptied=source_ids)
    if had_moderator:
        _require_moderator(target, on)
    return _finish(
        ctx,
        before=before,
        after=after,
        sources=[pages[pk] for pk in ids],
        results=[target],
        notify_ids=notify,
        template_community=target,
    )


# --- split -------------------------------------------------------------------


@transaction.atomic
def community_split(
    *,
    actor,
    source: CommunityPage,
    title: str,
    thread_ids=(),
    todo_item_ids=(),
    member_user_ids=(),
    shared_member_user_ids=(),
    moderator_user_ids=(),
    reason: str,
    on: datetime.date | None = None,
    number: int | None = None,
    priority: str | None = None,
    summary: str | None = None,
) -> LifecycleEvent:
    """Split a new community named `title` off `source`; `source` stays active.

    The coordinator chooses what goes: `thread_ids` and `todo_item_ids` (their
    proposals follow the items); members: `member_user_ids` MOVE (their open
    membership, current moderator terms and roles go to the new community),
    `shared_member_user_ids` stay in `source` and get a COPY of their
    membership (answers and topics included) in the new one. A person can be
    in only one of the two lists. `moderator_user_ids` are the new community's
    moderators at birth (active members who move or are copied); moving
    moderators keep their terms. Refused when either community would be left
    without a moderator while the source had one. Targets stay with the source.
    """
    _require_coordinator(actor)
    reason = _clean_reason(reason)
    title = _clean_title(title)
    on = on or timezone.localdate()
    choices = {
        "thread_ids": sorted(set(thread_ids)),
        "todo_item_ids": sorted(set(todo_item_ids)),
        "member_user_ids": sorted(set(member_user_ids)),
        "shared_member_user_ids": sorted(set(shared_member_user_ids)),
    }
    if set(choices["member_user_ids"]) & set(choices["shared_member_user_ids"]):
        raise ValidationError(
            _("A person either moves to the new community or stays in both, not both at once.")
        )
    pages = engine.lock_communities([source.pk])
    if not pages:
        raise ValidationError(_("This community does not exist (any more)."))
    source = pages[source.pk]
    _require_active([source])
    _check_split_choices(source, choices, on)
    had_moderator = bool(_has_current_moderator([source.pk], on))
    notify = _member_ids([source.pk])

    event = _new_event(LifecycleKind.SPLIT, actor, reason, on)
    ctx = engine.Context(event=event, on=on)
    event.details["pages"] = {str(source.pk): _page_state(source)}
    event.details["restore"] = engine.snapshot_fields([source.pk])
    event.details["choices"] = choices
    new = _create_community(
        actor=actor,
        like=source,
        title=title,
        on=on,
        number=number,
        priority=priority,
        summary=summary,
        # A subtheme of the source: it starts with the source's themes.
        themes=_united_themes([source.pk]),
    )
    event.details["created_pages"] = [new.pk]
    ids = [source.pk, new.pk]
    engine.lock_counted_children([source.pk])
    before = engine.count_rows(ids)

    moved_any = []
    for model in community_owned_models():
        rows = _split_rows(model, source, choices, on)
        if rows is not None and engine.move(ctx, model, rows, new.pk):
            moved_any.append(model)
        _copy_rows(ctx, model, source, new, choices)
    for model in moved_any:
        model.ownership.after_move(ids)

    moving_moderators = set(
        Moderatorship.objects.current(on).filter(community=new).values_list("user_id", flat=True)
    )
    _appoint_at_birth(ctx, new, set(moderator_user_ids) - moving_moderators)
    after = engine.count_rows(ids)
    _verify(ctx, before, after)
    if had_moderator:
        _require_moderator(source, on)
        _require_moderator(new, on)
    return _finish(
        ctx,
        before=before,
        after=after,
        sources=[source],
        results=[source, new],
        notify_ids=notify,
        template_community=new,
    )


def _check_split_choices(source, choices, on) -> None:
    """Every chosen id must belong to the source (one query per chosen list)."""
    for model in community_owned_models():
        policy = model.ownership
        for name in (policy.split_choice, policy.split_copy_choice):
            if not name or not choices.get(name):
                continue
            wanted = set(choices[name])
            rows = model.objects.filter(community=source, retired_into__isnull=True)
            if policy.has_conflicts:
                rows = rows.filter(policy.conflict_rows(on))
            found = set(
                rows.filter(**{f"{policy.split_choice_field}__in": wanted}).values_list(
                    policy.split_choice_field, flat=True
                )
            )
            if wanted - found:
                raise ValidationError(
                    _("Some of the chosen %(things)s are not in “%(name)s”.")
                    % {"things": model._meta.verbose_name_plural, "name": source.title}
                )
    if not any(choices.values()):
        raise ValidationError(_("Choose what goes to the new community."))


def _split_rows(model, source, choices, on):
    """The rows of `model` that go to the new community, or None."""
    policy = model.ownership
    rows = model.objects.filter(community=source, retired_into__isnull=True)
    if policy.split_choice:
        chosen = choices.get(policy.split_choice) or []
        rows = rows.filter(**{f"{policy.split_choice_field}__in": chosen})
    elif policy.split_follows_person:
        rows = rows.filter(**{f"{policy.split_follows_person}__in": choices["member_user_ids"]})
    elif policy.split_follows:
        followed = model._meta.get_field(policy.split_follows.removesuffix("_id")).related_model
        chosen = choices.get(followed.ownership.split_choice) or []
        rows = rows.filter(**{f"{policy.split_follows}__in": chosen})
    else:
        return None
    if policy.has_conflicts:
        rows = rows.filter(policy.conflict_rows(on))
    return rows


def _copy_rows(ctx, model, source, new, choices) -> None:
    """Copies for the rows chosen to be in both (members who stay in both)."""
    policy = model.ownership
    if not policy.split_copy_choice or not choices.get(policy.split_copy_choice):
        return
    originals = list(
        model.objects.filter(community=source, retired_into__isnull=True)
        .filter(policy.conflict_rows(ctx.on))
        .filter(**{f"{policy.split_choice_field}__in": choices[policy.split_copy_choice]})
        .order_by("pk")
    )
    copies = [_clone(copy.copy(original), new) for original in originals]
    created = model.objects.bulk_create(copies)
    for m2m_name in policy.unite_m2m:
        m2m = model._meta.get_field(m2m_name)
        through = m2m.remote_field.through
        own, other = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        copy_of = {original.pk: copy.pk for original, copy in zip(originals, created, strict=True)}
        pairs = through.objects.filter(**{f"{own}__in": list(copy_of)}).values_list(own, other)
        through.objects.bulk_create([through(**{own: copy_of[o], other: v}) for o, v in pairs])
    Provenance.objects.bulk_create(
        [
            Provenance(
                event=ctx.event,
                content_type=ContentType.objects.get_for_model(model),
                object_id=copy.pk,
                action=ProvenanceAction.COPIED,
                from_community_id=source.pk,
                to_community_id=new.pk,
                related_id=original.pk,
                previous={},
                actor_id=ctx.actor_id,
                at=ctx.event.at,
            )
            for original, copy in zip(originals, created, strict=True)
        ]
    )
    ctx.added[engine.label(model)] += len(created)


def _clone(row, community):
    row.pk = None
    row.id = None
    row._state.adding = True
    row.community_id = community.pk
    row.retired_into_id = None
    return row


# --- dissolve ----------------------------------------------------------------


@transaction.atomic
def community_dissolve(
    *, actor, community: CommunityPage, reason: str, on: datetime.date | None = None
) -> LifecycleEvent:
    """End an active community on `on` (default today): its page, forum and
    to-do list stay at their URLs as a read-only archive (status dissolved,
    with date and reason); open memberships end, moderator terms and role
    assignments stop on that date (per the models' policies). Nothing is
    deleted or moved. Members are told by e-mail."""
    _require_coordinator(actor)
    reason = _clean_reason(reason)
    on = on or timezone.localdate()
    pages = engine.lock_communities([community.pk])
    if not pages:
        raise ValidationError(_("This community does not exist (any more)."))
    community = pages[community.pk]
    _require_active([community])
    notify = _member_ids([community.pk])
    event = _new_event(LifecycleKind.DISSOLVE, actor, reason, on)
    ctx = engine.Context(event=event, on=on)
    event.details["pages"] = {str(community.pk): _page_state(community)}
    before = engine.count_rows([community.pk])
    for model in community_owned_models():
        policy = model.ownership
        values = policy.end_values(on)
        if not values:
            continue
        rows = model.objects.filter(community=community, retired_into__isnull=True).filter(
            policy.ended_rows(on)
        )
        engine.record(ctx, model, rows, ProvenanceAction.ENDED, previous=tuple(values))
        rows.update(**values)
    _archive([community], CommunityStatus.DISSOLVED, on, reason)
    after = engine.count_rows([community.pk])
    _verify(ctx, before, after)
    dissolved_id = community.pk
    transaction.on_commit(
        lambda: [model.ownership.on_dissolve(dissolved_id) for model in community_owned_models()]
    )
    return _finish(
        ctx,
        before=before,
        after=after,
        sources=[community],
        results=[],
        notify_ids=notify,
        template_community=community,
    )


# --- rename ------------------------------------------------------------------


@transaction.atomic
def community_rename(
    *, actor, community: CommunityPage, title: str, reason: str, on: datetime.date | None = None
) -> LifecycleEvent:
    """Give an active community a new name; the old one is kept as a former name
    (until `on`) and shown. The URL stays. Published as a new page revision."""
    _require_coordinator(actor)
    reason = _clean_reason(reason)
    title = _clean_title(title)
    on = on or timezone.localdate()
    pages = engine.lock_communities([community.pk])
    if not pages:
        raise ValidationError(_("This community does not exist (any more)."))
    page = pages[community.pk]
    _require_active([page])
    if title == page.title:
        raise ValidationError(_("That is already the community's name."))
    event = _new_event(LifecycleKind.RENAME, actor, reason, on)
    ctx = engine.Context(event=event, on=on)
    old = page.title
    page.title = title
    page.draft_title = title
    former = CommunityFormerName(name=old, until=on)
    page.former_names.add(former)
    # The lifecycle's own permission (can_run_lifecycle) was checked; a network
    # coordinator need not hold Wagtail's page permissions.
    page.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)
    former_pk = CommunityFormerName.objects.filter(page=page, name=old).order_by("-pk").first().pk
    event.details.update(
        old_title=old,
        new_title=title,
        former_name_id=former_pk,
        pages={str(page.pk): _page_state(page)},
    )
    counts = engine.count_rows([page.pk])
    notify = _member_ids([page.pk])
    return _finish(
        ctx,
        before=counts,
        after=counts,
        sources=[page],
        results=[page],
        notify_ids=notify,
        template_community=page,
    )


# --- undo --------------------------------------------------------------------


def undo_refusal(event: LifecycleEvent) -> str | None:
    """Why `event` cannot be undone (translated), or None when it can."""
    if event.kind == LifecycleKind.UNDO:
        return _("An undo cannot itself be undone; do the operation again instead.")
    if event.is_undone:
        return _("This has already been undone.")
    involved = {
        *event.sources.values_list("pk", flat=True),
        *event.results.values_list("pk", flat=True),
    }
    later = (
        LifecycleEvent.objects.filter(pk__gt=event.pk, undone_by__isnull=True)
        .exclude(kind=LifecycleKind.UNDO)
        .filter(sources__in=involved)
        .exists()
    ) or (
        LifecycleEvent.objects.filter(pk__gt=event.pk, undone_by__isnull=True)
        .exclude(kind=LifecycleKind.UNDO)
        .filter(results__in=involved)
        .exists()
    )
    if later:
        return _("Something happened to these communities later; undo that first.")
    if event.kind in (LifecycleKind.MERGE, LifecycleKind.SPLIT):
        now = engine.count_rows(involved)
        added = []
        for key, counts in event.counts.items():
            if now.get(key) != counts["after"]:
                added.append(key)
        if added:
            return ngettext(
                "Something was added or changed in the result since (%(what)s); it can no "
                "longer be undone exactly.",
                "Things were added or changed in the results since (%(what)s); they can no "
                "longer be undone exactly.",
                len(added),
            ) % {"what": ", ".join(_describe_count_key(key) for key in added)}
    return None


def _describe_count_key(key: str) -> str:
    app_label, model_name, *child = key.split(".")
    from django.apps import apps

    model = apps.get_model(app_label, model_name)
    if child:
        related = model._meta.get_field(child[0]).related_model
        return str(related._meta.verbose_name_plural)
    return str(model._meta.verbose_name_plural)


@transaction.atomic
def lifecycle_undo(*, actor, event: LifecycleEvent) -> LifecycleEvent:
    """Undo a merge, split, dissolve or rename while nothing was added to its
    results since: every moved row goes back to where it was, retired
    duplicates and the survivors' old values come back, copies and terms made
    at birth are removed, ended rows run again, positions and pages (status,
    name) are as before; a community the operation created is unpublished and
    marked undone (kept for the history). Refused with a clear message
    otherwise (see `undo_refusal`). Returns the undo event."""
    _require_coordinator(actor)
    involved = sorted(
        {*event.sources.values_list("pk", flat=True), *event.results.values_list("pk", flat=True)}
    )
    pages = engine.lock_communities(involved)
    event = LifecycleEvent.objects.select_for_update().get(pk=event.pk)
    engine.lock_counted_children(involved)
    refusal = undo_refusal(event)
    if refusal:
        raise ValidationError(refusal)
    notify = _member_ids(involved)
    undo = _new_event(
        LifecycleKind.UNDO,
        actor,
        _("Undo of %(what)s") % {"what": event.get_kind_display().lower()},
        timezone.localdate(),
    )
    undo.undo_of = event
    undo.save(update_fields=["undo_of"])
    ctx = engine.Context(event=undo, on=undo.on)
    before = engine.count_rows(involved)

    if event.kind == LifecycleKind.RENAME:
        _undo_rename(actor, pages, event)
    else:
        _undo_rows(ctx, event)
        engine.restore_snapshot(event.details.get("restore", {}))
        _restore_pages(event, pages)
        for pk_text, themes in event.details.get("themes_before", {}).items():
            _publish_themes(actor, pages[int(pk_text)], themes)
    after = engine.count_rows(involved)
    return _finish(
        ctx,
        before=before,
        after=after,
        sources=list(pages.values()),
        results=[
            page for page in pages.values() if page.pk not in event.details.get("created_pages", [])
        ],
        notify_ids=notify,
        template_community=next(iter(pages.values())),
    )


def _undo_rows(ctx, event) -> None:
    """Put the rows back; every change is recorded as provenance of the undo's
    own event (returned, restored, removed), one statement per model and action."""
    provenance = Provenance.objects.filter(event=event)
    by_type = defaultdict(list)
    groups = provenance.order_by().values_list("content_type_id", "action").distinct()
    for content_type_id, action in groups:
        by_type[content_type_id].append(action)
    for model in reversed(community_owned_models()):
        content_type = ContentType.objects.get_for_model(model)
        actions = by_type.get(content_type.pk, [])
        rows = provenance.filter(content_type=content_type)
        if ProvenanceAction.COPIED in actions or ProvenanceAction.CREATED in actions:
            made = rows.filter(action__in=[ProvenanceAction.COPIED, ProvenanceAction.CREATED])
            removed = model.objects.filter(pk__in=made.values("object_id"))
            whole_row = tuple(f.attname for f in model._meta.concrete_fields if not f.primary_key)
            engine.record(ctx, model, removed, ProvenanceAction.REMOVED, previous=whole_row)
            removed.delete()
        if ProvenanceAction.MOVED in actions:
            moved = rows.filter(action=ProvenanceAction.MOVED)
            for from_id in moved.order_by().values_list("from_community_id", flat=True).distinct():
                returning = model.objects.filter(
                    pk__in=moved.filter(from_community_id=from_id).values("object_id")
                )
                engine.record(ctx, model, returning, ProvenanceAction.RETURNED, to=from_id)
                returning.update(community_id=from_id)
                ctx.moved_models.add(model)
        # The fields changed in place, newest first: survivors, then the retired
        # (their pointer last, so constraints hold), then rows that ended.
        for action in (
            ProvenanceAction.RECONCILED,
            ProvenanceAction.RETIRED,
            ProvenanceAction.ENDED,
        ):
            if action in actions:
                _restore_previous(ctx, model, rows.filter(action=action))
        added = event.details.get("m2m_added", {}).get(engine.label(model), {})
        for name, pairs in added.items():
            m2m = model._meta.get_field(name)
            through = m2m.remote_field.through
            own, other = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
            condition = Q(pk__in=[])
            for owner, value in pairs:
                condition |= Q(**{own: owner, other: value})
            through.objects.filter(condition).delete()


def _restore_previous(ctx, model, provenance) -> None:
    """Put back the values recorded in `previous`, one UPDATE per model and action;
    the values it overwrites are recorded first (restored)."""
    values = {}
    fields = set()
    for object_id, previous in provenance.values_list("object_id", "previous"):
        snapshot = {
            name: engine.python_value(model, name, raw)
            for name, raw in (previous or {}).items()
            if name != "community_id"
        }
        values[object_id] = snapshot
        fields |= set(snapshot)
    if values:
        rows = model.objects.filter(pk__in=list(values))
        engine.record(ctx, model, rows, ProvenanceAction.RESTORED, previous=sorted(fields))
        rows.update(**engine._per_row(model, values, sorted(fields)))


def _restore_pages(event, pages) -> None:
    created = set(event.details.get("created_pages", []))
    for pk_text, (status, archived_on, reason, _title) in event.details.get("pages", {}).items():
        CommunityPage.objects.filter(pk=int(pk_text)).update(
            status=status,
            archived_on=datetime.date.fromisoformat(archived_on) if archived_on else None,
            archive_reason=reason,
        )
    for page in CommunityPage.objects.filter(pk__in=created):
        page.unpublish()  # saves the page: the status is written after it
    CommunityPage.objects.filter(pk__in=created).update(
        status=CommunityStatus.UNDONE,
        archived_on=timezone.localdate(),
        archive_reason=event.reason,
    )


def _undo_rename(actor, pages, event) -> None:
    page = pages[next(iter(pages))]
    page.title = event.details["old_title"]
    page.draft_title = page.title
    page.former_names.remove(
        *[
            former
            for former in page.former_names.all()
            if former.pk == event.details["former_name_id"]
        ]
    )
    # The lifecycle's own permission (can_run_lifecycle) was checked; a network
    # coordinator need not hold Wagtail's page permissions.
    page.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)
