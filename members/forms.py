from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cop_platform.forms import DateInput
from members.activity import ActivityKind
from members.models import FollowEmailMode, Organisation, OrganisationKind, Province, Role
from members.selftest import SCALE, SCALE_LABELS


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name as others see it"), max_length=120)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("(no organisation)"),
        help_text=_("Is your organisation missing? Ask a network coordinator to add it."),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    bio = forms.CharField(
        label=_("About me"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text; web addresses become links."),
    )
    language = forms.ChoiceField(label=_("Language for e-mail"), choices=settings.LANGUAGES)


class NotificationPreferencesForm(forms.Form):
    """Which forum e-mails a member gets."""

    mention_email = forms.BooleanField(
        label=_("E-mail me when someone mentions me in a forum"), required=False
    )
    follow_email_mode = forms.ChoiceField(
        label=_("New posts in threads I follow"),
        choices=FollowEmailMode.choices,
        widget=forms.RadioSelect,
        help_text=_("You follow the threads you start or reply to, and any you choose to follow."),
    )


# --- managers, roles, targets, self-test, agreements --------------------------

HOURS_FIELD = dict(
    label=_("Hours per week the organisation makes available"),
    min_value=Decimal("0"),
    max_value=Decimal("40"),
    decimal_places=1,
    initial=Decimal("0"),
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class RoleAssignForm(forms.Form):
    user = PersonChoiceField(label=_("Person"), queryset=get_user_model().objects.none())
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)
    hours_per_week = forms.DecimalField(**HOURS_FIELD)
    contribution = forms.CharField(
        label=_("Contribution"),
        max_length=300,
        required=False,
        help_text=_("In one sentence: what this person contributes in this role."),
    )

    def __init__(self, *args, people, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["community"].queryset = communities


class TargetForm(forms.Form):
    """Lesson 4: what the community should bring the organisation, in numbers that
    say what they count (see members.coverage for how progress is measured)."""

    target_members = forms.IntegerField(
        label=_("Members the community reaches"),
        min_value=0,
        max_value=9999,
        help_text=_(
            "All active members of the community, from every organisation: how far the "
            "community your people work in reaches. Not the number of your own colleagues "
            "in it (more than three is rarely needed)."
        ),
    )
    target_activities = forms.IntegerField(
        label=_("Activities your organisation contributes"),
        min_value=0,
        max_value=999,
        help_text=_("Counted from what your organisation's members started in the community."),
    )
    # Not required: left out, a target counts every kind (as targets set before
    # there was a choice do).
    activity_kind = forms.ChoiceField(
        label=_("Which activities count"),
        choices=ActivityKind.choices,
        initial=ActivityKind.ALL,
        required=False,
        widget=forms.RadioSelect,
    )
    deadline = forms.DateField(label=_("By"), widget=DateInput())

    def clean_activity_kind(self):
        return self.cleaned_data["activity_kind"] or ActivityKind.ALL


class ManagerAppointForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the manager"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody with this e-mail address has an account."))
        self.cleaned_data["user"] = user
        return email


class NetworkFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", _("All kinds"))] + list(OrganisationKind.choices),
        required=False,
    )
    province = forms.ChoiceField(
        label=_("Province"),
        choices=[("", _("All provinces"))] + list(Province.choices),
        required=False,
    )


class SelfTestForm(forms.Form):
    """One required 1-5 choice per statement, in the person's reproducible order."""

    def __init__(self, *args, statements, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(value, SCALE_LABELS[value]) for value in SCALE]
        for number, (sid, _role, text) in enumerate(statements, start=1):
            self.fields[sid] = forms.TypedChoiceField(
                label=f"{number}. {text}",
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose an answer to this statement.")},
            )

    def answers(self) -> dict[str, int]:
        return dict(self.cleaned_data)


class AgreementForm(forms.Form):
    user = PersonChoiceField(label=_("Member"), queryset=get_user_model().objects.none())
    conversation_date = forms.DateField(label=_("Date of the conversation"), widget=DateInput())
    contribution = forms.CharField(
        label=_("What the member will contribute in the coming period"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hours_per_week = forms.DecimalField(**HOURS_FIELD)
    training = forms.CharField(
        label=_("Training"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    other_support = forms.CharField(
        label=_("Other support"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    review_date = forms.DateField(label=_("Review date"), widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people

    def clean(self):
        cleaned = super().clean()
        start, review = cleaned.get("conversation_date"), cleaned.get("review_date")
        if start and review and review < start:
            self.add_error("review_date", _("The review date cannot be before the conversation."))
        return cleaned


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account and personal data will be erased and that "
            "this cannot be undone."
        ),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class RoleChangeForm(forms.Form):
    hours_per_week = forms.DecimalField(**HOURS_FIELD)
    contribution = RoleAssignForm.base_fields["contribution"]


class ReischequeSettingsForm(forms.Form):
    travel_goal = forms.CharField(
        label=_("Travel goal"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Where does your organisation want to go by working in communities? "
            "It is printed on every reischeque."
        ),
    )
    questions = forms.CharField(
        label=_("Questions for the development conversation"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text=_(
            "One question a line. Leave empty to use the platform's default questions again."
        ),
    )
