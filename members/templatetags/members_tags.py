from django import template

from communities import permissions
from members.models import name_of

register = template.Library()


@register.simple_tag
def is_manager(user) -> bool:
    """Whether the user manages at least one organisation (one cached query)."""
    return bool(user and permissions.is_manager(user))


@register.filter
def member_name(user) -> str:
    """`{{ post.author|member_name }}`: the person's name, or "removed member" when the
    account is gone (see members.models.REMOVED_MEMBER)."""
    return name_of(user)
