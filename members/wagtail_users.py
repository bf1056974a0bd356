"""The Wagtail admin's user forms, fitted to this platform's accounts.

People sign up with an e-mail address only and are shown by the display name of
their member profile, so their accounts have no first and last name. Wagtail's
user forms require both, which made a coordinator invent names before they could
deactivate someone or change their groups. Here the two fields are optional, and
one line like every name (the full name is the first display name of a profile).

Wagtail's users app takes this view set from members.users_app.UsersAppConfig,
installed in place of "wagtail.users" (settings.INSTALLED_APPS).
"""

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from cop_platform.sanitize import one_line


class _NamesOptional:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = False

    def clean_first_name(self):
        return one_line(self.cleaned_data.get("first_name"))

    def clean_last_name(self):
        return one_line(self.cleaned_data.get("last_name"))


class MemberCreationForm(_NamesOptional, UserCreationForm):
    pass


class MemberEditForm(_NamesOptional, UserEditForm):
    pass


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return MemberEditForm if for_update else MemberCreationForm
