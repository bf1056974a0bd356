"""Community-owned content: the contract between feature models and the lifecycle.

Everything that belongs to a community (memberships, moderatorships, role
assignments, targets, threads, to-do items, proposals, ...) inherits
`CommunityOwned` and declares an `ownership = OwnershipPolicy(...)` on the
model. The lifecycle (communities.lifecycle) reads only these policies: it
imports no feature app, and a new model joins every operation by declaring its
policy. A system check (`communities.E001`) fails for any model with a foreign
key to CommunityPage that declares none.

What a policy says:

- duplicates: `conflict_key` (fields) among the rows selected by
  `conflict_rows(today)` identify the same thing in two communities (an open
  membership per person, a not-ended moderator term per person, ...). When
  rows meet in one community the first by `survivor_order` stays; the others
  are *retired*: `retired_into` points at the survivor, `retire_values(on)`
  is applied (e.g. state "merged", an end date), and they stay where they were
  (in the archive), never deleted, so undo can bring them back;
- reconciliation: `reconcile` maps a field of the survivor to how it absorbs
  the duplicates ("min", "max", "max_or_open" for end dates, "unite_text",
  or ("rank", [values best first])); `unite_m2m` names many-to-many fields
  whose values are united;
- dissolving: `ended_rows(on)` selects the rows that end when a community is
  dissolved and `end_values(on)` what they get (memberships end, terms and
  roles stop on the date);
- split: `split_choice` names the lifecycle parameter whose ids (compared
  with `split_choice_field`) pick the rows that go; `split_follows_person`
  names the user field of rows that go along with a member who moves;
  `split_follows` names a foreign key to another owned model whose chosen
  rows these follow (a proposal follows its item); otherwise rows stay;
- `split_copy_choice`: the parameter whose ids pick rows that are copied
  (the original stays): members who stay in both communities;
- `move_values(index)`: extra values set on rows moved from the index-th
  source (to-do items keep their sources' order after the receiver's);
  `restore_fields`: fields the operation may change on rows it does not move
  (positions), whose prior values are kept for undo;
- `children`: reverse relations counted with the row (a thread's posts), so
  "nothing new was added" can be checked before an undo;
- after a move: `after_move(community_ids)` runs inside the transaction and
  must be set-based (to-do positions renumbered in one statement);
  `on_commit(moves)` runs after commit (search index, live sockets), with
  `moves` a list of (object id, from community id, to community id);
- after a dissolve: `on_dissolve(community_id)` runs after commit (live
  sockets told that the community is now an archive).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core import checks
from django.db import models
from django.utils.translation import gettext_lazy as _


def _no_rows(today):
    return models.Q(pk__in=[])


def _nothing(*args, **kwargs):
    return None


@dataclass(frozen=True)
class OwnershipPolicy:
    conflict_key: tuple[str, ...] = ()
    conflict_rows: Callable = _no_rows
    survivor_order: tuple[str, ...] = ("pk",)
    reconcile: dict = field(default_factory=dict)
    unite_m2m: tuple[str, ...] = ()
    retire_values: Callable = lambda on: {}  # noqa: E731
    ended_rows: Callable = _no_rows
    end_values: Callable = lambda on: {}  # noqa: E731
    split_choice: str | None = None
    split_choice_field: str = "pk"
    split_copy_choice: str | None = None
    split_follows_person: str | None = None
    split_follows: str | None = None
    children: tuple[str, ...] = ()
    move_values: Callable = lambda index: {}  # noqa: E731
    restore_fields: tuple[str, ...] = ()
    after_move: Callable = _nothing
    on_commit: Callable = _nothing
    on_dissolve: Callable = _nothing

    @property
    def has_conflicts(self) -> bool:
        return bool(self.conflict_key)


class CommunityOwned(models.Model):
    # PROTECT: communities are archived (dissolved, merged), never deleted with
    # their content.
    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
        verbose_name=_("community"),
    )
    # Set when a lifecycle operation folded this row into a duplicate in the
    # receiving community: the row stays (in the archive) and undo restores it.
    retired_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("folded into"),
    )

    ownership: OwnershipPolicy | None = None

    class Meta:
        abstract = True


def community_owned_models() -> list[type[models.Model]]:
    """Every concrete community-owned model, in a stable order (app label, name)."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, CommunityOwned) and not model._meta.abstract
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def policy_of(model) -> OwnershipPolicy:
    return model.ownership


@checks.register(checks.Tags.models)
def check_ownership_policies(app_configs=None, **kwargs):
    """Every model with a foreign key to CommunityPage declares how it is owned:
    a CommunityOwned model with an OwnershipPolicy, or `lifecycle_exempt = "why"`
    for links that are not ownership (lineage, provenance, page children)."""
    return ownership_errors(apps.get_models())


def _is_page(field, page_model) -> bool:
    target = field.related_model
    if isinstance(target, str):  # not resolved (yet): compare by label
        return target.lower() == page_model._meta.label_lower
    return isinstance(target, type) and issubclass(target, page_model)


def ownership_errors(models_to_check) -> list[checks.Error]:
    """The E001 errors for the given models (the check, testable on any models)."""
    page_model = apps.get_model("communities", "CommunityPage")
    errors = []
    for model in models_to_check:
        if model._meta.app_label in ("wagtailcore",) or model is page_model:
            continue
        links = [
            f
            for f in model._meta.get_fields()
            if f.is_relation and not f.auto_created and f.concrete and _is_page(f, page_model)
        ]
        if not links:
            continue
        if getattr(model, "lifecycle_exempt", ""):
            continue
        policy = getattr(model, "ownership", None)
        if not issubclass(model, CommunityOwned) or not isinstance(policy, OwnershipPolicy):
            errors.append(
                checks.Error(
                    f"{model._meta.label} has a foreign key to CommunityPage but declares "
                    "no ownership policy.",
                    hint="Inherit communities.ownership.CommunityOwned and set "
                    "`ownership = OwnershipPolicy(...)`, or set `lifecycle_exempt` to the reason "
                    "the link is not ownership.",
                    obj=model,
                    id="communities.E001",
                )
            )
    return errors


# --- shared rules for dated rows (start_date <= day < end_date) ---------------


def not_ended(on):
    """Rows still running on `on` or later (open-ended, or ending after it)."""
    return models.Q(end_date__isnull=True) | models.Q(end_date__gt=on)


def end_on(on) -> dict:
    """End on `on`; a row that had not started by then ends before it begins."""
    from django.db.models.functions import Greatest

    return {"end_date": Greatest(models.Value(on), models.F("start_date"))}
