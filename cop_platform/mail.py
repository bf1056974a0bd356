"""E-mail to people, in their own language, sent only after the transaction commits.

Templates come in pairs: `<name>_subject.txt` and `<name>_body.txt` (plain
text, rendered with autoescape off since the result is not HTML).
"""

from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Site

_muted: ContextVar[bool] = ContextVar("cop_mail_muted", default=False)


@contextmanager
def mail_muted():
    """Send no mail for anything done inside the block (demo data: the people are
    invented). Decided when the mail is queued, since sending happens after commit,
    outside the block."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def absolute_url(path: str) -> str:
    """`path` on the site's configured address (BASE_URL, settings
    WAGTAILADMIN_BASE_URL): every link in an e-mail is built here, never from the
    host a request happened to come in on."""
    return urljoin(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/", path.lstrip("/"))


def site_name(request=None) -> str:
    """The site's name as e-mails greet with it: the Wagtail Site's site_name (the
    admin's Settings → Sites), else the name in the site header."""
    if request is not None:
        site = Site.find_for_request(request)
    else:
        site = Site.objects.filter(is_default_site=True).first()
    return (site.site_name if site else "") or _("Library communities")


def user_language(user) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "language", None) or settings.LANGUAGE_CODE


def _render_plain_text(name: str, context: dict) -> str:
    """A mail template rendered without HTML escaping: an e-mail is plain text, and
    escaping would put "&amp;" and "&quot;" in names and titles (the subject is then
    one line, and the mail library encodes headers, so nothing can add one)."""
    return get_template(name).template.render(Context(context, autoescape=False))


def _render(template: str, user, context: dict, reply_to=()) -> EmailMessage:
    with translation.override(user_language(user)):
        full_context = {"recipient": user, "site_url": absolute_url("/"), **context}
        if "community" in context:
            # Computed here, in the recipient's language: the URL carries its prefix.
            full_context["community_url"] = absolute_url(context["community"].get_url())
        subject = _render_plain_text(f"{template}_subject.txt", full_context)
        body = _render_plain_text(f"{template}_body.txt", full_context)
    # A subject is one line: user text in it must never add headers.
    subject = " ".join(subject.split())
    return EmailMessage(subject=subject, body=body, to=[user.email], reply_to=list(reply_to))


def send_mail_on_commit(*, template: str, recipients, context: dict, reply_to=()) -> None:
    """Render one message per recipient (each in their language) and send them all
    once the current transaction commits; nothing is sent if it rolls back. Each
    recipient gets their own message, so no one sees another's address; `reply_to`
    (addresses) is where their answer goes."""
    if _muted.get():
        return
    recipients = [user for user in recipients if user.email]
    if not recipients:
        return

    def send():
        messages = [_render(template, user, context, reply_to) for user in recipients]
        get_connection().send_messages(messages)

    transaction.on_commit(send)
