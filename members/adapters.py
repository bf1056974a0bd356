from allauth.account.adapter import DefaultAccountAdapter
from django.urls import translate_url
from django.utils.translation import get_language


class AccountAdapter(DefaultAccountAdapter):
    """Keep people in the language they were using: the default redirects ("/")
    would send an English visitor to the Dutch pages."""

    def get_login_redirect_url(self, request):
        return translate_url(super().get_login_redirect_url(request), get_language())

    def get_logout_redirect_url(self, request):
        return translate_url(super().get_logout_redirect_url(request), get_language())
