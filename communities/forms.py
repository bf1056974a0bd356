from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Priority


class CommunitySearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=200)
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=[("", _("All priorities")), *Priority.choices],
    )
    tag = forms.SlugField(label=_("Theme"), required=False, max_length=100)
