from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "banchengshi.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from banchengshi.cases.provisional import on_year_loaded
        from banchengshi.workdays.signals import year_loaded

        # Loading a year's schedule makes the provisional deadlines counted through it final.
        year_loaded.connect(on_year_loaded, dispatch_uid="cases.provisional")
