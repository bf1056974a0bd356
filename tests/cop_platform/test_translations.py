"""The Dutch interface is complete, and the committed .mo matches the .po.

A missing translation shows up as English text on a Dutch page; a stale .mo
(edited .po, not compiled) shows the old text even though the .po is right.
"""

import gettext
import re
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES"


def _po():
    with open(CATALOGUE / "django.po", "rb") as handle:
        return read_po(handle)


def test_every_dutch_message_is_translated_and_not_fuzzy():
    untranslated, fuzzy = [], []
    for message in _po():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _po():
        if not message.id or message.pluralizable:
            continue
        if message.context:  # pgettext: the same English word, translated per context
            assert compiled.pgettext(message.context, message.id) == message.string, message.id
        else:
            assert compiled.gettext(message.id) == message.string, message.id


def _dutch_strings():
    for message in _po():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            yield message.id, text


def test_one_dutch_term_for_the_to_do_list():
    """ "Actielijst" and "actiepunt", never "to-do-lijst", "to-do-items" or "takenlijst"."""
    other_terms = re.compile(r"to-?do|takenlijst", re.IGNORECASE)
    assert [(mid, text) for mid, text in _dutch_strings() if other_terms.search(text)] == []


def test_the_dutch_catalogue_says_je_not_u():
    formal = re.compile(r"\b(u|uw|a\.u\.b)\b(?!/)", re.IGNORECASE)  # "u/wk" is "uur per week"
    assert [(mid, text) for mid, text in _dutch_strings() if formal.search(text)] == []
