"""The office's reports on the workbench (R-REP-1): a period and a scope chosen in a form
(GET, so a report has an address to send round), the figures with their definitions, the
breakdowns as bars, and the same report as a workbook."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from banchengshi.cases.access import DISPATCHERS
from banchengshi.cases.models import ClockKind
from banchengshi.errors import NotFound
from banchengshi.ids import parse_number
from banchengshi.org.scope import scope_for
from banchengshi.reports.access import DISTRICT_READERS, check_report_scope, default_unit
from banchengshi.reports.accountability import accountability_list, thresholds
from banchengshi.reports.build import REPORT_KINDS, Format, build_report, parse_kind
from banchengshi.reports.document import (
    COUNT_WORDS,
    labels,
    percent,
    rate_definition,
    rate_words,
)
from banchengshi.reports.exports.ledger_response import check_ledger_format, ledger_response
from banchengshi.reports.interviews import check_record_interview, may_interview
from banchengshi.reports.ledger import check_open_ledger
from banchengshi.reports.metrics import COUNTS, definitions
from banchengshi.reports.models import StoredReport
from banchengshi.reports.periods import PeriodKind, parse_any_period, printable
from banchengshi.reports.selectors import (
    interviews_of,
    last_complete,
    readable_units,
    stored_reports,
)
from banchengshi.reports.titles import report_title
from banchengshi.reports.whatif import Outcome
from banchengshi.reports.whatif_output import OUTCOME_WORDS, kind_label, policy_choices, whatif
from banchengshi.reports.whatif_output import as_json as as_whatif_json
from banchengshi.web.forms.accountability import InterviewForm
from banchengshi.web.staff import signed_in, staff_view

# The counts of the first table, the rest under "more"; every key is in the JSON.
HEADLINE = ("received", "accepted", "on_the_spot", "replied", "replied_on_time", "overdue")


@require_safe
@staff_view
def reports(request: HttpRequest) -> HttpResponse:
    user = signed_in(request).user
    params = request.GET
    kind = parse_kind(params.get("kind") or REPORT_KINDS[0].value)
    period = params.get("period") or last_complete(kind, timezone.localdate()).label
    unit_param = params.get("unit")
    unit_id = parse_number(unit_param) if unit_param else default_unit(user)
    below = params.get("below", "1") != "0"
    scope = check_report_scope(user, unit_id, below=below)
    fmt = params.get("format") or Format.JSON.value
    built = build_report(kind.value, period, scope, fmt)
    if built.format != Format.JSON:
        response = HttpResponse(built.content, content_type=built.content_type)
        response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
        return response
    figures = built.figures
    words = labels()
    counts = figures.counts
    context = {
        "title": report_title(figures),
        "figures": figures,
        "kinds": REPORT_KINDS,
        "kind": kind,
        "period": figures.period.label,
        "units": readable_units(user),
        "district_reader": scope_for(user).has_role(DISTRICT_READERS),
        "may_unmask": scope_for(user).has_role(DISPATCHERS),
        "unit_id": scope.unit.pk if scope.unit else None,
        "below": below,
        "headline": [(key, COUNT_WORDS[key], counts[key]) for key in HEADLINE],
        "others": [(key, COUNT_WORDS[key], counts[key]) for key in COUNTS if key not in HEADLINE],
        "rates": [
            (
                rate.key,
                rate_words(rate.key),
                percent(figures.rates[rate.key]),
                rate_definition(rate.key),
            )
            for rate in definitions().rates
        ],
        "channels": _bars(figures.by_channel, words["channel"]),
        "categories": _bars(figures.by_category, words["category"]),
        "levels": _bars(
            {str(k): v for k, v in figures.satisfaction_levels.items()}, words["level"]
        ),
        "matters": _bars({m.label: m.count for m in figures.top_matters}, {}),
        "causes": _bars({c.label: c.count for c in figures.top_causes}, {}),
        "side_words": words["side"],
    }
    return render(request, "web/reports.html", context)


def _bars(counts: dict[str, int], words: dict[str, str]) -> list[tuple[str, int, int]]:
    """(label, count, width in percent of the largest) for the bars of one breakdown."""
    largest = max(counts.values(), default=0)
    return [
        (words.get(key, key), count, round(100 * count / largest) if largest else 0)
        for key, count in counts.items()
    ]


@require_safe
@staff_view
def stored(request: HttpRequest) -> HttpResponse:
    """The report files kept by the scheduler, newest first."""
    user = signed_in(request).user
    check_report_scope(user, default_unit(user))
    return render(request, "web/reports_stored.html", {"rows": stored_reports(user)})


@require_safe
@staff_view
def stored_file(request: HttpRequest, stored_id: int) -> HttpResponse:
    """One kept file, to whoever may read its scope."""
    found = StoredReport.objects.filter(pk=stored_id).first()
    if found is None:
        raise NotFound(_("There is no such report file."))
    check_report_scope(signed_in(request).user, found.unit_id, below=found.units_below)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise NotFound(
            _("The file of this report is missing from storage; tell your administrator.")
        ) from None
    name = (found.file.name or "").rsplit("/", 1)[-1]
    # staff_view is typed for pages; it passes a streamed file through unchanged.
    return cast(HttpResponse, FileResponse(handle, as_attachment=True, filename=name))


@require_safe
@staff_view
def ledger(request: HttpRequest) -> HttpResponse:
    """The ledger of a period and scope as CSV or XLSX; unmasked only when asked for by a
    dispatcher; every export an audit event."""
    user = signed_in(request).user
    params = request.GET
    unit_param = params.get("unit")
    unit_id = parse_number(unit_param) if unit_param else default_unit(user)
    scope = check_report_scope(user, unit_id, below=params.get("below", "1") != "0")
    period = parse_any_period(params.get("period") or "")
    fmt = check_ledger_format(params.get("format") or "csv")
    opened = check_open_ledger(
        user,
        period,
        scope,
        unmasked=params.get("personal") == "full",
        fmt=fmt,
        path=request.get_full_path(),
    )
    # staff_view is typed for pages; it passes a streamed file through unchanged.
    return cast(HttpResponse, ledger_response(opened, fmt))


@require_safe
@staff_view
def whatif_page(request: HttpRequest) -> HttpResponse:
    """The what-if replay (issue 14 item 6): a period's cases under another policy beside what
    happened, per clock; the cases whose outcome flips link to their pages. Nothing changes."""
    user = signed_in(request).user
    params = request.GET
    unit_param = params.get("unit")
    unit_id = parse_number(unit_param) if unit_param else default_unit(user)
    below = params.get("below", "1") != "0"
    scope = check_report_scope(user, unit_id, below=below)
    period = params.get("period") or last_complete(PeriodKind.MONTH, timezone.localdate()).label
    policy = params.get("policy") or ""
    data = as_whatif_json(whatif(period, scope, policy)) if policy else None
    rows = []
    for clock in data["clocks"] if data else []:
        actual, replayed = clock["actual"], clock["replayed"]
        if any(actual[key] or replayed[key] for key in WHATIF_FIGURES):
            rows.append((clock, percent(actual["on_time_rate"]), percent(replayed["on_time_rate"])))
    context = {
        "period": printable(period),
        "policy": policy,
        "policies": policy_choices(),
        "units": readable_units(user),
        "district_reader": scope_for(user).has_role(DISTRICT_READERS),
        "unit_id": scope.unit.pk if scope.unit else None,
        "below": below,
        "data": data,
        "rows": rows,
        "flipped": [
            (
                row,
                kind_label(ClockKind(row["kind"])),
                OUTCOME_WORDS[Outcome(row["actual"])],
                OUTCOME_WORDS[Outcome(row["replayed"])],
            )
            for row in (data["flipped"] if data else [])
        ],
    }
    return render(request, "web/whatif.html", context)


# A clock kind is shown when either side has one of these.
WHATIF_FIGURES = ("on_time", "late", "open_overdue", "open")


@require_http_methods(["GET", "POST"])
@staff_view
def accountability(request: HttpRequest) -> HttpResponse:
    """The accountability list of a month (or quarter, year), the interviews recorded from it,
    and for the office's administrators the form that records one and may order a
    rectification."""
    user = signed_in(request).user
    check_report_scope(user, None)
    source = request.POST if request.method == "POST" else request.GET
    text = source.get("period") or last_complete(PeriodKind.MONTH, timezone.localdate()).label
    period = parse_any_period(text)
    form = InterviewForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        data = form.cleaned_data
        interview = check_record_interview(
            user,
            unit_id=data["unit"],
            period=period,
            held_on=data["held_on"],
            attendees=data["attendees"],
            notes=data["notes"],
            order=data["order"],
        )
        messages.success(request, _("The interview is recorded."))
        return redirect(
            f"{reverse('web:accountability')}?period={period.label}#interview-{interview.pk}"
        )
    listed = accountability_list(period)
    context = {
        "period": period,
        "listed": listed,
        "interviews": interviews_of(period),
        "may_interview": may_interview(user),
        "blank": InterviewForm(initial={"period": period.label, "held_on": timezone.localdate()}),
        "failed": form,
        "thresholds": thresholds(),
    }
    return render(request, "web/accountability.html", context, status=422 if form else 200)
