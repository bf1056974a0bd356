"""Taking the self-test and sharing a result with one's managers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import permissions
from members import selftest
from members.models import SelfTestResult


@transaction.atomic
def selftest_submit(*, actor, answers: dict) -> SelfTestResult:
    """Store a completed self-test with its scores (see members.selftest). Earlier
    results are kept: the history shows how the scores change."""
    permissions.require(actor.is_authenticated)
    try:
        cleaned = selftest.validate_answers(answers)
    except (TypeError, ValueError):
        raise ValidationError(
            _("Please answer every statement with a number from 1 to 5.")
        ) from None
    scores = selftest.score(cleaned)
    result = SelfTestResult(
        user=actor,
        questionnaire_version=selftest.VERSION,
        answers=cleaned,
        score_bouwer=scores["bouwer"],
        score_verbinder=scores["verbinder"],
        score_aanjager=scores["aanjager"],
        best_fit=selftest.ranking(scores)[0],
    )
    result.full_clean()
    result.save()
    return result


@transaction.atomic
def selftest_share(*, actor, result: SelfTestResult) -> SelfTestResult:
    """The member shares one result with the managers of their current organisation."""
    result = SelfTestResult.objects.select_for_update().get(pk=result.pk)
    permissions.require(permissions.can_share_selftest_result(actor, result))
    profile = getattr(actor, "profile", None)
    if profile is None or profile.organisation_id is None:
        raise ValidationError(
            _("Add your organisation to your profile first: results are shared with its managers.")
        )
    result.shared_with_id = profile.organisation_id
    result.shared_with_manager_at = timezone.now()
    result.share_revoked_at = None
    result.save(update_fields=["shared_with", "shared_with_manager_at", "share_revoked_at"])
    return result


@transaction.atomic
def selftest_revoke(*, actor, result: SelfTestResult) -> SelfTestResult:
    """The member stops sharing a result; managers no longer see it from now on."""
    result = SelfTestResult.objects.select_for_update().get(pk=result.pk)
    permissions.require(permissions.can_share_selftest_result(actor, result))
    if not result.is_shared:
        raise ValidationError(_("This result is not shared."))
    result.shared_with = None
    result.shared_with_manager_at = None
    result.share_revoked_at = timezone.now()
    result.save(update_fields=["shared_with", "shared_with_manager_at", "share_revoked_at"])
    return result
