"""Writes for communities: memberships and moderators. Each service checks
permissions through communities.permissions, validates, writes in one
transaction and sends e-mail only after commit."""
