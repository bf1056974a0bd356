"""The self-test: which of the three "Nieuw Delen" roles fits a person best.

The questionnaire is data: statements about concrete behaviour, six per role,
written in Dutch (the interface language of the sector; the statements are
content, like the communities' names, not interface text). Each is answered
on a 1-5 scale (1 = helemaal oneens, 5 = helemaal eens).

Order. Every person sees the statements in a shuffled order, so that the
statements of one role do not follow each other; the order is reproducible:
`random.Random(f"{VERSION}:{user_id}")` always gives that person the same order
(also when they retake the test), and the order changes only with a new
version of the questionnaire.

Scoring (deterministic, no weights):

- per role, the answers to its six statements are added up: 6 (all "1") to
  30 (all "5");
- that sum is scaled to 0-100: ``round((sum - n) * 100 / (4 * n))`` with
  n = the number of statements of the role (6), so all "1" gives 0, all "3"
  gives 50 and all "5" gives 100; `round` is Python's (halves to even);
- the ranking sorts the roles by score, highest first; a tie keeps the fixed
  order bouwer, verbinder, aanjager;
- the best fit is the first of the ranking. When the second role is within
  `CLOSE_MARGIN` points the result says the person combines both.

The scores are guidance for a conversation, never a gate: the note on
verbinder and aanjager (the pilot found those roles ask for work and thinking
at higher-professional, HBO, level) and on bouwer (for which that level is not
needed) is information, not a requirement.

Texts. The pilot names the roles and the self-test but does not define them:
the role descriptions and the statements below are the platform's own. They
are the defaults; coordinators edit them in the Wagtail admin
(members.models.RoleDescription and SelfTestStatement, with history), and
`role_descriptions()` / `statement_texts()` read the edited texts, falling
back to these. Only the texts are editable: a statement's id and role are
fixed, so scoring and stored answers keep their meaning.
"""

import random
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.models import Role

VERSION = 1
SCALE = (1, 2, 3, 4, 5)
CLOSE_MARGIN = 5

# (id, role, statement). Ids are stable: stored answers refer to them.
STATEMENTS: list[tuple[str, str, str]] = [
    (
        "b1",
        Role.BOUWER,
        "Ik zorg dat de online plek van een groep er verzorgd en bijgewerkt uitziet.",
    ),
    ("b2", Role.BOUWER, "Ik plan bijeenkomsten: ik regel de zaal, de uitnodiging en het verslag."),
    (
        "b3",
        Role.BOUWER,
        "Ik zet documenten, afspraken en links zo neer dat anderen ze terugvinden.",
    ),
    (
        "b4",
        Role.BOUWER,
        "Als iets praktisch blijft liggen, pak ik het op zonder dat iemand het vraagt.",
    ),
    (
        "b5",
        Role.BOUWER,
        "Ik houd een actielijst bij en herinner mensen aan wat ze hebben toegezegd.",
    ),
    (
        "b6",
        Role.BOUWER,
        "Ik werk een idee graag uit tot een handleiding of sjabloon die anderen kunnen gebruiken.",
    ),
    (
        "v1",
        Role.VERBINDER,
        "Als ik iemand spreek, denk ik meteen aan wie die persoon zou moeten ontmoeten.",
    ),
    ("v2", Role.VERBINDER, "Ik stel mensen uit verschillende organisaties actief aan elkaar voor."),
    (
        "v3",
        Role.VERBINDER,
        "Ik weet wat er speelt bij partners buiten de bibliotheek, zoals scholen en welzijn.",
    ),
    (
        "v4",
        Role.VERBINDER,
        "Ik nodig nieuwe mensen uit voor een groep en zorg dat ze zich welkom voelen.",
    ),
    (
        "v5",
        Role.VERBINDER,
        "Ik deel wat ik in de ene groep hoor met mensen in een andere groep "
        "voor wie het nuttig is.",
    ),
    (
        "v6",
        Role.VERBINDER,
        "Ik onderhoud contacten, ook als er op dat moment geen concreet project is.",
    ),
    (
        "a1",
        Role.AANJAGER,
        "Ik kom met voorstellen voor wat een groep als volgende stap zou moeten doen.",
    ),
    ("a2", Role.AANJAGER, "Ik leg verbanden tussen ons werk en de strategie van mijn organisatie."),
    (
        "a3",
        Role.AANJAGER,
        "Als de energie in een groep wegzakt, zet ik iets in gang om haar terug te krijgen.",
    ),
    (
        "a4",
        Role.AANJAGER,
        "Ik spreek bestuurders of leidinggevenden aan om steun voor een initiatief te krijgen.",
    ),
    ("a5", Role.AANJAGER, "Ik start een experiment, ook als nog niet alles is uitgezocht."),
    (
        "a6",
        Role.AANJAGER,
        "Ik formuleer doelen voor een groep en kijk na een tijd of we ze hebben gehaald.",
    ),
]

STATEMENT_TEXT = {sid: text for sid, _role, text in STATEMENTS}
STATEMENT_ROLE = {sid: role for sid, role, _text in STATEMENTS}

