from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SchedulerConfig(AppConfig):
    name = "banchengshi.scheduler"
    verbose_name = _("Scheduler")

    def ready(self) -> None:
        # Each app declares its periodic jobs in its own `jobs` module.
        autodiscover_modules("jobs")
