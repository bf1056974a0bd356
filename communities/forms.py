from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from communities.models import (
    HAAL_OR_BRENG_REQUIRED,
    MembershipState,
    Priority,
    Role,
    Topic,
    has_haal_or_breng,
)
from cop_platform.forms import DateInput
from members.models import Organisation

TEXT_LIMIT = 2000


class CommunitySearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=200)
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=[("", _("All priorities")), *Priority.choices],
    )
    tag = forms.SlugField(label=_("Theme"), required=False, max_length=100)
    archives = forms.BooleanField(
        label=_("Also archived communities (merged or dissolved)"), required=False
    )


class TopicChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=Topic.objects.order_by("name"), required=False, **kwargs)


class IntakeForm(forms.Form):
    """The haal/breng intake. Texts are stored as plain text (cleaned in the service)."""

    haal = forms.CharField(
        label=_("What do you want to get from this community?"),
        help_text=_(
            "Knowledge, contacts, examples, help with a project: what are you looking for?"
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_LIMIT,
        required=False,
    )
    haal_topics = TopicChoiceField(label=_("Topics you are looking for"))
    breng = forms.CharField(
        label=_("What can you bring?"),
        help_text=_("Experience, materials, time, a network: what can others get from you?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_LIMIT,
        required=False,
    )
    breng_topics = TopicChoiceField(label=_("Topics you can help with"))
    organisation = forms.ModelChoiceField(
        label=_("Your organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("(no organisation)"),
    )
    self_role = forms.ChoiceField(
        label=_("Which role do you see for yourself? (optional)"),
        choices=[("", _("I don't know yet")), *Role.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    def clean(self):
        # The agenda: what you want to get "en/of" what you can bring. The service
        # refuses both empty too; here the message sits next to the first field.
        cleaned = super().clean()
        if (
            "haal" in cleaned
            and "breng" in cleaned
            and not has_haal_or_breng(cleaned["haal"], cleaned["breng"])
        ):
            self.add_error("haal", HAAL_OR_BRENG_REQUIRED)
        return cleaned


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_LIMIT
    )
    haal = forms.CharField(
        label=_("What do you want to get? (you may sharpen your answer)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LIMIT,
        required=False,
    )
    breng = forms.CharField(
        label=_("What can you bring? (you may sharpen your answer)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LIMIT,
        required=False,
    )


class DecisionForm(forms.Form):
    """One form for the moderator's decisions; `message` is required for all but accept."""

    ACCEPT, DECLINE, ASK = "accept", "decline", "ask"
    # Chosen with the form's buttons; the label names it in the error summary.
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline")), (ASK, _("Ask a question"))],
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        help_text=_(
            "When you accept: a word of welcome (optional). When you decline: the reason. "
            "When you ask a question: your question. The applicant reads it on the site "
            "and by e-mail."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") in (self.DECLINE, self.ASK)
            and not (cleaned.get("message") or "").strip()
        ):
            self.add_error(
                "message",
                _("Please give a reason.")
                if cleaned["decision"] == self.DECLINE
                else _("Please write down your question."),
            )
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the member sees this)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
    )


class ActiveMemberChoiceField(forms.ModelChoiceField):
    def __init__(self, community, **kwargs):
        User = get_user_model()
        queryset = (
            User.objects.filter(
                memberships__community=community, memberships__state=MembershipState.ACTIVE
            )
            .select_related("profile")
            .order_by("profile__display_name", "email")
        )
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, user):
        return user.display_name


class AppointForm(forms.Form):
    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = ActiveMemberChoiceField(community, label=_("Member"))
        self.order_fields(["user", "start_date", "end_date"])

    start_date = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end_date = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("The first day the person no longer moderates. Leave empty for an open term."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The end must come after the start."))
        return cleaned


class HandOverForm(forms.Form):
    def __init__(self, *args, community, actor, **kwargs):
        super().__init__(*args, **kwargs)
        field = ActiveMemberChoiceField(community, label=_("Your successor"))
        field.queryset = field.queryset.exclude(pk=actor.pk)
        self.fields["successor"] = field


class ContactModeratorsForm(forms.Form):
    """A question to the moderators (plain text; cleaned in the service)."""

    subject = forms.CharField(label=_("Subject"), max_length=150)
    message = forms.CharField(
        label=_("Your question or message"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text. At most 3000 characters."),
    )
