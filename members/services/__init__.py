"""Writes concerning people: profiles and accounts, managers, roles, targets, the
self-test, development agreements and personal data. One module per subject;
the profile services stay importable from `members.services`."""

from members.services.profiles import ensure_dev_coordinator, profile_ensure, profile_update

__all__ = ["ensure_dev_coordinator", "profile_ensure", "profile_update"]
