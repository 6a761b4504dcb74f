"""Remote virtual window sessions (R-NB-2): the sessions the caller sees in a period, a page at
a time, with the period's counts per point and per center (one selector each)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import P, QueryEx, Router

from banchengshi.api.auth import actor
from banchengshi.api.schemas.base import ERRORS, Day
from banchengshi.api.schemas.sessions import SessionCountsOut, SessionListOut, SessionOut
from banchengshi.cases.selectors import WORK_COUNT_CAP
from banchengshi.errors import InvalidInput
from banchengshi.neighborhood.sessions.models import Side
from banchengshi.neighborhood.sessions.personal_data import log_session_rows
from banchengshi.neighborhood.sessions.selectors import (
    PER_PAGE,
    session_counts,
    sessions_page,
)
from banchengshi.org.scope import scope_for

router = Router(tags=["remote sessions"])


@router.get(
    "/remote-sessions",
    response={200: SessionListOut, **ERRORS},
    summary="Remote window sessions and their counts",
)
def remote_sessions(
    request: HttpRequest,
    start: QueryEx[
        Day | None, P(description="first day (Asia/Shanghai); this month's first")
    ] = None,
    end: QueryEx[Day | None, P(description="last day, included; today")] = None,
    page: QueryEx[int, P(ge=1, le=WORK_COUNT_CAP // PER_PAGE)] = 1,
) -> SessionListOut:
    """Newest first, within the caller's reach: a point's staff their point's, a street's
    center its points', the office, hub and inspectors all."""
    today = timezone.localdate()
    start = start or today.replace(day=1)
    end = end or max(today, start)
    if end < start:
        raise InvalidInput({"end": [_("The last day comes before the first.")]})
    scope = scope_for(actor(request))
    found = sessions_page(scope, start=start, end=end, page=page)
    log_session_rows(request, found.rows)
    return SessionListOut(
        start=start,
        end=end,
        items=[SessionOut.of(row) for row in found.rows],
        total=found.count,
        total_cap=found.cap,
        page=found.page,
        per_page=found.per_page,
        counts=SessionCountsOut.of(
            session_counts(start, end, by=Side.POINT, scope=scope),
            session_counts(start, end, by=Side.CENTER, scope=scope),
        ),
    )
