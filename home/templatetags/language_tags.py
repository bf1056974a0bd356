from django import template
from django.conf import settings
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def default_language_path(context) -> str:
    """The current page's URL in the default language (no language prefix), as the
    language switch's `next`.

    `set_language` lives outside i18n_patterns, so it runs in the default language
    and translates `next` from there: given "/en/" it would read a Dutch page
    called "en" and send the visitor back to "/en/"."""
    request = context["request"]
    return translate_url(request.get_full_path(), settings.LANGUAGE_CODE)
