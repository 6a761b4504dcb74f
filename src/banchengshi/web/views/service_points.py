"""Service points on the workbench (R-NB-1): the list (status, open faults, last
inspection; the person's points only), a point's page with its equipment, matters, status
history, inspections and faults, and the forms of its actions: the office administrators
create and change points, their status and equipment; the street's neighbourhood staff
record inspections and repairs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from banchengshi.errors import Forbidden, InvalidInput, NotFound
from banchengshi.neighborhood.points.access import may_inspect, may_list, may_manage
from banchengshi.neighborhood.points.actions import (
    check_add_equipment,
    check_change_point,
    check_change_status,
    check_create_point,
    check_remove_equipment,
)
from banchengshi.neighborhood.points.checks import clean_details
from banchengshi.neighborhood.points.inspections import (
    Finding,
    check_record_inspection,
    check_record_repair,
)
from banchengshi.neighborhood.points.models import Inspection
from banchengshi.neighborhood.points.selectors import find_point, point_view, staff_points
from banchengshi.org.scope import Scope
from banchengshi.web.forms.points import (
    EquipmentForm,
    InspectionForm,
    NewPointForm,
    PointForm,
    RemoveEquipmentForm,
    RepairForm,
    StatusFilterForm,
    StatusForm,
)
from banchengshi.web.params import page_number
from banchengshi.web.staff import signed_in, staff_view

PER_PAGE = 50


def _viewer(scope: Scope) -> None:
    if not may_list(scope):
        raise Forbidden(
            _("Service points are for the office, neighbourhood staff and window heads.")
        )


def _errors_into(form: forms.Form, invalid: InvalidInput) -> None:
    for field, errors in invalid.errors.items():
        form.add_error(field if field in form.fields else None, [str(e) for e in errors])


@require_safe
@staff_view
def points(request: HttpRequest) -> HttpResponse:
    scope = signed_in(request).scope
    _viewer(scope)
    filters = StatusFilterForm(request.GET)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    current = Paginator(staff_points(scope, status=status), PER_PAGE).get_page(
        page_number(request.GET)
    )
    context = {
        "page": current,
        "filters": filters,
        "status": status,
        "may_manage": may_manage(scope),
    }
    return render(request, "web/points.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view
def point_new(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    if not may_manage(person.scope):
        raise Forbidden(_("Only the office administrators manage service points."))
    form = NewPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            point = check_create_point(
                person.user,
                center_id=form.cleaned_data["center"].pk,
                details=clean_details(**form.details()),
            )
        except InvalidInput as invalid:
            _errors_into(form, invalid)
        else:
            messages.success(request, _("The service point is created, as planned."))
            return redirect("web:staff_point", point.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/point_form.html", {"form": form, "point": None}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view
def point_edit(request: HttpRequest, point_id: int) -> HttpResponse:
    person = signed_in(request)
    point = find_point(person.scope, point_id)
    if not may_manage(person.scope):
        raise Forbidden(_("Only the office administrators manage service points."))
    initial = {
        "name": point.unit.name,
        "kind": point.kind,
        "address": point.address,
        "latitude": point.latitude if point.latitude is not None else "",
        "longitude": point.longitude if point.longitude is not None else "",
        "opening_hours": point.opening_hours,
        "matters": list(point.matters.all()),
    }
    form = PointForm(request.POST or None, initial=initial, point=point)
    if request.method == "POST" and form.is_valid():
        try:
            check_change_point(person.user, point.pk, details=clean_details(**form.details()))
        except InvalidInput as invalid:
            _errors_into(form, invalid)
        else:
            messages.success(request, _("The point's details are saved."))
            return redirect("web:staff_point", point.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/point_form.html", {"form": form, "point": point}, status=status)


def _forms(view: Any, scope: Scope, bound: dict[str, forms.Form]) -> dict[str, Any]:
    """The forms the person may use on this point, the one just sent bound."""
    point = view.point
    found: dict[str, Any] = {}
    if may_manage(scope):
        found["status_form"] = bound.get("status") or StatusForm()
        found["equipment_form"] = bound.get("equipment") or EquipmentForm()
        found["remove_form"] = bound.get("remove") or RemoveEquipmentForm()
    if may_inspect(scope, point):
        found["inspection_form"] = bound.get("inspect") or InspectionForm(devices=view.devices)
        found["repair_form"] = bound.get("repair") or RepairForm()
    return found


def _page(
    request: HttpRequest, point_id: int, bound: dict[str, forms.Form], status: int
) -> HttpResponse:
    scope = signed_in(request).scope
    _viewer(scope)
    view = point_view(scope, point_id)
    context = {
        "view": view,
        "point": view.point,
        "may_manage": may_manage(scope),
        **_forms(view, scope, bound),
    }
    return render(request, "web/point.html", context, status=status)


@require_safe
@staff_view
def point(request: HttpRequest, point_id: int) -> HttpResponse:
    return _page(request, point_id, {}, 200)


@dataclass(frozen=True)
class Submission:
    """One action's form as sent, the action to run once it is valid, what to say after."""

    form: forms.Form
    run: Callable[[], object]
    done: str


