"""The set-based mechanics the lifecycle services are built of.

Every function here works on whole querysets: the number of SQL statements
depends on the number of community-owned models, never on the number of rows.
Provenance rows are written with INSERT ... SELECT from the rows themselves,
each with a JSON snapshot (`previous`) of exactly the fields the operation is
about to change, so undo can put them back.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BigIntegerField, Case, Count, F, IntegerField, Value, When
from django.db.models.functions import JSONObject
from django.utils import timezone

from communities.lifecycle.models import LifecycleEvent, Provenance, ProvenanceAction
from communities.models import CommunityPage
from communities.ownership import community_owned_models


@dataclass
class Context:
    """One operation in progress."""

    event: LifecycleEvent
    on: datetime.date
    # label -> rows added (copies, terms at birth)
    added: dict = field(default_factory=lambda: defaultdict(int))
    moved_models: set = field(default_factory=set)

    @property
    def actor_id(self):
        return self.event.actor_id


def label(model) -> str:
    return model._meta.label_lower


def lock_communities(ids) -> dict[int, CommunityPage]:
    """Lock the communities' rows in primary-key order (so two operations on
    overlapping communities cannot deadlock) and return them fresh."""
    pages = CommunityPage.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {page.pk: page for page in pages}


def lock_counted_children(ids) -> None:
    """Lock the rows whose children are counted (threads, for their posts; to-do
    items, for their comments): a reply being written waits for the operation,
    so the counts before and after see the same children. One query per model."""
    for model in community_owned_models():
        if model.ownership.children:
            list(
                model.objects.select_for_update()
                .filter(community__in=ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )


def count_rows(ids) -> dict:
    """{label: {community id (str): rows}} for every owned model and its counted
    children ("forum.thread.posts"), for the given communities; one query each."""
    ids = sorted(set(ids))
    result = {}
    for model in community_owned_models():
        measures = [(label(model), Count("pk"))]
        measures += [
            (f"{label(model)}.{child}", Count(child)) for child in model.ownership.children
        ]
        for key, measure in measures:
            rows = (
                model.objects.filter(community__in=ids)
                .order_by()
                .values("community")
                .annotate(n=measure)
            )
            found = {str(row["community"]): row["n"] for row in rows}
            result[key] = {str(pk): found.get(str(pk), 0) for pk in ids}
    return result


def _content_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def record(
    ctx: Context, model, queryset, action: str, *, to=None, related=None, previous=()
) -> None:
    """Write one Provenance row per row of `queryset`, in one statement.

    `to`: the receiving community's id (None: the row's own community);
    `related`: an expression for related_id; `previous`: the fields whose
    current values undo will need."""
    snapshot = {"community_id": F("community_id")}
    snapshot.update({name: F(name) for name in previous})
    select = queryset.order_by().values(
        p_event=Value(ctx.event.pk, output_field=BigIntegerField()),
        p_content_type=Value(_content_type_id(model), output_field=IntegerField()),
        p_object=F("pk"),
        p_action=Value(action),
        p_from=F("community_id"),
        p_to=F("community_id") if to is None else Value(to, output_field=BigIntegerField()),
        p_related=related if related is not None else Value(None, output_field=BigIntegerField()),
        p_previous=JSONObject(**snapshot),
        p_actor=Value(ctx.actor_id, output_field=BigIntegerField()),
        p_at=Value(ctx.event.at),
    )
    try:
        sql, params = select.query.sql_with_params()
    except EmptyResultSet:  # filtered on an empty list: nothing to record
        return
    table = connection.ops.quote_name(Provenance._meta.db_table)
    columns = (
        "event_id, content_type_id, object_id, action, from_community_id, "
        "to_community_id, related_id, previous, actor_id, at"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # nosec B608


def move(ctx: Context, model, queryset, to: int, index: int = 0) -> int:
    """Move the rows to community `to` (provenance first, then one UPDATE)."""
    record(ctx, model, queryset, ProvenanceAction.MOVED, to=to)
    moved = queryset.order_by().update(community_id=to, **model.ownership.move_values(index))
    if moved:
        ctx.moved_models.add(model)
    return moved


def _reconciled(rule, survivor_value, values):
    present = [value for value in values if value not in (None, "")]
    if rule == "min":
        return min(present) if present else survivor_value
    if rule == "max":
        return max(present) if present else survivor_value
    if rule == "max_or_open":
        return None if any(value is None for value in values) else max(values)
    if rule == "first_set":
        return survivor_value if survivor_value not in (None, "") else (present or [""])[0]
    if rule == "unite_text":
        texts = []
        for value in values:
            text = (value or "").strip()
            if text and text not in texts:
                texts.append(text)
        return "\n\n".join(texts)
    if isinstance(rule, tuple) and rule[0] == "rank":
        ranked = [value for value in rule[1] if value in values]
        return ranked[0] if ranked else survivor_value
    raise ValueError(f"unknown reconcile rule {rule!r}")


def find_duplicates(model, community_ids, on) -> list[tuple[dict, list[dict]]]:
    """Groups of rows of `community_ids` that are the same thing by the model's
    conflict key: [(survivor row, [retired rows])], one query."""
    policy = model.ownership
    if not policy.has_conflicts:
        return []
    names = {"pk", "community_id", *policy.conflict_key, *policy.reconcile}
    names |= {name.lstrip("-") for name in policy.survivor_order}
    rows = (
        model.objects.filter(community__in=community_ids, retired_into__isnull=True)
        .filter(policy.conflict_rows(on))
        .order_by()
        .values(*sorted(names))
    )
    groups = defaultdict(list)
    for row in rows:
        groups[tuple(row[name] for name in policy.conflict_key)].append(row)
    result = []
    for group in groups.values():
        if len(group) < 2:
            continue
        ordered = sort_rows(group, policy.survivor_order)
        result.append((ordered[0], ordered[1:]))
    result.sort(key=lambda pair: pair[0]["pk"])
    return result


def sort_rows(rows, order):
    """Rows sorted by Django-style order names ("-updated_at"), empty values last."""
    rows = list(rows)
    for name in reversed(order):
        key = name.lstrip("-")
        present = [row for row in rows if row[key] is not None]
        missing = [row for row in rows if row[key] is None]
        present.sort(key=lambda row, key=key: row[key], reverse=name.startswith("-"))
        rows = present + missing
    return rows


def fold(ctx: Context, model, community_ids, target_id: int) -> None:
    """Retire the duplicates that would meet in `target_id` into their survivor,
    and let the survivor absorb what they held (dates, answers, topics)."""
    policy = model.ownership
    groups = find_duplicates(model, community_ids, ctx.on)
    if not groups:
        return
    into = {row["pk"]: survivor["pk"] for survivor, retired in groups for row in retired}
    # The survivors' new values, computed from the whole group.
    changes = {}
    for survivor, retired in groups:
        group = [survivor, *retired]
        changed = {}
        for name, rule in policy.reconcile.items():
            value = _reconciled(rule, survivor[name], [row[name] for row in group])
            if value != survivor[name]:
                changed[name] = value
        if changed:
            changes[survivor["pk"]] = changed

    retire_values = policy.retire_values(ctx.on)
    retired_rows = model.objects.filter(pk__in=list(into))
    pointer = Case(
        *[When(pk=pk, then=Value(survivor)) for pk, survivor in into.items()],
        output_field=BigIntegerField(),
    )
    record(
        ctx,
        model,
        retired_rows,
        ProvenanceAction.RETIRED,
        to=target_id,
        related=pointer,
        previous=("retired_into_id", *retire_values),
    )
    retired_rows.update(retired_into_id=pointer, **retire_values)

    if changes:
        fields = sorted({name for changed in changes.values() for name in changed})
        survivors = model.objects.filter(pk__in=list(changes))
        record(ctx, model, survivors, ProvenanceAction.RECONCILED, to=target_id, previous=fields)
        survivors.update(
            **_per_row(model, {pk: changed for pk, changed in changes.items()}, fields)
        )

    added = _unite_m2m(model, groups)
    if added:
        ctx.event.details.setdefault("m2m_added", {})[label(model)] = added


def _per_row(model, values_by_pk: dict, fields) -> dict:
    """update() keyword arguments giving each row its own value (CASE WHEN pk ...)."""
    updates = {}
    for name in fields:
        model_field = model._meta.get_field(name)
        whens = [
            When(pk=pk, then=Value(values[name], output_field=model_field))
            for pk, values in values_by_pk.items()
            if name in values
        ]
        if whens:
            updates[name] = Case(*whens, default=F(name), output_field=model_field)
    return updates


def _unite_m2m(model, groups) -> dict:
    """Give each survivor the many-to-many values of its duplicates; returns the
    (survivor, value) pairs added, per field, for undo."""
    added = {}
    pks = [row["pk"] for survivor, retired in groups for row in (survivor, *retired)]
    for name in model.ownership.unite_m2m:
        m2m = model._meta.get_field(name)
        through = m2m.remote_field.through
        own, other = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        held = defaultdict(set)
        for owner, value in through.objects.filter(**{f"{own}__in": pks}).values_list(own, other):
            held[owner].add(value)
        new = []
        for survivor, retired in groups:
            missing = set().union(*(held[row["pk"]] for row in retired)) - held[survivor["pk"]]
            new += [(survivor["pk"], value) for value in sorted(missing)]
        if new:
            through.objects.bulk_create([through(**{own: s, other: v}) for s, v in new])
            added[name] = new
    return added


def snapshot_fields(ids) -> dict:
    """Prior values of the fields an operation may change on rows it does not move
    (to-do positions): {label: {pk: [values]}}, one query per model that has any."""
    result = {}
    for model in community_owned_models():
        names = model.ownership.restore_fields
        if not names:
            continue
        rows = model.objects.filter(community__in=ids).order_by().values_list("pk", *names)
        result[label(model)] = {str(pk): list(values) for pk, *values in rows}
    return result


def restore_snapshot(snapshot: dict) -> None:
    for model in community_owned_models():
        saved = snapshot.get(label(model))
        names = model.ownership.restore_fields
        if not saved or not names:
            continue
        values = {int(pk): dict(zip(names, row, strict=True)) for pk, row in saved.items()}
        model.objects.filter(pk__in=list(values)).update(**_per_row(model, values, names))


def python_value(model, name: str, raw):
    """A value from a JSON snapshot back into what the field holds."""
    model_field = model._meta.get_field(name)
    if raw is None:
        return None
    value = model_field.to_python(raw)
    if isinstance(value, datetime.datetime) and value.tzinfo is None and settings.USE_TZ:
        value = timezone.make_aware(value, datetime.UTC)
    return value
