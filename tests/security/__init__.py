"""Security suite: access control, CSRF, websockets, headers."""
