from communities import permissions


def navigation(request):
    """What the header needs to know about the user (one cached permission check)."""
    user = getattr(request, "user", None)
    return {"nav_is_coordinator": bool(user and permissions.is_coordinator(user))}
