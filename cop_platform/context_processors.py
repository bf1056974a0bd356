from communities import permissions


def navigation(request):
    """What the header needs to know about the user (the facts of one query, cached)."""
    user = getattr(request, "user", None)
    return {
        "nav_is_coordinator": bool(user and permissions.is_coordinator(user)),
        # Wagtail's user bar checks the permission itself (two queries); asked only
        # for the people the admin is open to.
        "nav_may_open_admin": bool(user and permissions.may_open_admin(user)),
    }
