"""Every form of the site, held to what its users need (issue 13, findings 3 and 7).

The forms are discovered, not listed: every Form subclass defined in the
project's own apps. A new form is held to these rules the day it is written.

- Every field has a label that goes through translation: a field without one
  gets Django's English name for it ("Decision:" on a Dutch page).
- Every date field uses the site's ISO date widget and every number field is
  unlocalized: `<input type="date">` and `<input type="number">` only read
  2027-05-30 and 2.5, whatever the page's language. Rendered in Dutch and in
  English, each such input must carry a value the browser reads.
- `{{ form }}` shows an error summary that lists every error (never an empty
  heading), links each field error to its field, and shows form-wide errors
  once.
"""

import datetime
import importlib
import pkgutil
import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from cop_platform.forms import DateInput
from members.forms import TargetForm
from todo_lists.forms import MoveForm

BASE_DIR = Path(settings.BASE_DIR).resolve()
BROWSER_NUMBER = re.compile(r"-?\d+(\.\d+)?")  # what <input type="number"> accepts
A_DATE = datetime.date(2027, 5, 30)


def project_packages() -> list[str]:
    """The installed apps whose code is in this repository (not in the venv)."""
    names = set()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if BASE_DIR in path.parents and ".venv" not in path.parts:
            names.add(config.name.split(".")[0])
    return sorted(names)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_forms() -> list[type[forms.BaseForm]]:
    packages = project_packages()
    for package in packages:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if ".migrations" in info.name or info.name.endswith(".production"):
                continue
            importlib.import_module(info.name)
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in packages and cls.base_fields
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def own_fields(form) -> dict:
    """The fields the project declares: not those a framework base form brings
    (Wagtail's page form declares comment_notifications, labelled by Wagtail)."""
    packages = project_packages()
    inherited = {
        name
        for base in form.__mro__[1:]
        if base.__module__.split(".")[0] not in packages
        for name in getattr(base, "declared_fields", {})
    }
    return {name: field for name, field in form.base_fields.items() if name not in inherited}


FORMS = project_forms()
FIELDS = [
    pytest.param(form, name, field, id=f"{form.__name__}.{name}")
    for form in FORMS
    for name, field in own_fields(form).items()
]
DATE_FIELDS = [param for param in FIELDS if isinstance(param.values[2], forms.DateField)]
NUMBER_FIELDS = [
    param
    for param in FIELDS
    if isinstance(param.values[2], (forms.IntegerField, forms.DecimalField, forms.FloatField))
]


def test_the_forms_are_found():
    names = {form.__name__ for form in FORMS}
    assert {"IntakeForm", "DecisionForm", "TargetForm", "AgreementForm", "TodoItemForm"} <= names
    assert len(DATE_FIELDS) >= 6 and len(NUMBER_FIELDS) >= 5


@pytest.mark.parametrize("form, name, field", FIELDS)
def test_every_field_has_a_translatable_label(form, name, field):
    assert field.label is not None, f"{form.__name__}.{name} has no label"
    assert isinstance(field.label, Promise), (
        f"{form.__name__}.{name}: the label {field.label!r} is not marked for translation"
    )


@pytest.mark.parametrize("form, name, field", DATE_FIELDS)
def test_every_date_field_uses_the_iso_widget(form, name, field):
    assert isinstance(field.widget, DateInput), (
        f"{form.__name__}.{name} uses {type(field.widget).__name__}, not cop_platform.forms."
        "DateInput"
    )


@pytest.mark.parametrize("form, name, field", NUMBER_FIELDS)
def test_no_number_field_is_localized(form, name, field):
    assert isinstance(field.widget, forms.NumberInput)
    assert not field.localize and not field.widget.is_localized


def rendered_input(field, name, value):
    html = field.widget.render(name, field.prepare_value(value), attrs={"id": f"id_{name}"})
    return BeautifulSoup(html, "html.parser").select_one(f"input[name={name}]")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("form, name, field", DATE_FIELDS)
def test_a_date_input_carries_an_iso_value(form, name, field, language):
    with translation.override(language):
        element = rendered_input(field, name, A_DATE)
        assert element["type"] == "date"
        assert element["value"] == "2027-05-30"
        # And what the browser sends back is read again as the same date.
        assert field.clean(element["value"]) == A_DATE


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("form, name, field", NUMBER_FIELDS)
def test_a_number_input_carries_a_value_with_a_decimal_point(form, name, field, language):
    value = Decimal("2.5") if isinstance(field, forms.DecimalField) else 1234
    with translation.override(language):
        element = rendered_input(field, name, value)
        assert element["type"] == "number"
        assert BROWSER_NUMBER.fullmatch(element["value"]), element["value"]
        assert Decimal(element["value"]) == value


# --- the error summary ---------------------------------------------------------------


def summary_items(page) -> list[str]:
    return [" ".join(li.get_text().split()) for li in page.select(".error-summary li")]


def test_a_question_label_gets_no_colon_in_the_summary():
    """ "Wat kun je brengen?: Dit veld is verplicht." reads wrong: a label that is a
    question is followed by the error directly."""

    class QuestionForm(forms.Form):
        breng = forms.CharField(label="Wat kun je brengen?")

    with translation.override("nl"):
        page = BeautifulSoup(str(QuestionForm(data={})), "html.parser")
        required = str(forms.Field.default_error_messages["required"])
    assert summary_items(page) == [f"Wat kun je brengen? {required}"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_field_errors_are_listed_and_linked_in_the_summary(language):
    with translation.override(language):
        form = TargetForm(data={"target_members": "-1", "target_activities": "", "deadline": ""})
        page = BeautifulSoup(str(form), "html.parser")
        required = str(forms.Field.default_error_messages["required"])
        labels = {name: str(field.label) for name, field in form.fields.items()}

    items = summary_items(page)
    assert len(items) == 3
    assert items[1] == f"{labels['target_activities']}: {required}"
    assert items[2] == f"{labels['deadline']}: {required}"
    assert [a["href"] for a in page.select(".error-summary a")] == [
        "#id_target_members",
        "#id_target_activities",
        "#id_deadline",
    ]
    assert page.select_one(".error-summary")["role"] == "alert"


def test_a_form_without_errors_has_no_summary():
    assert BeautifulSoup(str(TargetForm()), "html.parser").select(".error-summary") == []


def test_a_form_wide_error_is_shown_once():
    with translation.override("nl"):
        form = MoveForm(data={})
        html = str(form)
        message = str(form.non_field_errors()[0])

    assert summary_items(BeautifulSoup(html, "html.parser")) == [message]
    assert BeautifulSoup(html, "html.parser").get_text().count(message) == 1
