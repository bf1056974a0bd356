from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Priority
from cop_platform.forms import DateInput
from todo_lists.models import CommentKind, Phase, Status

TEXT_LIMIT = 5000


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class TodoItemForm(forms.Form):
    """Add or edit an item. The owner is chosen from the community's active members."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        help_text=_("What is it, for whom, and how can others help? Markdown is allowed."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_LIMIT,
        required=False,
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    owner = OwnerField(
        label=_("Owner"),
        queryset=None,
        required=False,
        empty_label=_("(nobody yet)"),
        help_text=_("A member of this community who keeps this item moving."),
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class MoveForm(forms.Form):
    """Either a direction (the buttons) or a position (the number field)."""

    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[
            ("first", _("To the top")),
            ("up", _("Up")),
            ("down", _("Down")),
            ("last", _("To the bottom")),
        ],
        required=False,
    )
    position = forms.IntegerField(label=_("Position"), min_value=1, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("direction") and not data.get("position"):
            raise forms.ValidationError(_("Choose where to move the item."))
        return data


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How is it closed?"),
        choices=[(Status.DONE, _("Done: it is finished")), (Status.DROPPED, _("Dropped: we stop"))],
        widget=forms.RadioSelect,
        initial=Status.DONE,
    )


class CommentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to add?"),
        choices=CommentKind.choices,
        widget=forms.RadioSelect,
        initial=CommentKind.COMMENT,
    )
    body = forms.CharField(
        label=_("Your comment or need"),
        help_text=_("Plain text. Everyone can read it."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("What should the community work on?"), max_length=200)
    description = forms.CharField(
        label=_("Why, and what could you contribute?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_LIMIT,
        required=False,
    )


class ProposalDecisionForm(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"

    # Chosen with the form's buttons; the label names it in the error summary.
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline"))]
    )
    phase = forms.ChoiceField(
        label=_("Phase"), choices=Phase.choices, initial=Phase.IDEA, required=False
    )
    reason = forms.CharField(
        label=_("Reason (required when you decline)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the proposer a reason."))
        return data


class ListFilterForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("All phases")), *Phase.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices]
    )


class OverviewFilterForm(ListFilterForm):
    community = forms.TypedChoiceField(
        label=_("Community"), required=False, coerce=int, empty_value=None
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("All priorities")), *Priority.choices]
    )
    tag = forms.ChoiceField(label=_("Theme"), required=False)

    field_order = ["community", "priority", "tag", "phase", "status"]

    def __init__(self, *args, communities, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", _("All communities"))] + [
            (community.pk, f"{community.number} {community.title}") for community in communities
        ]
        self.fields["tag"].choices = [("", _("All themes"))] + [
            (tag.slug, tag.name) for tag in tags
        ]
