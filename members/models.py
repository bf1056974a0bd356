from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The platform's user. People log in with their e-mail address (allauth);
    the username is generated and never shown."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
