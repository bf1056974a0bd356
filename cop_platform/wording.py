"""Wording of third-party strings that we translate differently.

allauth's Dutch catalogue calls logging in "Aanmelden"; on this platform
"aanmelden" means applying to a community, so logging in is "Inloggen". Our
catalogue (LOCALE_PATHS) takes precedence over allauth's; listing the msgids
here keeps `makemessages` from dropping them.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN_MSGIDS = [
    gettext_noop("Sign In"),
    gettext_noop("Sign in"),
    gettext_noop("Sign Out"),
    gettext_noop("Sign out"),
    gettext_noop("Sign In Via Email"),
    gettext_noop("Sign Up"),
    gettext_noop("Sign up"),
]
