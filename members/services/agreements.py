"""Development agreements (the "reischeque")."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import permissions
from cop_platform.sanitize import clean_text, one_line
from members.models import DevelopmentAgreement, Organisation
from members.reischeque import questions_for

MAX_QUESTIONS = 12
MAX_QUESTION_LENGTH = 300


@transaction.atomic
def agreement_record(
    *,
    actor,
    organisation: Organisation,
    user,
    conversation_date: datetime.date,
    contribution: str,
    review_date: datetime.date,
    hours_per_week: Decimal = Decimal("0"),
    training: str = "",
    other_support: str = "",
) -> DevelopmentAgreement:
    """A manager records what was agreed with one of the organisation's people:
    the reischeque. It keeps the organisation's travel goal and questions as they
    are today. The member then sees it and confirms it."""
    permissions.require(permissions.can_manage_roles(actor, organisation))
    profile = getattr(user, "profile", None)
    if profile is None or profile.organisation_id != organisation.pk:
        raise ValidationError(_("This person does not work for your organisation."))
    if user.pk == actor.pk:
        raise ValidationError(_("Record agreements with the people you manage, not with yourself."))
    contribution = clean_text(contribution)
    if not contribution:
        raise ValidationError(_("Describe what the member will contribute."))
    # The stored travel goal and questions, not those of a possibly stale object.
    settings = Organisation.objects.only("travel_goal", "reischeque_questions").get(
        pk=organisation.pk
    )
    agreement = DevelopmentAgreement(
        user=user,
        organisation=organisation,
        recorded_by=actor,
        conversation_date=conversation_date,
        contribution=contribution,
        hours_per_week=hours_per_week,
        training=clean_text(training),
        other_support=clean_text(other_support),
        review_date=review_date,
        travel_goal=settings.travel_goal,
        questions="\n".join(questions_for(settings)),
    )
    if review_date < conversation_date:
        raise ValidationError(_("The review date cannot be before the conversation."))
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def reischeque_settings_set(
    *, actor, organisation: Organisation, travel_goal: str, questions: str
) -> Organisation:
    """A manager writes the organisation's travel goal and the questions for the
    development conversation (one a line; empty restores the default set). Every
    question stays on one line and within bounds."""
    permissions.require(permissions.can_manage_roles(actor, organisation))
    lines = [one_line(line) for line in clean_text(questions).splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_QUESTIONS:
        raise ValidationError(_("Write at most %(count)d questions.") % {"count": MAX_QUESTIONS})
    if any(len(line) > MAX_QUESTION_LENGTH for line in lines):
        raise ValidationError(
            _("Keep each question under %(count)d characters.") % {"count": MAX_QUESTION_LENGTH}
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.travel_goal = clean_text(travel_goal)
    organisation.reischeque_questions = "\n".join(lines)
    organisation.full_clean()
    organisation.save(update_fields=["travel_goal", "reischeque_questions"])
    return organisation


@transaction.atomic
def agreement_confirm(*, actor, agreement: DevelopmentAgreement) -> DevelopmentAgreement:
    """The member confirms that the agreement records what was agreed."""
    agreement = DevelopmentAgreement.objects.select_for_update().get(pk=agreement.pk)
    permissions.require(permissions.can_confirm_agreement(actor, agreement))
    if agreement.member_confirmed_at is None:
        agreement.member_confirmed_at = timezone.now()
        agreement.save(update_fields=["member_confirmed_at"])
    return agreement
