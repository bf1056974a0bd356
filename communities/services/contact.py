"""Contact a community's moderators: the agenda calls them the community's point
of contact for questions ("aanspreekpunt voor vragen").

Someone who is not a member writes to the current moderators. The message goes
to each moderator as their own e-mail, with the sender's address as Reply-To:
the moderators answer the sender directly, and the sender learns a moderator's
address only from that answer. Nothing is stored; the per-person rate limit
(settings.RATE_LIMITS["moderator_contact"]) is counted by the view.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities import permissions
from communities.models import CommunityPage, Moderatorship
from cop_platform.mail import send_mail_on_commit
from cop_platform.sanitize import clean_text, one_line

SUBJECT_LIMIT = 150
MESSAGE_LIMIT = 3000


@transaction.atomic
def moderators_contact(*, actor, community: CommunityPage, subject: str, message: str) -> int:
    """Send `actor`'s question to the community's current moderators (after
    commit). Returns how many moderators it goes to; refuses an empty or too long
    text and a community without a moderator."""
    permissions.require(permissions.can_contact_moderators(actor, community))
    subject, message = one_line(subject), clean_text(message)
    if not subject or not message:
        raise ValidationError(_("Write a subject and a message."))
    if len(subject) > SUBJECT_LIMIT or len(message) > MESSAGE_LIMIT:
        raise ValidationError(
            _("Keep the subject under %(subject)d and the message under %(message)d characters.")
            % {"subject": SUBJECT_LIMIT, "message": MESSAGE_LIMIT}
        )
    moderators = [
        term.user
        for term in Moderatorship.objects.current()
        .filter(community=community, user__is_active=True, user__erased_at__isnull=True)
        .select_related("user__profile")
        .order_by("start_date", "pk")
    ]
    moderators = list({user.pk: user for user in moderators}.values())
    if not moderators:
        raise ValidationError(
            _("This community has no moderator at the moment. Ask a network coordinator.")
        )
    context = {"community": community, "sender": actor, "subject": subject, "message": message}
    send_mail_on_commit(
        template="communities/email/moderator_contact",
        recipients=moderators,
        context=context,
        reply_to=[actor.email],
    )
    # The sender's copy names no moderator address: it comes from the site.
    send_mail_on_commit(
        template="communities/email/moderator_contact_copy", recipients=[actor], context=context
    )
    return len(moderators)
