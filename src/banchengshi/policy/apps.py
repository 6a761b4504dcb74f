from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "banchengshi.policy"
    verbose_name = _("Time-limit policies")

    def ready(self) -> None:
        from banchengshi.policy import checks  # noqa: F401  (registers the system check)
