"""Wording of third-party strings that we translate differently.

allauth's Dutch catalogue calls logging in "Aanmelden"; on this platform
"aanmelden" means applying to a community, so logging in is "Inloggen" (and
logging out "Uitloggen"). Django's password validators and a few allauth texts
say "u" and "a.u.b."; the site says "je". Our catalogue (LOCALE_PATHS) takes
precedence over allauth's and Django's; listing the msgids here keeps
`makemessages` from dropping them.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Wagtail's migrations create the groups "Editors" and "Moderators" (who approve and
# publish pages); migration home 0002 gives them these Dutch names, the second chosen
# so that nobody mistakes Wagtail's page approvers for a community's moderators.
EDITORS_GROUP = "Redacteuren"
PUBLISHERS_GROUP = "Eindredacteuren"

OVERRIDDEN_MSGIDS = [
    gettext_noop("Sign In"),
    gettext_noop("Sign in"),
    gettext_noop("Sign Out"),
    gettext_noop("Sign out"),
    gettext_noop("Sign In Via Email"),
    gettext_noop("Sign Up"),
    gettext_noop("Sign up"),
    # allauth: logging in with a code, logging out, and its "a.u.b." texts.
    gettext_noop("Enter Sign-In Code"),
    gettext_noop("Your sign-in code is listed below. Please enter it in your open browser window."),
    gettext_noop("Sign-In Code"),
    gettext_noop("Send me a sign-in code"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("You have signed out."),
    gettext_noop("A sign-in code has been sent to %(recipient)s."),
    gettext_noop("Other sign-in options"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam "
        "folder. Otherwise contact us if you do not receive it in a few minutes."
    ),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to "
        "finalize the signup process. If you do not see the verification email in your "
        "main inbox, check your spam folder. Please contact us if you do not receive the "
        "verification email within a few minutes."
    ),
    gettext_noop(
        "We have sent an email to you for\nverification. Please click on the link inside "
        "that email. If you do not see the verification email in your main inbox, check "
        "your spam folder. Otherwise\ncontact us if you do not receive it within a few "
        "minutes."
    ),
    # Django's password validators (their help texts are the sign-up form's hints).
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
]
OVERRIDDEN_PLURAL_MSGIDS = [
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
]
