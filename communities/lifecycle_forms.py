"""The coordinator's forms for merge, split, dissolve and rename.

Each form is filled in, previewed and confirmed on the same page: the preview
re-posts the same fields (hidden) with step=confirm, so nothing is stored
between the steps and everything works without JavaScript.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import CommunityPage, CommunityStatus, Membership, MembershipState
from cop_platform.forms import DateInput

TEXT_LIMIT = 2000


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.title}"


class CommunitiesChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.title}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


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
    extra_moderator = PersonChoiceField(
        label=_("Extra moderator of the result (optional)"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody extra"),
        help_text=_(
            "The moderators of the merged communities go along. You may name one more: "
            "an active member of one of the chosen communities."
        ),
    )
    extra_moderator_until = forms.DateField(
        label=_("Their term ends on (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The term starts on the day of the merge; this is the first day they no longer "
            "moderate. Leave empty for an open term."
        ),
    )
    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Querysets evaluated per form, not once at import.
        self.fields["sources"].queryset = _active_communities()
        self.fields["into"].queryset = _active_communities()
        self.fields["extra_moderator"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__community__in=_active_communities(),
                memberships__state=MembershipState.ACTIVE,
                memberships__retired_into__isnull=True,
            )
            .distinct()
            .select_related("profile")
            .order_by("profile__display_name", "pk")
        )

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
        chosen = {c.pk for c in sources} | ({into.pk} if into else set())
        if len(chosen) < 2:
            self.add_error("sources", _("Choose at least two communities."))
        extra, until = data.get("extra_moderator"), data.get("extra_moderator_until")
        if until and extra is None:
            self.add_error("extra_moderator_until", _("Choose the extra moderator first."))
        if until and until <= timezone.localdate():
            self.add_error("extra_moderator_until", _("The end must come after the start."))
        if (
            extra is not None
            and not Membership.objects.filter(
                user=extra,
                community__in=chosen,
                state=MembershipState.ACTIVE,
                retired_into__isnull=True,
            ).exists()
        ):
            self.add_error(
                "extra_moderator",
                _("%(name)s is not an active member of one of the chosen communities.")
                % {"name": extra.display_name},
            )
        return data

    def extra_moderator_ids(self) -> list[int]:
        extra = self.cleaned_data.get("extra_moderator")
        return [extra.pk] if extra is not None else []


class IdsField(forms.TypedMultipleChoiceField):
    """Ids chosen from a long, paginated list: any of `allowed` (a set of ids, so
    no labels are loaded for rows that are not shown)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, allowed, **kwargs):
        super().__init__(coerce=int, required=False, choices=(), **kwargs)
        self.allowed = set(allowed)

    def valid_value(self, value):
        return str(value).isdigit() and int(value) in self.allowed


class SplitForm(forms.Form):
    """What goes to the new community, chosen on paginated lists of the source's
    threads, to-do items and members (see `SplitSelection` for how choices made
    on other pages are carried along). Each member stays (the default, not
    sent), moves or is in both: a radio group `member_<user id>`."""

    STAY, MOVE, BOTH = "stay", "move", "both"
    MEMBER_CHOICES = [
        (STAY, _("stays")),
        (MOVE, _("moves")),
        (BOTH, _("in both")),
    ]

    title = forms.CharField(label=_("Name of the new community"), max_length=255)
    reason = ReasonField()

    def __init__(self, *args, thread_ids, todo_item_ids, member_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.member_ids = set(member_ids)
        self.fields["threads"] = IdsField(label=_("Forum threads that go"), allowed=thread_ids)
        self.fields["todo_items"] = IdsField(label=_("To-do items that go"), allowed=todo_item_ids)
        self.fields["moderators"] = IdsField(
            label=_("Moderators of the new community"), allowed=member_ids
        )

    def clean(self):
        data = super().clean()
        choices = {}
        for key, value in self.data.items():
            if not key.startswith("member_"):
                continue
            user_id = key.removeprefix("member_")
            if (
                not user_id.isdigit()
                or int(user_id) not in self.member_ids
                or value not in dict(self.MEMBER_CHOICES)
            ):
                raise forms.ValidationError(_("Choose for each member: stays, moves or in both."))
            if value != self.STAY:
                choices[int(user_id)] = value
        data["member_choices"] = choices
        return data

    def choices(self) -> dict:
        """The service's keyword arguments for what goes."""
        members = self.cleaned_data["member_choices"]
        return {
            "thread_ids": self.cleaned_data.get("threads") or [],
            "todo_item_ids": self.cleaned_data.get("todo_items") or [],
            "member_user_ids": sorted(pk for pk, c in members.items() if c == self.MOVE),
            "shared_member_user_ids": sorted(pk for pk, c in members.items() if c == self.BOTH),
            "moderator_user_ids": self.cleaned_data.get("moderators") or [],
        }


class SplitSelection:
    """The split form's choices as posted, read leniently (unknown ids dropped):
    what is ticked on the page shown, and what was ticked on other pages, which
    the page carries as hidden fields. Moving between pages is a POST (buttons
    named `goto`, value "list:page"), so nothing is lost and no JavaScript is
    needed."""

    LISTS = ("threads", "todo_items", "members")

    def __init__(self, data, form: SplitForm):
        data = data if data is not None else QueryDict()
        self.ids = {
            name: {int(v) for v in data.getlist(name) if form.fields[name].valid_value(v)}
            for name in ("threads", "todo_items", "moderators")
        }
        self.members = {}
        for key, value in data.items():
            user_id = key.removeprefix("member_")
            if (
                key.startswith("member_")
                and user_id.isdigit()
                and int(user_id) in form.member_ids
                and value in (SplitForm.MOVE, SplitForm.BOTH)
            ):
                self.members[int(user_id)] = value
        self.pages = {name: _page_number(data.get(f"{name}_page")) for name in self.LISTS}
        goto = str(data.get("goto") or "")
        name, _sep, number = goto.partition(":")
        if name in self.LISTS:
            self.pages[name] = _page_number(number)


def _page_number(value) -> int:
    return int(value) if str(value or "").isdigit() and int(value) > 0 else 1


class DissolveForm(forms.Form):
    reason = ReasonField()


class RenameForm(forms.Form):
    title = forms.CharField(label=_("New name"), max_length=255)
    reason = ReasonField()
