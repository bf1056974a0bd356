from django import template

from communities import permissions

register = template.Library()


@register.simple_tag
def is_manager(user) -> bool:
    """Whether the user manages at least one organisation (one cached query)."""
    return bool(user and permissions.is_manager(user))
