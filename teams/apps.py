from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    """An organisation's team in the communities: the manager's why, the network's
    examples, the team workshop and the koffer (issue 15, lessons 2, 10 and 11)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "teams"
    verbose_name = _("Teams")

    def ready(self):
        from members.personal_data import register
        from teams.personal_data import erase_koffer, export_koffer

        register("teams", exporter=export_koffer, eraser=erase_koffer)
