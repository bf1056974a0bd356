"""The coordinator's forms for merge, split, dissolve and rename.

Each form is filled in, previewed and confirmed on the same page: the preview
re-posts the same fields (hidden) with step=confirm, so nothing is stored
between the steps and everything works without JavaScript.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import CommunityPage, CommunityStatus

TEXT_LIMIT = 2000


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.title}"


class CommunitiesChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.title}"


def _active_communities():
    return (
        CommunityPage.objects.live()
        .filter(status=CommunityStatus.ACTIVE)
        .order_by("number", "title")
    )


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Reason"),
            help_text=_("Shown on the pages and in the e-mail to the members."),
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=TEXT_LIMIT,
            **kwargs,
        )


class MergeForm(forms.Form):
    sources = CommunitiesChoiceField(
        label=_("Communities to merge"),
        queryset=_active_communities(),
        help_text=_("Choose two or more."),
    )
    into = CommunityChoiceField(
        label=_("Merge into"),
        queryset=_active_communities(),
        required=False,
        empty_label=_("A new community"),
        help_text=_(
            "One of the chosen communities carries on with everything; or a new "
            "community is made and all chosen ones become archives."
        ),
    )
    title = forms.CharField(
        label=_("Name of the new community"),
        required=False,
        max_length=255,
        help_text=_("Only for a new community."),
    )
    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Querysets evaluated per form, not once at import.
        self.fields["sources"].queryset = _active_communities()
        self.fields["into"].queryset = _active_communities()

    def clean(self):
        data = super().clean()
        sources = list(data.get("sources") or [])
        into = data.get("into")
        if into is None and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the new community a name."))
        if into is not None and data.get("title"):
            self.add_error(
                "title", _("A name is only for a new community; rename the result afterwards.")
            )
        if len({c.pk for c in sources} | ({into.pk} if into else set())) < 2:
            self.add_error("sources", _("Choose at least two communities."))
        return data


class SplitForm(forms.Form):
    """Everything is chosen from the source community; members get one choice each."""

    STAY, MOVE, BOTH = "stay", "move", "both"
    MEMBER_CHOICES = [
        (STAY, _("stays")),
        (MOVE, _("moves")),
        (BOTH, _("in both")),
    ]

    title = forms.CharField(label=_("Name of the new community"), max_length=255)
    reason = ReasonField()

    def __init__(self, *args, threads, todo_items, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threads"] = forms.TypedMultipleChoiceField(
            label=_("Forum threads that go"),
            choices=[(t.pk, t.title) for t in threads],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["todo_items"] = forms.TypedMultipleChoiceField(
            label=_("To-do items that go"),
            choices=[(i.pk, i.title) for i in todo_items],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.members = members
        for user in members:
            self.fields[f"member_{user.pk}"] = forms.ChoiceField(
                label=user.display_name,
                choices=self.MEMBER_CHOICES,
                initial=self.STAY,
                widget=forms.RadioSelect,
            )
        self.fields["moderators"] = forms.TypedMultipleChoiceField(
            label=_("Moderators of the new community"),
            help_text=_(
                "Moderators who move go along; you may add members who move or stay in both."
            ),
            choices=[(u.pk, u.display_name) for u in members],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def member_fields(self):
        return [self[f"member_{user.pk}"] for user in self.members]

    def member_ids(self, choice: str) -> list[int]:
        return [
            user.pk for user in self.members if self.cleaned_data.get(f"member_{user.pk}") == choice
        ]

    def choices(self) -> dict:
        """The service's keyword arguments for what goes."""
        return {
            "thread_ids": self.cleaned_data.get("threads") or [],
            "todo_item_ids": self.cleaned_data.get("todo_items") or [],
            "member_user_ids": self.member_ids(self.MOVE),
            "shared_member_user_ids": self.member_ids(self.BOTH),
            "moderator_user_ids": self.cleaned_data.get("moderators") or [],
        }


class DissolveForm(forms.Form):
    reason = ReasonField()


class RenameForm(forms.Form):
    title = forms.CharField(label=_("New name"), max_length=255)
    reason = ReasonField()
