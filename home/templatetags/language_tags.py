from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, language: str) -> str:
    """The current page's address in `language`: the same page with or without the
    `/en/` prefix (Dutch has none), query string kept.

    A link rather than Django's set_language form: the form needs a CSRF token and
    sets a cookie, so no page with it could be served from the anonymous page cache
    (cop_platform/page_cache.py). The language comes from the path alone."""
    return translate_url(context["request"].get_full_path(), language)
