"""What every form of the site shares: the date widget and the form renderer.

Dates: an `<input type="date">` takes and gives only ISO dates (2027-05-30),
whatever the page's language; the browser shows them in the reader's own
format. Django's DateInput writes the value in the active language's first
DATE_INPUT_FORMATS (Dutch: 30-05-2027), which the browser cannot read: it shows
an empty field and submits nothing. Every date field of the site therefore uses
`DateInput` below (a test walks every form to hold this). Parsing needs nothing:
Django accepts ISO dates in every language.

Numbers: `<input type="number">` likewise needs a decimal point. Django writes
a number with a point unless the field is `localize=True`; no field of the site
may be localized (the same test holds this).

Rendering: `{{ form }}` renders through templates/includes/form.html: first the
error summary (includes/form_errors.html: the form-wide errors and a link to
each field with an error), then the fields with their own errors. The form-wide
errors appear in the summary only, so they are never shown twice.
"""

from django import forms
from django.forms.renderers import TemplatesSetting

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The site's one date widget: a native date picker with an ISO value."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


class FormRenderer(TemplatesSetting):
    """Django's renderer, with the site's form template (FORM_RENDERER)."""

    form_template_name = "includes/form.html"
