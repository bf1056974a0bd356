from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from cop_platform.mail import absolute_url, site_name


class AccountAdapter(DefaultAccountAdapter):
    """Keep people in the language they were using: the default redirects ("/")
    would send an English visitor to the Dutch pages. allauth's e-mails speak of the
    site by its name and link to its configured address (BASE_URL), like every other
    e-mail of the platform, not to whatever host the request came in on."""

    def get_login_redirect_url(self, request):
        return translate_url(super().get_login_redirect_url(request), get_language())

    def get_logout_redirect_url(self, request):
        return translate_url(super().get_logout_redirect_url(request), get_language())

    def send_mail(self, template_prefix, email, context):
        request = self.request
        # allauth builds every link in its mails (verification, password reset,
        # signup) from the request's own address; they get the configured one.
        request_root = request.build_absolute_uri("/") if request is not None else None
        context = {key: _configured_address(value, request_root) for key, value in context.items()}
        # The templates greet with current_site.name and sign with current_site.domain.
        context["current_site"] = SimpleNamespace(
            name=site_name(request),
            domain=urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc,
        )
        super().send_mail(template_prefix, email, context)


def _configured_address(value, request_root):
    """`value` with the request's own address replaced by the configured one, when
    it is a link on this site."""
    if request_root and isinstance(value, str) and value.startswith(request_root):
        return absolute_url(value[len(request_root) :])
    return value


def user_display(user) -> str:
    """How allauth's pages and e-mails name a person ("logged in as …"): the name the
    site shows everywhere (their display name, else the name part of their e-mail
    address), never the generated username (settings ACCOUNT_USER_DISPLAY)."""
    return user.display_name
