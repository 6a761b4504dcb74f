"""The dashboard (R-REP-4): live open work by colour, the most overdue, the intake by week and
month, last month's league table (with each unit's open rectification items) and the newest hot
spots. The panel refreshes itself (htmx) every minute; the charts (ECharts, vendored,
web/dashboard.js) are drawn from the figures the panel carries as JSON and drawn again after
each refresh; without JavaScript the tables and CSS bars are the page. Every number links to
the cases behind it: `dashboard_work` (open work of a colour) and `dashboard_cases` (the cases
of a period counted in a figure); the rectification counts to the rectification list."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from banchengshi.cases.queues import PER_PAGE
from banchengshi.cases.selectors import COUNT_CAP
from banchengshi.errors import InvalidInput
from banchengshi.ids import parse_number
from banchengshi.knowledge.rectification.selectors import ListStatus, OpenItems
from banchengshi.org.scope import scope_for
from banchengshi.reports.access import check_report_scope, default_unit
from banchengshi.reports.dashboard import Bar, Dashboard, dashboard
from banchengshi.reports.document import COUNT_WORDS, percent
from banchengshi.reports.drilldown import check_colour, figure_cases, open_work
from banchengshi.reports.league import LEAGUE_EVERY
from banchengshi.reports.periods import parse_any_period, printable
from banchengshi.web.staff import signed_in, staff_view

LAST_PAGE = COUNT_CAP // PER_PAGE
NO_RECTIFICATION = OpenItems(open=0, overdue=0)


def cases_link(period: str, figure: str, unit_id: int | None = None) -> str:
    query: dict[str, str | int] = {"period": period, "figure": figure}
    if unit_id is not None:
        query["unit"] = unit_id
    return f"{reverse('web:dashboard_cases')}?{urlencode(query)}"


def _bar_range(bar: Bar) -> str:
    return f"{bar.first.isoformat()}..{bar.last.isoformat()}"


def _rate(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def chart_data(board: Dashboard) -> dict[str, Any]:
    """What web/dashboard.js draws: each series with the address of the cases behind each
    point, and the words of its axes in the reader's language."""
    period = board.league_period
    return {
        "weeks": {
            "title": _("Appeals received by week"),
            "labels": [bar.label for bar in board.weeks],
            "counts": [bar.count for bar in board.weeks],
            "links": [cases_link(_bar_range(bar), "received") for bar in board.weeks],
        },
        "months": {
            "title": _("Appeals received by month"),
            "labels": [bar.label for bar in board.months],
            "counts": [bar.count for bar in board.months],
            "links": [cases_link(bar.label, "received") for bar in board.months],
        },
        "league": {
            "title": _("Units in %(period)s") % {"period": period},
            "units": [row.unit_name for row in board.league],
            "series": [
                {
                    "name": _("on-time reply rate"),
                    "values": [_rate(row.on_time_rate) for row in board.league],
                    "links": [cases_link(period, "replied", row.unit_id) for row in board.league],
                },
                {
                    "name": _("satisfaction rate"),
                    "values": [_rate(row.satisfaction_rate) for row in board.league],
                    "links": [cases_link(period, "rated", row.unit_id) for row in board.league],
                },
            ],
        },
    }


def _width(count: int, largest: int) -> int:
    return round(100 * count / largest) if largest else 0


@require_safe
@staff_view
def dashboard_page(request: HttpRequest) -> HttpResponse:
    user = signed_in(request).user
    check_report_scope(user, default_unit(user))
    board = dashboard(scope_for(user))
    largest_week = max((bar.count for bar in board.weeks), default=0)
    largest_month = max((bar.count for bar in board.months), default=0)
    period = board.league_period
    rectifications = reverse("web:rectifications")
    context = {
        "board": board,
        "chart_data": chart_data(board),
        # The league is a snapshot the scheduler computes this often (reports.league).
        "league_minutes": LEAGUE_EVERY // dt.timedelta(minutes=1),
        "weeks": [
            (bar, _width(bar.count, largest_week), cases_link(_bar_range(bar), "received"))
            for bar in board.weeks
        ],
        "months": [
            (bar, _width(bar.count, largest_month), cases_link(bar.label, "received"))
            for bar in board.months
        ],
        "league": [
            (
                row,
                percent(row.on_time_rate),
                percent(row.satisfaction_rate),
                {
                    figure: cases_link(period, figure, row.unit_id)
                    for figure in ("received", "replied", "rated", "overdue", "supervised")
                },
                board.rectification.get(row.unit_id, NO_RECTIFICATION),
                {
                    status: f"{rectifications}?{urlencode({'unit': row.unit_id, 'status': status})}"
                    for status in (ListStatus.OPEN, ListStatus.OVERDUE)
                },
            )
            for row in board.league
        ],
    }
    fragment = bool(getattr(request, "htmx", False))
    return render(request, f"web/dashboard{'_panel' if fragment else ''}.html", context)


def _page(request: HttpRequest) -> int:
    return parse_number(request.GET.get("page"), high=LAST_PAGE) or 1


@require_safe
@staff_view
def dashboard_work(request: HttpRequest) -> HttpResponse:
    """The open work behind a colour count of the dashboard, most overdue first."""
    user = signed_in(request).user
    check_report_scope(user, default_unit(user))
    colour = check_colour(request.GET.get("colour", ""))
    found = open_work(scope_for(user), colour=colour, page=_page(request))
    return render(request, "web/dashboard_work.html", {"found": found, "colour": colour})


@require_safe
@staff_view
def dashboard_cases(request: HttpRequest) -> HttpResponse:
    """The cases of a period counted in one figure: of one responsible unit (a league cell)
    or of the reader's units (a week's or a month's intake)."""
    user = signed_in(request).user
    params = request.GET
    unit_param = params.get("unit", "")
    unit_id = parse_number(unit_param) if unit_param else None
    if unit_param and unit_id is None:
        raise InvalidInput(
            {"unit": [_("“%(unit)s” is no unit number.") % {"unit": printable(unit_param)}]}
        )
    report_scope = check_report_scope(user, unit_id if unit_id else default_unit(user))
    period = parse_any_period(params.get("period", ""))
    figure = params.get("figure", "received")
    found = figure_cases(
        scope_for(user), period, figure=figure, owner_unit_id=unit_id, page=_page(request)
    )
    context = {
        "found": found,
        "period": period,
        "figure": COUNT_WORDS[figure],
        "unit": report_scope.unit if unit_id else None,
    }
    return render(request, "web/dashboard_cases.html", context)
