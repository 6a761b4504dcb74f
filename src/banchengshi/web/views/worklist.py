"""The workbench home: the person's worklist, most urgent first, with counts by colour.

The counts and rows are one fragment that the page reloads every 30 seconds through htmx
(`worklist_rows`), with the same filters; without JavaScript the page works as a plain form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from banchengshi.cases import selectors
from banchengshi.cases.selectors import work_colour, work_units
from banchengshi.org.scope import Scope
from banchengshi.web.forms.lists import WORK_PER_PAGE, WorkFilterForm
from banchengshi.web.staff import signed_in, staff_view


def _context(request: HttpRequest, person: Scope) -> dict[str, Any]:
    units = work_units(person)
    form = WorkFilterForm(request.GET, [(u.pk, u.name) for u in units])
    filters = form.filters()
    page = selectors.worklist(
        person, page=form.cleaned_data.get("page") or 1, per_page=WORK_PER_PAGE, filters=filters
    )
    now = timezone.now()
    return {
        "form": form,
        "work": page,
        "rows": [(item, work_colour(item, now)) for item in page.items],
        "has_queue": bool(units),
        "show_unit": len(units) > 1,
        "filtered": any(value for name, value in form.cleaned_data.items() if name != "page"),
        "now": now,
    }


@require_GET
@staff_view
def worklist(request: HttpRequest) -> HttpResponse:
    return render(request, "web/worklist.html", _context(request, signed_in(request).scope))


@require_GET
@staff_view
def worklist_rows(request: HttpRequest) -> HttpResponse:
    """The counts and rows alone, for the page's periodic refresh."""
    return render(request, "web/worklist_rows.html", _context(request, signed_in(request).scope))
