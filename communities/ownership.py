"""Community-owned content.

Everything that belongs to a community (memberships, moderatorships, role
assignments, targets, threads, to-do items, ...) inherits `CommunityOwned`.
The lifecycle (split, merge, dissolve) finds those models through
`community_owned_models()` and moves them in bulk; a new model joins the
lifecycle by inheriting the mixin, never by editing the lifecycle.
"""

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunityOwned(models.Model):
    # PROTECT: communities are archived (dissolved, merged), never deleted with
    # their content.
    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
        verbose_name=_("community"),
    )
    origin_community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("created in community"),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.origin_community_id is None:
            self.origin_community_id = self.community_id
        super().save(*args, **kwargs)


def community_owned_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, CommunityOwned) and not model._meta.abstract
    ]
