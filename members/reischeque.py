"""The reischeque (travel voucher): the pilot's development voucher for the
one-to-one conversation between a member and their manager.

It carries the organisation's travel goal ("reisdoel"), the questions that open
the conversation, preparation tips for both sides, the agreements recorded
afterwards (a DevelopmentAgreement), the member's self-test result when (and
only while) the member shares it with the organisation's managers, and the
review date that closes one round of the development cycle.

The questions are the organisation's: its managers hold the conversations, so
they tailor them to their own travel goal (Organisation.reischeque_questions).
An organisation that wrote none uses DEFAULT_QUESTIONS below, the platform's
own set built from the pilot's lessons (the pilot names the reischeque but
ships no questions).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from communities import permissions

DEFAULT_QUESTIONS = (
    _("Which part of our travel goal appeals to you most, and why?"),
    _("What do you want to learn or experience in the communities in the coming period?"),
    _("What do you bring: which knowledge, experience or contacts can you share?"),
    _("Which role suits you (bouwer, verbinder or aanjager), and what does your self-test say?"),
    _("How much time can you make available, and what will you leave aside for it?"),
    _("What do you need from the organisation: training, time, contacts or other support?"),
    _("When is this journey a success for you, and when do we look back on it together?"),
)

MEMBER_TIPS = (
    _("Read the travel goal and the questions, and write down your first thoughts."),
    _(
        "Take the self-test; share the result with your manager if you want them to "
        "see it in the conversation."
    ),
    _("Look at the communities and their action lists: where would you like to contribute?"),
    _("Think about what you need: time, training, contacts or a colleague to go with."),
)

MANAGER_TIPS = (
    _(
        "Explain why the organisation works in communities and what the travel goal "
        "means for this colleague's work."
    ),
    _("Look at the colleague's current roles and, if it is shared, their self-test result."),
    _("Listen first: let the colleague answer the questions before you propose anything."),
    _("Agree on something concrete: a contribution, the hours, the support and a review date."),
)


def split_questions(text: str) -> list[str]:
    """One question a line; empty lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def questions_for(organisation) -> list[str]:
    """The organisation's own questions, or the default set."""
    return split_questions(organisation.reischeque_questions) or [
        str(question) for question in DEFAULT_QUESTIONS
    ]


@dataclass
class Reischeque:
    agreement: object
    questions: list[str]
    selftest_result: object | None  # the shared result the viewer may see, else None
    can_confirm: bool
    is_member: bool


def reischeque_for(*, viewer, agreement) -> Reischeque:
    """What `viewer` (the member or one of the organisation's managers; the
    selector has checked that) sees on the reischeque. The self-test result is
    linked only while the member shares it with this organisation, also on the
    member's own copy: the voucher shows what both sides have in front of them."""
    from members.selectors import shared_selftest_result_of

    result = shared_selftest_result_of(agreement.user, agreement.organisation)
    if result is not None and not permissions.can_view_selftest_result(viewer, result):
        result = None
    return Reischeque(
        agreement=agreement,
        questions=split_questions(agreement.questions),
        selftest_result=result,
        can_confirm=permissions.can_confirm_agreement(viewer, agreement),
        is_member=agreement.user_id == viewer.pk,
    )
