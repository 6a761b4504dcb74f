from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "banchengshi.intake"
    label = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        from banchengshi.intake import checks  # noqa: F401  (registers the system check)
