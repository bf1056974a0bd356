"""Reads for the lifecycle: previews before an operation, lineage and history after.

Previews change nothing and cost a fixed number of queries per owned model.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.lifecycle import engine
from communities.lifecycle.models import LifecycleEvent, LifecycleKind
from communities.models import (
    CommunityPage,
    CommunityStatus,
    Membership,
    MembershipState,
    Moderatorship,
)
from communities.ownership import community_owned_models


@dataclass
class ModelPreview:
    label: str
    name: str  # verbose_name_plural, in the active language
    per_community: dict  # community id -> rows (not retired)
    moving: int = 0
    staying: int = 0
    copied: int = 0
    duplicates: int = 0  # rows that will be retired into a survivor


@dataclass
class DuplicateGroup:
    """Rows that are the same thing (by the model's conflict key): `survivor`
    stays, `retired` are folded into it."""

    label: str
    name: str
    survivor: object
    retired: list


@dataclass
class Preview:
    models: list[ModelPreview] = field(default_factory=list)
    duplicates: list[DuplicateGroup] = field(default_factory=list)
    members_in_both: list = field(default_factory=list)  # users
    moderators: dict = field(default_factory=dict)  # community id / "new" -> [users]
    problems: list[str] = field(default_factory=list)  # translated; confirm is refused

    def duplicates_of(self, label: str) -> list[DuplicateGroup]:
        return [group for group in self.duplicates if group.label == label]


def _rows_per_community(model, ids) -> dict:
    rows = (
        model.objects.filter(community__in=ids, retired_into__isnull=True)
        .order_by()
        .values("community")
        .annotate(n=Count("pk"))
    )
    found = {row["community"]: row["n"] for row in rows}
    return {pk: found.get(pk, 0) for pk in ids}


def _current_moderators(ids, on) -> dict:
    result = {pk: [] for pk in ids}
    terms = (
        Moderatorship.objects.current(on)
        .filter(community__in=ids, retired_into__isnull=True)
        .select_related("user__profile")
        .order_by("user__pk")
    )
    for term in terms:
        result[term.community_id].append(term.user)
    return result


def merge_preview(
    *, sources, into: CommunityPage | None = None, on=None, extra_moderators=()
) -> Preview:
    """What a merge of `sources` into `into` (None: a new community) would do:
    rows moving per model, duplicates that fold (members in both, duplicate
    roles and terms, older targets), the moderators the result would have (the
    sources' current ones and `extra_moderators`, users), and the problems that
    stop it."""
    on = on or timezone.localdate()
    pages = {page.pk: page for page in sources}
    if into is not None:
        pages[into.pk] = into
    ids = sorted(pages)
    target_id = into.pk if into is not None else None
    preview = Preview()
    if len(ids) < 2:
        preview.problems.append(_("Choose at least two communities to merge."))
    for page in pages.values():
        if page.status != CommunityStatus.ACTIVE:
            preview.problems.append(
                _("“%(name)s” is an archive; only active communities can take part.")
                % {"name": page.title}
            )
    for model in community_owned_models():
        counts = _rows_per_community(model, ids)
        groups = engine.find_duplicates(model, ids, on)
        retired = sum(len(group[1]) for group in groups)
        moving = sum(n for pk, n in counts.items() if pk != target_id)
        preview.models.append(
            ModelPreview(
                label=engine.label(model),
                name=str(model._meta.verbose_name_plural),
                per_community=counts,
                moving=moving,
                duplicates=retired,
            )
        )
        if groups:
            pks = [row["pk"] for survivor, others in groups for row in (survivor, *others)]
            objects = model.objects.in_bulk(pks)
            for survivor, others in groups:
                preview.duplicates.append(
                    DuplicateGroup(
                        label=engine.label(model),
                        name=str(model._meta.verbose_name_plural),
                        survivor=objects[survivor["pk"]],
                        retired=[objects[row["pk"]] for row in others],
                    )
                )
    preview.members_in_both = [
        group.survivor.user
        for group in preview.duplicates
        if group.label == engine.label(Membership)
    ]
    moderators = _current_moderators(ids, on)
    preview.moderators = moderators
    united = {user.pk: user for users in moderators.values() for user in users}
    united.update({user.pk: user for user in extra_moderators})
    preview.moderators["result"] = sorted(united.values(), key=lambda user: user.pk)
    return preview


def split_preview(
    *,
    source: CommunityPage,
    thread_ids=(),
    todo_item_ids=(),
    member_user_ids=(),
    shared_member_user_ids=(),
    moderator_user_ids=(),
    on: datetime.date | None = None,
) -> Preview:
    """What splitting the chosen rows off `source` would do: per model what goes,
    stays and is copied; the moderators each side would have; the members who
    stay in both; and the problems that stop it."""
    on = on or timezone.localdate()
    choices = {
        "thread_ids": sorted(set(thread_ids)),
        "todo_item_ids": sorted(set(todo_item_ids)),
        "member_user_ids": sorted(set(member_user_ids)),
        "shared_member_user_ids": sorted(set(shared_member_user_ids)),
    }
    from communities.lifecycle.services import _split_rows

    preview = Preview()
    if source.status != CommunityStatus.ACTIVE:
        preview.problems.append(
            _("“%(name)s” is an archive; only active communities can take part.")
            % {"name": source.title}
        )
    if set(choices["member_user_ids"]) & set(choices["shared_member_user_ids"]):
        preview.problems.append(
            _("A person either moves to the new community or stays in both, not both at once.")
        )
    if not any(choices.values()):
        preview.problems.append(_("Choose what goes to the new community."))
    for model in community_owned_models():
        total = _rows_per_community(model, [source.pk])[source.pk]
        rows = _split_rows(model, source, choices, on)
        moving = rows.count() if rows is not None else 0
        policy = model.ownership
        copied = 0
        if policy.split_copy_choice and choices.get(policy.split_copy_choice):
            copied = (
                model.objects.filter(community=source, retired_into__isnull=True)
                .filter(policy.conflict_rows(on))
                .filter(**{f"{policy.split_choice_field}__in": choices[policy.split_copy_choice]})
                .count()
            )
        preview.models.append(
            ModelPreview(
                label=engine.label(model),
                name=str(model._meta.verbose_name_plural),
                per_community={source.pk: total},
                moving=moving,
                staying=total - moving,
                copied=copied,
            )
        )
    preview.members_in_both = [
        membership.user
        for membership in Membership.objects.filter(
            community=source,
            user_id__in=choices["shared_member_user_ids"],
            state__in=[MembershipState.ACTIVE, MembershipState.PENDING, MembershipState.NEEDS_INFO],
            retired_into__isnull=True,
        )
        .select_related("user__profile")
        .order_by("user__pk")
    ]
    current = _current_moderators([source.pk], on)[source.pk]
    moving_ids = set(choices["member_user_ids"])
    staying = [user for user in current if user.pk not in moving_ids]
    going = [user for user in current if user.pk in moving_ids]
    chosen = set(moderator_user_ids) - {user.pk for user in going}
    active_in_new = set(
        Membership.objects.filter(
            community=source,
            state=MembershipState.ACTIVE,
            user_id__in=[*choices["member_user_ids"], *choices["shared_member_user_ids"]],
            retired_into__isnull=True,
        ).values_list("user_id", flat=True)
    )
    if chosen - active_in_new:
        preview.problems.append(
            _("A moderator must be an active member of the community they moderate.")
        )
    from django.contrib.auth import get_user_model

    new_moderators = going + list(
        get_user_model().objects.filter(pk__in=chosen).select_related("profile").order_by("pk")
    )
    preview.moderators = {source.pk: staying, "new": new_moderators}
    if current and not staying:
        preview.problems.append(
            _("“%(name)s” would have no moderator. Choose at least one moderator for it.")
            % {"name": source.title}
        )
    if current and not new_moderators:
        preview.problems.append(_("Choose at least one moderator for the new community."))
    return preview


# --- lineage and history ----------------------------------------------------


@dataclass
class Lineage:
    former_names: list
    predecessors: list  # communities merged into this one
    successors: list  # communities this one was merged into
    split_from: list  # the community this one was split off
    split_off: list  # communities split off this one
    events: list  # every (not undone) event this community took part in, newest first

    @property
    def is_empty(self) -> bool:
        return not (
            self.former_names
            or self.predecessors
            or self.successors
            or self.split_from
            or self.split_off
        )


def _events_with_pages():
    return LifecycleEvent.objects.select_related("actor__profile").prefetch_related(
        Prefetch("sources", queryset=CommunityPage.objects.order_by("number", "pk")),
        Prefetch("results", queryset=CommunityPage.objects.order_by("number", "pk")),
    )


def community_lineage(page: CommunityPage) -> Lineage:
    """Former names, predecessors, successors and splits of one community, from
    the events that were not undone (a fixed number of queries)."""
    events = list(
        _events_with_pages()
        .filter(undone_by__isnull=True)
        .exclude(kind=LifecycleKind.UNDO)
        .filter(Q(sources=page) | Q(results=page))
        .distinct()
        .order_by("-at", "-pk")
    )
    lineage = Lineage(list(page.former_names.all()), [], [], [], [], events)
    for event in events:
        sources = [other for other in event.sources.all() if other.pk != page.pk]
        results = [other for other in event.results.all() if other.pk != page.pk]
        as_source = any(other.pk == page.pk for other in event.sources.all())
        as_result = any(other.pk == page.pk for other in event.results.all())
        if event.kind == LifecycleKind.MERGE:
            if as_result:
                lineage.predecessors += sources
            elif as_source:
                lineage.successors += results
        elif event.kind == LifecycleKind.SPLIT:
            if as_source:
                lineage.split_off += results
            elif as_result:
                lineage.split_from += sources
    return lineage


def lifecycle_history(community: CommunityPage | None = None):
    """Lifecycle events, newest first, with their pages and actor: the network's
    whole history, or that of one community (as source or result). A queryset,
    to be paginated."""
    events = _events_with_pages().select_related("undo_of").order_by("-at", "-pk")
    if community is not None:
        events = events.filter(Q(sources=community) | Q(results=community)).distinct()
    return events
