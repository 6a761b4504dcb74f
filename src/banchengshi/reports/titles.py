"""A report's title in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from banchengshi.reports.metrics import Figures
from banchengshi.reports.periods import PeriodKind


def report_title(figures: Figures) -> str:
    period = figures.period
    who = figures.scope.unit.name if figures.scope.unit else _("the district")
    if period.kind == PeriodKind.MONTH:
        when = _("%(year)d-%(month)02d") % {"year": period.first.year, "month": period.first.month}
        return _("Monthly report of %(who)s, %(when)s") % {"who": who, "when": when}
    if period.kind == PeriodKind.QUARTER:
        return _("Quarterly report of %(who)s, %(when)s") % {"who": who, "when": period.label}
    if period.kind == PeriodKind.YEAR:
        return _("Annual report of %(who)s, %(when)s") % {"who": who, "when": period.label}
    return _("Report of %(who)s, %(when)s") % {"who": who, "when": period.label}
