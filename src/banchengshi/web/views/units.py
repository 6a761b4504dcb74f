"""Units: the units within a person's reach with their open work, and one unit's page (its
cases by state and colour, a page of them, its people and the units below it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from banchengshi.cases import queues
from banchengshi.cases.selectors import COUNT_CAP
from banchengshi.web.forms.lists import UnitCasesForm
from banchengshi.web.staff import signed_in, staff_view


@require_GET
@staff_view
def units(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/units.html", {"loads": queues.units_in_reach(signed_in(request).scope)}
    )


@require_GET
@staff_view
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    form = UnitCasesForm(request.GET, label_suffix="")
    form.is_valid()
    chosen = form.cleaned_data
    overview = queues.unit_overview(
        signed_in(request).scope,
        unit_id,
        state=chosen.get("state", ""),
        colour=chosen.get("colour", ""),
        page=chosen.get("page") or 1,
    )
    context = {"overview": overview, "form": form, "cap": COUNT_CAP}
    return render(request, "web/units_unit.html", context)
