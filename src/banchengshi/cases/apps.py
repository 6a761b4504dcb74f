from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "banchengshi.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from banchengshi.cases.open_work import forget_if_no_work
        from banchengshi.cases.provisional import on_year_loaded
        from banchengshi.workdays.signals import year_loaded

        # Loading a year's schedule makes the provisional deadlines counted through it final.
        year_loaded.connect(on_year_loaded, dispatch_uid="cases.provisional")
        # `flush` (the tests' reset) empties the tables in no set order and then sends
        # post_migrate: on SQLite the work items may be deleted after the kept counts, whose
        # triggers then leave rows for work no longer there.
        post_migrate.connect(forget_if_no_work, sender=self, dispatch_uid="cases.open_work")
