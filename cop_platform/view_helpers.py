"""Small helpers every app's views share (the permission answers themselves come
from communities/permissions.py; these only turn them into responses)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError

from cop_platform.errors import Forbidden


def login_or_forbid(request, allowed: bool = True, who_may: str = "", anonymous=None):
    """A redirect to the login page for anonymous visitors (return it); 403 for
    logged-in people without the right; None when the view may go on. `who_may`
    (translated) tells the refused person on the 403 page who may see the page.
    `anonymous`, a callable returning a response, replaces the redirect where a
    page explains to visitors what logging in would show them.

    Usage: `if response := login_or_forbid(request, permissions.can_x(...)): return response`"""
    if not request.user.is_authenticated:
        return anonymous() if anonymous else redirect_to_login(request.get_full_path())
    if not allowed:
        raise Forbidden(who_may) if who_may else PermissionDenied
    return None


def login_needed(view):
    """`login_or_forbid(request)` as a decorator, for views that need a login and
    decide everything else themselves (the project's one way to require a login)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if response := login_or_forbid(request):
            return response
        return view(request, *args, **kwargs)

    return wrapped


def add_validation_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the
    form has that field, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for text in error.messages:
            form.add_error(None, text)
