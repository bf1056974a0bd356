"""The membership state machine.

    pending ──accept──► active ──leave──► left
       │ ▲                 └────end─────► ended
       │ └─answer── needs_info
       ├──ask──────────►┘   │
       ├──decline──► declined ◄─┤
       └──withdraw─► withdrawn ◄┘

Every transition is recorded (who, when, why) in MembershipTransition.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import permissions
from communities.lifecycle.guard import lock_active_community
from communities.models import (
    CommunityPage,
    Membership,
    MembershipState,
    MembershipTransition,
    Moderatorship,
    Topic,
)
from communities.selectors import coordinator_users
from communities.services.moderators import end_moderatorships_of_leaving_member
from cop_platform.mail import send_mail_on_commit
from cop_platform.sanitize import clean_text
from members.models import Organisation

S = MembershipState

# (from, to) pairs the state machine allows.
ALLOWED_TRANSITIONS = {
    (S.PENDING, S.ACTIVE),
    (S.PENDING, S.DECLINED),
    (S.PENDING, S.NEEDS_INFO),
    (S.PENDING, S.WITHDRAWN),
    (S.NEEDS_INFO, S.PENDING),
    (S.NEEDS_INFO, S.ACTIVE),
    (S.NEEDS_INFO, S.DECLINED),
    (S.NEEDS_INFO, S.WITHDRAWN),
    (S.ACTIVE, S.LEFT),
    (S.ACTIVE, S.ENDED),
}


def _locked(membership: Membership) -> Membership:
    """Re-read the membership under a row lock so two moderators cannot decide at once."""
    return (
        Membership.objects.select_for_update()
        .select_related("community", "user")
        .get(pk=membership.pk)
    )


def _transition(membership: Membership, to_state: str, *, actor, note: str = "") -> None:
    if (membership.state, to_state) not in ALLOWED_TRANSITIONS:
        raise ValidationError(
            _("This is not possible while the membership is “%(state)s”.")
            % {"state": membership.get_state_display()}
        )
    MembershipTransition.objects.create(
        membership=membership,
        from_state=membership.state,
        to_state=to_state,
        actor=actor,
        note=note,
    )
    membership.state = to_state


def _moderators_of(community: CommunityPage) -> list:
    """Who hears about applications: the current moderators, or the coordinators
    while a community has none (so no application waits unseen)."""
    moderators = [
        moderatorship.user
        for moderatorship in Moderatorship.objects.current()
        .filter(community=community)
        .select_related("user__profile")
    ]
    return moderators or list(coordinator_users())


def _required_text(value: str, message: str) -> str:
    value = clean_text(value)
    if not value:
        raise ValidationError(message)
    return value


@transaction.atomic
def membership_apply(
    *,
    actor,
    community: CommunityPage,
    haal: str,
    breng: str,
    haal_topics: list[Topic] = (),
    breng_topics: list[Topic] = (),
    organisation: Organisation | None = None,
    self_role: str = "",
) -> Membership:
    """Create a pending application and tell the community's moderators.

    Refused when the community is not active or the person already has an open
    (pending, questioned or active) membership of it.
    """
    if not actor.is_authenticated:
        raise PermissionDenied
    if not community.is_active:
        raise ValidationError(_("This community is an archive and takes no new members."))
    if permissions.open_membership_state(actor, community) is not None:
        raise ValidationError(
            _("You have already applied to this community or are a member of it.")
        )
    lock_active_community(community)
    membership = Membership(
        user=actor,
        community=community,
        organisation=organisation,
        haal=clean_text(haal),
        breng=clean_text(breng),
        self_role=self_role,
    )
    membership.full_clean(validate_constraints=False)
    try:
        # A savepoint, so a concurrent duplicate becomes a clear message, not a 500.
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise ValidationError(
            _("You have already applied to this community or are a member of it.")
        ) from None
    membership.haal_topics.set(haal_topics)
    membership.breng_topics.set(breng_topics)
    MembershipTransition.objects.create(
        membership=membership, from_state="", to_state=S.PENDING, actor=actor
    )
    permissions.forget(actor)
    send_mail_on_commit(
        template="communities/email/new_application",
        recipients=_moderators_of(community),
        context={"membership": membership, "community": community, "applicant": actor},
    )
    return membership


@transaction.atomic
def membership_accept(*, actor, membership: Membership) -> Membership:
    membership = _locked(membership)
    permissions.require(permissions.can_decide_applications(actor, membership.community))
    _transition(membership, S.ACTIVE, actor=actor)
    membership.joined_at = timezone.now()
    membership.moderator_message = ""
    membership.save(update_fields=["state", "joined_at", "moderator_message"])
    send_mail_on_commit(
        template="communities/email/accepted",
        recipients=[membership.user],
        context={"membership": membership, "community": membership.community},
    )
    return membership


@transaction.atomic
def membership_decline(*, actor, membership: Membership, reason: str) -> Membership:
    reason = _required_text(reason, _("Please give the applicant a reason."))
    membership = _locked(membership)
    permissions.require(permissions.can_decide_applications(actor, membership.community))
    _transition(membership, S.DECLINED, actor=actor, note=reason)
    membership.moderator_message = reason
    membership.ended_at = timezone.now()
    membership.save(update_fields=["state", "moderator_message", "ended_at"])
    send_mail_on_commit(
        template="communities/email/declined",
        recipients=[membership.user],
        context={"membership": membership, "community": membership.community, "reason": reason},
    )
    return membership


@transaction.atomic
def membership_ask(*, actor, membership: Membership, question: str) -> Membership:
    question = _required_text(question, _("Please write down your question."))
    membership = _locked(membership)
    permissions.require(permissions.can_decide_applications(actor, membership.community))
    _transition(membership, S.NEEDS_INFO, actor=actor, note=question)
    membership.moderator_message = question
    membership.save(update_fields=["state", "moderator_message"])
    send_mail_on_commit(
        template="communities/email/question",
        recipients=[membership.user],
        context={
            "membership": membership,
            "community": membership.community,
            "question": question,
        },
    )
    return membership


@transaction.atomic
def membership_answer(
    *,
    actor,
    membership: Membership,
    answer: str,
    haal: str | None = None,
    breng: str | None = None,
) -> Membership:
    """The applicant answers the moderators' question (and may sharpen the haal/breng
    answers); the application goes back to the queue."""
    answer = _required_text(answer, _("Please write your answer."))
    membership = _locked(membership)
    permissions.require(membership.user_id == actor.pk)
    _transition(membership, S.PENDING, actor=actor, note=answer)
    if haal is not None and clean_text(haal):
        membership.haal = clean_text(haal)
    if breng is not None and clean_text(breng):
        membership.breng = clean_text(breng)
    membership.full_clean(validate_constraints=False)
    membership.save(update_fields=["state", "haal", "breng"])
    send_mail_on_commit(
        template="communities/email/answered",
        recipients=_moderators_of(membership.community),
        context={"membership": membership, "community": membership.community, "answer": answer},
    )
    return membership


@transaction.atomic
def membership_withdraw(*, actor, membership: Membership) -> Membership:
    membership = _locked(membership)
    permissions.require(membership.user_id == actor.pk)
    _transition(membership, S.WITHDRAWN, actor=actor)
    membership.ended_at = timezone.now()
    membership.save(update_fields=["state", "ended_at"])
    permissions.forget(actor)
    return membership


@transaction.atomic
def membership_leave(*, actor, membership: Membership) -> Membership:
    """An active member leaves. A moderator leaves their moderator role with it,
    unless they are the community's last current moderator: then it is refused."""
    membership = _locked(membership)
    permissions.require(membership.user_id == actor.pk)
    _transition(membership, S.LEFT, actor=actor)
    end_moderatorships_of_leaving_member(membership=membership)
    membership.ended_at = timezone.now()
    membership.save(update_fields=["state", "ended_at"])
    permissions.forget(actor)
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, reason: str) -> Membership:
    """A moderator ends someone's membership, with a reason the member sees."""
    reason = _required_text(reason, _("Please give the member a reason."))
    membership = _locked(membership)
    permissions.require(permissions.can_decide_applications(actor, membership.community))
    _transition(membership, S.ENDED, actor=actor, note=reason)
    end_moderatorships_of_leaving_member(membership=membership)
    membership.moderator_message = reason
    membership.ended_at = timezone.now()
    membership.save(update_fields=["state", "moderator_message", "ended_at"])
    send_mail_on_commit(
        template="communities/email/ended",
        recipients=[membership.user],
        context={"membership": membership, "community": membership.community, "reason": reason},
    )
    return membership
