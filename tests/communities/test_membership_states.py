"""The membership state machine: every allowed step works and is recorded, every
other step is refused and changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from communities.models import Membership, MembershipState, MembershipTransition
from communities.selectors import active_members, application_queue
from communities.services.memberships import (
    ALLOWED_TRANSITIONS,
    membership_accept,
    membership_answer,
    membership_apply,
    membership_ask,
    membership_decline,
    membership_end,
    membership_leave,
    membership_withdraw,
)

S = MembershipState
pytestmark = pytest.mark.django_db

ALREADY_APPLIED = "You have already applied to this community or are a member of it."

# How to bring an application into a state, starting from pending.
PATHS = {
    S.PENDING: [],
    S.NEEDS_INFO: ["ask"],
    S.ACTIVE: ["accept"],
    S.DECLINED: ["decline"],
    S.WITHDRAWN: ["withdraw"],
    S.LEFT: ["accept", "leave"],
    S.ENDED: ["accept", "end"],
}

# action → (who acts, extra keyword arguments, the note recorded)
ACTIONS = {
    "accept": ("moderator", {}, ""),
    "decline": ("moderator", {"reason": "Past beter bij Effectmeting."},
                "Past beter bij Effectmeting."),
    "ask": ("moderator", {"question": "Wat heb je al geprobeerd?"}, "Wat heb je al geprobeerd?"),
    "answer": ("applicant", {"answer": "Een pilot met twee scholen."},
               "Een pilot met twee scholen."),
    "withdraw": ("applicant", {}, ""),
    "leave": ("applicant", {}, ""),
    "end": ("moderator", {"reason": "Geen activiteit meer sinds een jaar."},
            "Geen activiteit meer sinds een jaar."),
}  # fmt: skip

SERVICES = {
    "accept": membership_accept,
    "decline": membership_decline,
    "ask": membership_ask,
    "answer": membership_answer,
    "withdraw": membership_withdraw,
    "leave": membership_leave,
    "end": membership_end,
}

TARGET = {
    "accept": S.ACTIVE,
    "decline": S.DECLINED,
    "ask": S.NEEDS_INFO,
    "answer": S.PENDING,
    "withdraw": S.WITHDRAWN,
    "leave": S.LEFT,
    "end": S.ENDED,
}

ALLOWED = [
    (S.PENDING, "accept"),
    (S.PENDING, "decline"),
    (S.PENDING, "ask"),
    (S.PENDING, "withdraw"),
    (S.NEEDS_INFO, "answer"),
    (S.NEEDS_INFO, "accept"),
    (S.NEEDS_INFO, "decline"),
    (S.NEEDS_INFO, "withdraw"),
    (S.ACTIVE, "leave"),
    (S.ACTIVE, "end"),
]


@pytest.fixture
def act(moderator, applicant):
    """`act(action, membership)`: run the service as the person who may do it."""

    def act_(action, membership, **overrides):
        who, kwargs, _note = ACTIONS[action]
        actor = {"moderator": moderator, "applicant": applicant}[who]
        return SERVICES[action](actor=actor, membership=membership, **{**kwargs, **overrides})

    return act_


@pytest.fixture
def bring_to(act, pending):
    def bring_to_(state):
        membership = pending
        for action in PATHS[state]:
            membership = act(action, membership)
        membership.refresh_from_db()
        assert membership.state == state
        return membership

    return bring_to_


def test_the_table_covers_the_state_machine():
    assert {(state, TARGET[action]) for state, action in ALLOWED} == ALLOWED_TRANSITIONS


def test_applying_records_the_first_transition(pending, applicant):
    assert pending.state == S.PENDING
    transition = pending.transitions.get()
    assert (transition.from_state, transition.to_state) == ("", S.PENDING)
    assert transition.actor == applicant


@pytest.mark.parametrize(("state", "action"), ALLOWED, ids=lambda v: str(v))
def test_allowed_transition_works_and_is_recorded(
    state, action, bring_to, act, moderator, applicant
):
    membership = bring_to(state)
    before = membership.transitions.count()

    act(action, membership)

    membership.refresh_from_db()
    assert membership.state == TARGET[action]
    assert membership.transitions.count() == before + 1
    last = membership.transitions.last()
    who, _kwargs, note = ACTIONS[action]
    assert last.from_state == state
    assert last.to_state == TARGET[action]
    assert last.actor == {"moderator": moderator, "applicant": applicant}[who]
    assert last.note == note


FORBIDDEN = [
    (state, action) for state in PATHS for action in SERVICES if (state, action) not in ALLOWED
]


@pytest.mark.parametrize(("state", "action"), FORBIDDEN, ids=lambda v: str(v))
def test_forbidden_transition_is_refused_and_changes_nothing(state, action, bring_to, act):
    membership = bring_to(state)
    snapshot = Membership.objects.values().get(pk=membership.pk)
    transitions = MembershipTransition.objects.count()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        act(action, membership)

    assert "This is not possible while the membership is" in str(refused.value)
    assert Membership.objects.values().get(pk=membership.pk) == snapshot
    assert MembershipTransition.objects.count() == transitions


@pytest.mark.parametrize(
    ("state", "action"),
    [(S.DECLINED, "accept"), (S.PENDING, "answer"), (S.PENDING, "leave")],
    ids=["accept a declined one", "answer a pending one", "leave a pending one"],
)
def test_named_forbidden_transitions(state, action, bring_to, act):
    membership = bring_to(state)
    with pytest.raises(ValidationError):
        act(action, membership)
    membership.refresh_from_db()
    assert membership.state == state


def test_applying_twice_is_refused_with_a_clear_message(pending, applicant, community):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        membership_apply(actor=applicant, community=community, haal="Nog eens", breng="Iets")
    assert refused.value.messages == [ALREADY_APPLIED]
    assert Membership.objects.filter(user=applicant, community=community).count() == 1


def test_a_member_cannot_apply_again(bring_to, applicant, community):
    bring_to(S.ACTIVE)
    with pytest.raises(ValidationError):
        membership_apply(actor=applicant, community=community, haal="Nog eens", breng="Iets")


@pytest.mark.parametrize("state", [S.WITHDRAWN, S.DECLINED, S.LEFT])
def test_one_can_apply_again_after_a_closed_membership(state, bring_to, applicant, community):
    old = bring_to(state)

    again = membership_apply(
        actor=applicant, community=community, haal="Nieuwe vraag", breng="Nieuw aanbod"
    )

    assert again.pk != old.pk
    assert again.state == S.PENDING
    assert list(application_queue(community)) == [again]
    old.refresh_from_db()
    assert old.state == state


@pytest.mark.parametrize(
    ("action", "field"),
    [("decline", "reason"), ("ask", "question"), ("end", "reason"), ("answer", "answer")],
)
@pytest.mark.parametrize("blank", ["", "   \n\t "])
def test_a_reason_is_required(action, field, blank, bring_to, act):
    start = {"decline": S.PENDING, "ask": S.PENDING, "end": S.ACTIVE, "answer": S.NEEDS_INFO}
    membership = bring_to(start[action])
    transitions = membership.transitions.count()

    with pytest.raises(ValidationError):
        act(action, membership, **{field: blank})

    membership.refresh_from_db()
    assert membership.state == start[action]
    assert membership.transitions.count() == transitions


def test_decisions_set_dates_and_the_message_the_applicant_sees(bring_to, act):
    membership = act("ask", bring_to(S.PENDING))
    assert membership.moderator_message == "Wat heb je al geprobeerd?"
    membership = act("answer", membership)
    membership = act("accept", membership)
    membership.refresh_from_db()
    assert membership.joined_at is not None
    assert membership.moderator_message == ""
    assert membership.ended_at is None

    membership = act("end", membership)
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert membership.moderator_message == "Geen activiteit meer sinds een jaar."
    assert [t.to_state for t in membership.transitions.all()] == [
        S.PENDING,
        S.NEEDS_INFO,
        S.PENDING,
        S.ACTIVE,
        S.ENDED,
    ]


def test_answering_may_sharpen_the_answers(bring_to, applicant):
    membership = bring_to(S.NEEDS_INFO)
    membership_answer(
        actor=applicant,
        membership=membership,
        answer="Zie hieronder.",
        haal="Een concreet plan voor de leesclub.",
        breng="",
    )
    membership.refresh_from_db()
    assert membership.haal == "Een concreet plan voor de leesclub."
    assert membership.breng  # an empty new answer keeps the old one


def test_answers_stay_readable_after_acceptance(apply, applicant, community, moderator, topics):
    membership = apply(
        applicant,
        community,
        haal="Ideeën voor leesclubs.",
        breng="Subsidiekennis.",
        haal_topics=[topics["leesbevordering"]],
        breng_topics=[topics["subsidies aanvragen"]],
    )
    membership_accept(actor=moderator, membership=membership)

    [member] = [m for m in active_members(community) if m.user == applicant]
    assert member.haal == "Ideeën voor leesclubs."
    assert member.breng == "Subsidiekennis."
    assert [t.name for t in member.haal_topics.all()] == ["leesbevordering"]
    assert [t.name for t in member.breng_topics.all()] == ["subsidies aanvragen"]