SCALE_LABELS = {
    1: _("1 – strongly disagree"),
    2: _("2 – disagree"),
    3: _("3 – neutral"),
    4: _("4 – agree"),
    5: _("5 – strongly agree"),
}

EXPLANATIONS = {
    Role.BOUWER: _(
        "The builder builds and maintains the community's place, its content and "
        "practical organisation: meetings, documents, the to-do list."
    ),
    Role.VERBINDER: _(
        "The connector connects people, organisations and partners, and knows who should meet whom."
    ),
    Role.AANJAGER: _(
        "The driver sets direction, starts things, keeps the energy up and links the "
        "community to the organisation's strategy."
    ),
}
HBO_NOTE = _(
    "The pilot found that this role asks for work and thinking at higher-professional "
    "(HBO) level. This is guidance for your development conversation, not a condition."
)
HBO_ROLES = (Role.VERBINDER, Role.AANJAGER)
BOUWER_NOTE = _(
    "The pilot found that this role does not need work and thinking at "
    "higher-professional (HBO) level."
)
# Lesson 7 of the pilot, both halves, where a manager assigns a role: guidance,
# never a gate (the assignment form asks nothing about education).
ROLE_LEVEL_GUIDANCE = _(
    "The pilot Nieuw Delen: “The roles of driver and connector ask for work and "
    "thinking at higher-professional (HBO) level. For the role of builder this is "
    "not necessary.” This is guidance for your choice and the conversation with "
    "your colleague, not a condition."
)


def role_descriptions() -> dict[str, str]:
    """Role → the platform's description of it, as a coordinator last edited it,
    in the active language (the default text where none is stored). One query."""
    from members.models import RoleDescription

    english = (get_language() or "nl").startswith("en")
    texts = {role: str(text) for role, text in EXPLANATIONS.items()}
    for row in RoleDescription.objects.filter(role__in=Role.values):
        text = row.description_en if english else row.description
        if text:
            texts[row.role] = text
    return texts


def statement_texts() -> dict[str, str]:
    """Statement id → its text as a coordinator last edited it (the default where
    none is stored). One query."""
    from members.models import SelfTestStatement

    texts = dict(STATEMENT_TEXT)
    for key, text in SelfTestStatement.objects.filter(key__in=list(STATEMENT_TEXT)).values_list(
        "key", "text"
    ):
        if text:
            texts[key] = text
    return texts


def ordered_statements(
    user_id: int, texts: dict[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """The statements in this person's reproducible order, with `texts` (see
    statement_texts(); the defaults when None). The order depends on the ids
    only, so editing a text does not reshuffle anyone's test."""
    texts = texts or STATEMENT_TEXT
    statements = [(sid, role, texts.get(sid, text)) for sid, role, text in STATEMENTS]
    # Not a secret (bandit B311): the order only mixes the roles' statements.
    random.Random(f"{VERSION}:{user_id}").shuffle(statements)  # nosec B311
    return statements


def role_score(answers: dict[str, int], role: str) -> int:
    values = [answers[sid] for sid, statement_role, _text in STATEMENTS if statement_role == role]
    n = len(values)
    return round((sum(values) - n) * 100 / (4 * n))


def validate_answers(answers: dict) -> dict[str, int]:
    """Every statement answered with a whole number 1-5; raises ValueError otherwise."""
    if set(answers) != set(STATEMENT_TEXT):
        raise ValueError("every statement needs exactly one answer")
    cleaned = {}
    for sid, value in answers.items():
        value = int(value)
        if value not in SCALE:
            raise ValueError(f"answer to {sid} out of range")
        cleaned[sid] = value
    return cleaned


def score(answers: dict[str, int]) -> dict[str, int]:
    """Role → 0-100, for a complete set of answers (see the module docstring)."""
    answers = validate_answers(answers)
    return {role: role_score(answers, role) for role in Role.values}


def ranking(scores: dict[str, int]) -> list[str]:
    """Roles, best fit first; ties keep the order bouwer, verbinder, aanjager."""
    order = list(Role.values)
    return sorted(order, key=lambda role: (-scores[role], order.index(role)))


@dataclass
class RankedRole:
    role: str
    label: str
    score: int
    explanation: str
    hbo_note: str


@dataclass
class Interpretation:
    ranked: list[RankedRole]
    best_fit: str
    close_second: RankedRole | None


def level_note(role: str) -> str:
    """The pilot's note on the level of work and thinking a role asks for."""
    return str(HBO_NOTE if role in HBO_ROLES else BOUWER_NOTE)


def interpret(scores: dict[str, int], descriptions: dict[str, str] | None = None) -> Interpretation:
    """The ranked result with a description per role (see role_descriptions(); the
    defaults when None), for display."""
    labels = dict(Role.choices)
    descriptions = descriptions or EXPLANATIONS
    ranked = [
        RankedRole(
            role=role,
            label=labels[role],
            score=scores[role],
            explanation=descriptions[role],
            hbo_note=level_note(role),
        )
        for role in ranking(scores)
    ]
    close = ranked[1] if ranked[0].score - ranked[1].score <= CLOSE_MARGIN else None
    return Interpretation(ranked=ranked, best_fit=ranked[0].role, close_second=close)
