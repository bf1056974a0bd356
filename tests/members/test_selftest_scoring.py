"""The self-test's scoring on fixed answer sets, and its reproducible order."""

import pytest

from members import selftest
from members.models import Role


def answers(bouwer, verbinder, aanjager):
    """Answers per role, each a list of six values in statement order."""
    values = {"bouwer": list(bouwer), "verbinder": list(verbinder), "aanjager": list(aanjager)}
    return {sid: values[role].pop(0) for sid, role, _text in selftest.STATEMENTS}


def test_at_least_six_statements_per_role_with_stable_ids():
    per_role = {role: 0 for role in Role.values}
    for _sid, role, text in selftest.STATEMENTS:
        per_role[role] += 1
        assert text.endswith(".")
    assert all(count >= 6 for count in per_role.values())
    assert len(selftest.STATEMENT_TEXT) == len(selftest.STATEMENTS)  # ids unique


@pytest.mark.parametrize(
    ("given", "expected", "best"),
    [
        (
            answers([1] * 6, [1] * 6, [1] * 6),
            {"bouwer": 0, "verbinder": 0, "aanjager": 0},
            "bouwer",
        ),
        (
            answers([3] * 6, [3] * 6, [3] * 6),
            {"bouwer": 50, "verbinder": 50, "aanjager": 50},
            "bouwer",
        ),
        (
            answers([5] * 6, [5] * 6, [5] * 6),
            {"bouwer": 100, "verbinder": 100, "aanjager": 100},
            "bouwer",
        ),
        (
            answers([1] * 6, [5] * 6, [1] * 6),
            {"bouwer": 0, "verbinder": 100, "aanjager": 0},
            "verbinder",
        ),
        # 5+4+4+3+3+2 = 21 → (21-6)*100/24 = 62.5 → 62 (halves to even)
        # 2+2+2+2+2+3 = 13 → 7*100/24 = 29.17 → 29;  4*6 = 24 → 75
        (
            answers([5, 4, 4, 3, 3, 2], [2, 2, 2, 2, 2, 3], [4] * 6),
            {"bouwer": 62, "verbinder": 29, "aanjager": 75},
            "aanjager",
        ),
    ],
)
def test_scores_and_best_fit(given, expected, best):
    scores = selftest.score(given)
    assert scores == expected
    assert selftest.ranking(scores)[0] == best


def test_ties_keep_the_fixed_role_order():
    assert selftest.ranking({"bouwer": 40, "verbinder": 70, "aanjager": 70}) == [
        "verbinder",
        "aanjager",
        "bouwer",
    ]


def test_incomplete_or_out_of_range_answers_are_refused():
    complete = answers([3] * 6, [3] * 6, [3] * 6)
    missing = dict(complete)
    missing.pop("a6")
    with pytest.raises(ValueError):
        selftest.score(missing)
    with pytest.raises(ValueError):
        selftest.score({**complete, "b1": 6})
    with pytest.raises(ValueError):
        selftest.score({**complete, "extra": 3})


def test_interpretation_explains_every_role_and_notes_hbo_for_two():
    result = selftest.interpret({"bouwer": 80, "verbinder": 78, "aanjager": 20})
    assert [item.role for item in result.ranked] == ["bouwer", "verbinder", "aanjager"]
    assert all(item.explanation for item in result.ranked)
    # Lesson 7, both halves: HBO level for verbinder and aanjager, not for bouwer.
    notes = {item.role: str(item.hbo_note) for item in result.ranked}
    assert notes["verbinder"] == notes["aanjager"] == str(selftest.HBO_NOTE)
    assert notes["bouwer"] == str(selftest.BOUWER_NOTE)
    assert result.close_second.role == "verbinder"  # within five points
    assert selftest.interpret({"bouwer": 80, "verbinder": 60, "aanjager": 20}).close_second is None


def test_order_is_shuffled_but_reproducible_per_person():
    first = [sid for sid, _r, _t in selftest.ordered_statements(7)]
    assert first == [sid for sid, _r, _t in selftest.ordered_statements(7)]
    assert sorted(first) == sorted(selftest.STATEMENT_TEXT)
    assert first != [sid for sid, _r, _t in selftest.STATEMENTS]
    assert first != [sid for sid, _r, _t in selftest.ordered_statements(8)]
