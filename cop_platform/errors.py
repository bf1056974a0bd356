"""The site's error pages: 403, 404, CSRF failure and the admin refused to a
logged-in member, each in the site layout, in the visitor's language, saying what
happened and what to do. The 500 page is Django's own handler with
templates/500.html, which renders without a request, database or context
processors (a server error may be the database being gone).
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cop_platform.mail import user_language


class Forbidden(PermissionDenied):
    """PermissionDenied that tells the person who may see the page (shown on the
    403 page), e.g. "the moderators of this community and the network coordinators"."""

    def __init__(self, who_may: str):
        super().__init__(who_may)
        self.who_may = who_may


def permission_denied(request, exception=None, **context):
    """handler403: what was refused and, when the view said so, who may see it."""
    return render(
        request,
        "403.html",
        {"who_may": getattr(exception, "who_may", ""), **context},
        status=403,
    )


def page_not_found(request, exception=None):
    """handler404 (Django's own would not run the context processors the layout needs)."""
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: usually a form left open too long or cookies blocked."""
    return render(request, "403_csrf.html", status=403)


def admin_login(request):
    """/admin/login/: the Wagtail admin logs in through allauth (its rate limits,
    verification). Someone already logged in lands here only because Wagtail
    refused them the admin; sending them to the login page again would loop
    (login → /admin/ → here → login ...), so they get the 403 page instead."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.GET.get("next", "/admin/"))
    # Wagtail queued its own refusal ("You do not have permission to access the
    # admin"); the 403 page says it in the site's words instead: the queued
    # message is marked as read (iterating does that) and not shown.
    for _message in messages.get_messages(request):
        pass
    # /admin/ has no language prefix (it would always be Dutch): the member's own.
    with translation.override(user_language(request.user)):
        return permission_denied(request, Forbidden(ADMIN_IS_FOR_EDITORS), messages=[])


# Who may see a refused page, for `login_or_forbid(..., who_may=...)`.
ADMIN_IS_FOR_EDITORS = _(
    "The admin is only for the editors of the site, who edit the community pages. "
    "Does something on a page need to change? Ask a network coordinator."
)
COORDINATORS_ONLY = _("Only the network coordinators may see this page.")


def moderators_and_coordinators(community) -> str:
    return _(
        "Only the moderators of %(community)s and the network coordinators may see this page."
    ) % {"community": community.title}
