"""The Wagtail admin's form for a community page: the name and themes are one-line
text like everywhere else (cop_platform.sanitize.one_line), and a community has a
bounded number of themes."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from cop_platform.sanitize import one_line

# Themes make a community findable; beyond a handful they stop telling anything
# (and the search page lists every theme of the network as a filter).
MAX_THEMES = 10


def clean_themes(names) -> list[str]:
    """One-line, non-empty, distinct theme names; refused beyond MAX_THEMES."""
    themes: list[str] = []
    for name in names:
        name = one_line(name)
        if name and name.lower() not in {theme.lower() for theme in themes}:
            themes.append(name)
    if len(themes) > MAX_THEMES:
        raise ValidationError(
            _("A community has at most %(limit)s themes; you gave %(count)s.")
            % {"limit": MAX_THEMES, "count": len(themes)}
        )
    return themes


class CommunityPageForm(WagtailAdminPageForm):
    def clean_title(self):
        return one_line(self.cleaned_data.get("title", ""))

    def clean_tags(self):
        return clean_themes(self.cleaned_data.get("tags") or [])
