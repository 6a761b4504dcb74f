"""Public pages of service evaluations (好差评): the SMS invitation's page `/e/<token>/`, where
the person rates once with five large faces (elderly-friendly, phones), and the figures
`/evaluations/` per unit and month — counts per level and the satisfaction rate, no personal
data, ratings whose appeal was upheld left out. The invitation's page shows the unit and the
matter only: never another person's rating, nor this one's after it was sent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from banchengshi.errors import InvalidInput, InvalidState
from banchengshi.evaluation.actions.invites import check_rate_invite, find_invite, require_open
from banchengshi.evaluation.selectors import CountBy, evaluation_counts, month_bounds
from banchengshi.web.forms.evaluations import FacesForm
from banchengshi.web.public import PORTAL, page, public_view
from banchengshi.web.views.rate import faces
from banchengshi.workdays.calendar import local_date

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@public_view("public_rate")
@require_http_methods(["GET", "HEAD", "POST"])
def invite(request: HttpRequest, token: str) -> HttpResponse:
    found = find_invite(token)
    done = request.GET.get("done") == "1"
    form = FacesForm(request.POST if request.method == "POST" else None)
    status = 200
    if not done:
        try:
            require_open(found, timezone.now())
        except InvalidState as closed:
            closed_page = {"message": closed.message}
            return page(
                request, PORTAL, "web/public_evaluation_closed.html", closed_page, status=409
            )
    if form.is_bound:
        if form.is_valid():
            try:
                check_rate_invite(token, **form.cleaned_data)
            except InvalidInput as exc:
                form.show_errors(exc.errors)
            else:
                return redirect(f"{request.path}?done=1")
        status = 422
    context: dict[str, Any] = {"invite": found, "form": form, "faces": faces(), "done": done}
    return page(request, PORTAL, "web/public_evaluation.html", context, status=status)


def _month(value: str | None, today: dt.date) -> tuple[int, int]:
    match = MONTH.fullmatch(value or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if (
            2000 <= year <= today.year
            and 1 <= month <= 12
            and (year, month) <= (today.year, today.month)
        ):
            return year, month
    return today.year, today.month


@public_view("public_read")
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    today = local_date(timezone.now())
    year, month = _month(request.GET.get("month"), today)
    start, end = month_bounds(year, month)
    rows = evaluation_counts(start, end, by=[CountBy.UNIT])
    total = evaluation_counts(start, end, by=[])
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    context = {
        "month": f"{year}-{month:02d}",
        "rows": rows,
        "total": total[0] if total else None,
        "previous": f"{previous[0]}-{previous[1]:02d}",
        "next": f"{following[0]}-{following[1]:02d}"
        if following <= (today.year, today.month)
        else "",
        "levels": faces(),
    }
    return page(request, PORTAL, "web/public_evaluations.html", context)
