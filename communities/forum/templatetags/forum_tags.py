from django import template

from communities.forum import selectors

register = template.Library()


@register.simple_tag
def unread_notification_count(user) -> int:
    """The header's count of unread notifications (mentions): one query for a
    logged-in person, none for an anonymous visitor."""
    return selectors.unread_notification_count(user)
