"""The Wagtail admin's form for a community page: the name and themes are one-line
text like everywhere else (cop_platform.sanitize.one_line), and a community has a
bounded number of themes, each of bounded length. The same rule for one theme
holds for the haal/breng topics (Topic.clean)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from cop_platform.sanitize import one_line

# Themes make a community findable; beyond a handful they stop telling anything
# (and the search page lists every theme of the network as a filter).
MAX_THEMES = 10
# A theme is a word or two shown as a filter button and a badge; the database
# column (taggit's, 100) is no limit a person can read in a message.
MAX_THEME_LENGTH = 50


def theme_too_long(name: str) -> str | None:
    """The translated refusal for a theme or topic longer than MAX_THEME_LENGTH
    (quoting its beginning), or None."""
    if len(name) <= MAX_THEME_LENGTH:
        return None
    return _("A theme is at most %(limit)s characters long; “%(start)s…” is longer.") % {
        "limit": MAX_THEME_LENGTH,
        "start": name[:MAX_THEME_LENGTH],
    }


def clean_themes(names) -> list[str]:
    """One-line, non-empty, distinct theme names; refused beyond MAX_THEMES or
    MAX_THEME_LENGTH."""
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
    if errors := [error for error in map(theme_too_long, themes) if error]:
        raise ValidationError(errors)
    return themes


class CommunityPageForm(WagtailAdminPageForm):
    def clean_title(self):
        return one_line(self.cleaned_data.get("title", ""))

    def clean_tags(self):
        return clean_themes(self.cleaned_data.get("tags") or [])