ActForm = Callable[[HttpRequest, int, int | None], Submission]


def _status(request: HttpRequest, point_id: int, _target: int | None) -> Submission:
    form = StatusForm(request.POST)
    user = signed_in(request).user
    return Submission(
        form,
        lambda: check_change_status(user, point_id, **form.cleaned_data),
        _("The status is changed."),
    )


def _equipment(request: HttpRequest, point_id: int, _target: int | None) -> Submission:
    form = EquipmentForm(request.POST)
    user = signed_in(request).user
    return Submission(
        form,
        lambda: check_add_equipment(user, point_id, **form.cleaned_data),
        _("The device is added."),
    )


def _remove(request: HttpRequest, point_id: int, target: int | None) -> Submission:
    form = RemoveEquipmentForm(request.POST)
    user = signed_in(request).user
    return Submission(
        form,
        lambda: check_remove_equipment(
            user, point_id, equipment_id=target or 0, reason=form.cleaned_data["reason"]
        ),
        _("The device is removed."),
    )


def _inspect(request: HttpRequest, point_id: int, _target: int | None) -> Submission:
    person = signed_in(request)
    view = point_view(person.scope, point_id)
    form = InspectionForm(request.POST, request.FILES, devices=view.devices)

    def act() -> object:
        data = form.cleaned_data
        return check_record_inspection(
            person.user,
            point_id,
            inspected_on=data["inspected_on"],
            findings=[Finding(pk, working, fault) for pk, working, fault in form.findings()],
            note=data["note"],
            photo=data["photo"],
        )

    return Submission(form, act, _("The inspection is recorded."))


def _repair(request: HttpRequest, point_id: int, target: int | None) -> Submission:
    form = RepairForm(request.POST)
    user = signed_in(request).user
    return Submission(
        form,
        lambda: check_record_repair(user, point_id, fault_id=target or 0, **form.cleaned_data),
        _("The repair is recorded; the fault is closed."),
    )


ACTS: dict[str, ActForm] = {
    "status": _status,
    "equipment": _equipment,
    "remove": _remove,
    "inspect": _inspect,
    "repair": _repair,
}


@require_POST
@staff_view
def point_act(
    request: HttpRequest, point_id: int, act: str, target: int | None = None
) -> HttpResponse:
    """One action's form: done → back to the point's page with a message; refused input →
    the page again with the form's errors (422)."""
    build = ACTS.get(act)
    if build is None:
        raise NotFound(_("No such action."))
    sent = build(request, point_id, target)
    if sent.form.is_valid():
        try:
            sent.run()
        except InvalidInput as invalid:
            _errors_into(sent.form, invalid)
        else:
            messages.success(request, sent.done)
            return redirect("web:staff_point", point_id)
    return _page(request, point_id, {act: sent.form}, 422)


@require_safe
@staff_view
def inspection_photo(request: HttpRequest, point_id: int, inspection_id: int) -> HttpResponse:
    point = find_point(signed_in(request).scope, point_id)
    inspection = Inspection.objects.filter(pk=inspection_id, point=point).first()
    if inspection is None or not inspection.photo:
        raise NotFound(_("No such photo."))
    try:
        handle = inspection.photo.open("rb")
    except FileNotFoundError:
        raise NotFound(_("The photo is missing from storage; tell your administrator.")) from None
    png = (inspection.photo.name or "").endswith(".png")
    response = FileResponse(handle, content_type="image/png" if png else "image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # staff_view is typed for pages; it passes a streamed file through unchanged.
    return cast(HttpResponse, response)
