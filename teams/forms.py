from django import forms
from django.utils.translation import gettext_lazy as _

from cop_platform.forms import DateInput
from teams.models import KOFFER_POINTS


class WhyForm(forms.Form):
    why = forms.CharField(
        label=_("Why does our organisation work in communities?"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Explain it to your team in your own words: what the communities bring "
            "your library and its people. Plain text; web addresses become links."
        ),
    )
    strategy_url = forms.URLField(
        label=_("Link to our strategy"),
        required=False,
        assume_scheme="https",
        help_text=_("The policy plan or strategy this choice comes from, e.g. https://…"),
    )


class CategoriesForm(forms.Form):
    names = forms.CharField(
        label=_("Categories, one per line"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Between 3 and 12 soft skills your team needs to work in networks."),
    )

    def cleaned_names(self) -> list[str]:
        return [line for line in self.cleaned_data["names"].splitlines() if line.strip()]


class RoundForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the session"), widget=DateInput())


def _points_field(label: str, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=KOFFER_POINTS, required=required)


class PointsForm(forms.Form):
    """One number per category of the round (field name = category id). The rules
    across the fields (total, no equal scores) are the service's."""

    def __init__(self, *args, categories, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.category_fields = []
        for category in categories:
            name = f"c{category.pk}"
            self.fields[name] = _points_field(category.name, required=required)
            self.category_fields.append((category.pk, name))

    def points(self) -> dict[int, int | None]:
        return {pk: self.cleaned_data.get(name) for pk, name in self.category_fields}


class ActionForm(forms.Form):
    small_step = forms.CharField(
        label=_("Small step"),
        max_length=300,
        help_text=_("Something the team can do next week."),
    )
    large_step = forms.CharField(
        label=_("Large step"),
        max_length=300,
        help_text=_("Where the team wants to be by the next session."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=None, required=False, empty_label=_("(all categories)")
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
