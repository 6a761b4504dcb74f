"""Public disclosure (R-CAT-3, seed 004 "open work"): the window's figures per center and
month, from the same module of figures the office reads (reports.metrics), with no personal
datum: counts and rates only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from banchengshi.errors import ActionRefused
from banchengshi.reports.document import percent, rate_definition
from banchengshi.reports.metrics import by_unit, compute_figures
from banchengshi.reports.periods import PeriodKind, parse_period
from banchengshi.reports.scopes import ReportScope
from banchengshi.reports.selectors import last_complete
from banchengshi.web.public import PORTAL, page, public_view


@public_view("public_read")
@require_GET
def disclosure(request: HttpRequest) -> HttpResponse:
    default = last_complete(PeriodKind.MONTH, timezone.localdate())
    asked = request.GET.get("month", "")
    error = ""
    try:
        period = parse_period(PeriodKind.MONTH, asked) if asked else default
    except ActionRefused as refused:
        error, period = str(refused.message), default
    if period.first > default.first:
        period = default
    district = compute_figures(period, ReportScope())
    centers = sorted(by_unit(period, "registered_unit"), key=lambda row: -row.received)
    context = {
        "period": period,
        "district": district,
        "centers": [
            (
                row,
                percent(row.on_the_spot_rate),
                percent(row.on_time_rate),
                percent(row.satisfaction_rate),
            )
            for row in centers
        ],
        "error": error,
        "definitions": [
            rate_definition(key)
            for key in ("on_the_spot_rate", "on_time_rate", "satisfaction_rate")
        ],
    }
    return page(request, PORTAL, "web/public_disclosure.html", context)
