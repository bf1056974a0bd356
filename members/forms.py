from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from members.models import Organisation


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
