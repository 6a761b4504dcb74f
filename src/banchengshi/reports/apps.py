from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """What the office and its leaders read (R-REP-*, R-CAT-2): one module of figures over
    everything the other apps record, the periodic reports and their exports."""

    name = "banchengshi.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from banchengshi.cases.signals import past_intake_changed
        from banchengshi.reports import checks  # noqa: F401  (registers the system check)
        from banchengshi.reports.intake import on_past_intake_changed

        # A case back-dated or linked late: the dashboard's kept intake forgets those days.
        past_intake_changed.connect(on_past_intake_changed, dispatch_uid="reports.intake")
