"""Reports (R-REP-1): one report of a period and a scope, as JSON (one stable key per figure,
docs/reports.md) or as a file, the ledger, and the what-if replay of a period under another
policy. Each handler calls reports.access, then reports.build, .ledger or .whatif_output."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from ninja import P, QueryEx, Router

from banchengshi.api.auth import actor
from banchengshi.api.schemas.base import ERRORS, NO_NUL, Id
from banchengshi.reports.access import check_report_scope
from banchengshi.reports.build import Format, build_report
from banchengshi.reports.exports.ledger_response import check_ledger_format, ledger_response
from banchengshi.reports.ledger import check_open_ledger
from banchengshi.reports.periods import parse_any_period
from banchengshi.reports.whatif_output import as_json as whatif_json
from banchengshi.reports.whatif_output import whatif as whatif_of

router = Router(tags=["reports"])


@router.get(
    "/ledger",
    response={200: None, **ERRORS},
    summary="The ledger (台账) of a period as CSV or XLSX",
    url_name="ledger",
)
def ledger(
    request: HttpRequest,
    period: QueryEx[str, P(max_length=40, pattern=NO_NUL)],
    unit: QueryEx[Id | None, P()] = None,
    below: bool = True,
    format: QueryEx[str, P(max_length=10, pattern=NO_NUL)] = "csv",
    personal: QueryEx[str, P(max_length=10, pattern=NO_NUL)] = "masked",
) -> HttpResponseBase:
    """Every case received in `period` (2026-11, 2026-Q4, 2026 or 2026-11-03..2026-11-20), one
    row each, streamed; `personal=full` (dispatchers only) leaves phone and ID numbers
    unmasked. Each export is written to the audit trail."""
    user = actor(request)
    scope = check_report_scope(user, unit, below=below)
    chosen = parse_any_period(period)
    fmt = check_ledger_format(format)
    opened = check_open_ledger(
        user, chosen, scope, unmasked=personal == "full", fmt=fmt, path=request.get_full_path()
    )
    return ledger_response(opened, fmt)


@router.get(
    "/reports/whatif",
    response={200: dict[str, Any], **ERRORS},
    summary="A period's cases replayed under another policy, beside what happened",
    url_name="whatif",
)
def whatif(
    request: HttpRequest,
    period: QueryEx[str, P(max_length=40, pattern=NO_NUL)],
    policy: QueryEx[str, P(max_length=80, pattern=NO_NUL)],
    unit: QueryEx[Id | None, P()] = None,
    below: bool = True,
) -> Any:
    """The clocks of the cases received in `period` (2026-11, 2026-Q4, 2026 or a range) as they
    ran and as they would have run under `policy` (a policy file's name such as chongming, or a
    kept version's key such as putuo@2023.3): per clock kind on time, late, open and overdue,
    and the on-time rate; the cases whose outcome flips; what the replay had to assume. Reads
    only: no case changes."""
    scope = check_report_scope(actor(request), unit, below=below)
    return whatif_json(whatif_of(period, scope, policy))


@router.get(
    "/reports/{kind}",
    response={200: dict[str, Any], **ERRORS},
    summary="A monthly, quarterly or annual report",
    url_name="report",
)
def report(
    request: HttpRequest,
    kind: str,
    period: QueryEx[str, P(max_length=40, pattern=NO_NUL)],
    unit: QueryEx[Id | None, P()] = None,
    below: bool = True,
    format: QueryEx[str, P(max_length=10, pattern=NO_NUL)] = "json",
) -> Any:
    """`kind` monthly|quarterly|annual, `period` 2026-11|2026-Q4|2026; without `unit`, the
    district (office, hub and inspector only); `below=false` leaves out the units below;
    `format` json (the figures), xlsx (a workbook), pdf or docx (the report as a document)."""
    scope = check_report_scope(actor(request), unit, below=below)
    built = build_report(kind, period, scope, format)
    if built.format == Format.JSON:
        data: dict[str, Any] = json.loads(built.content)
        return data
    response = HttpResponse(built.content, content_type=built.content_type)
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    return response
