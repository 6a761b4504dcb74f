"""Door-to-door assistance on the workbench (R-NB-3): the requests a person's streets have
(`/staff/assistance/`), a new request, a request's page with the form of its next step, and
the service list. Thin: forms map fields to the actions of neighborhood.assistance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from banchengshi.audit.personal_data import log_request_view
from banchengshi.catalog.models import Matter
from banchengshi.errors import Forbidden, InvalidInput
from banchengshi.identifiers import mask_phone
from banchengshi.neighborhood.assistance import actions, services
from banchengshi.neighborhood.assistance.access import may_act, may_use
from banchengshi.neighborhood.assistance.models import AssistanceRequest, Difficulty, Stage
from banchengshi.neighborhood.assistance.selectors import (
    history,
    request_for,
    request_page,
    service_list,
    services_for,
    streets_for,
)
from banchengshi.org.names import full_name
from banchengshi.org.scope import Scope
from banchengshi.web.forms.assistance import (
    ApprovalForm,
    EvaluationForm,
    RequestForm,
    ReviewForm,
    ScheduleForm,
    ServiceAddForm,
    ServiceChangeForm,
    VisitForm,
)
from banchengshi.web.params import page_number
from banchengshi.web.staff import signed_in, staff_view

# The form of each stage's next step, by the URL's step name.
STEP_OF_STAGE = {
    Stage.REGISTERED: "review",
    Stage.ELIGIBLE: "schedule",
    Stage.SCHEDULED: "visit",
    Stage.VISITED: "evaluate",
    Stage.EVALUATED: "approval",
}


def _require_use(scope: Scope) -> None:
    if not may_use(scope):
        raise Forbidden(_("Door-to-door service is for the streets' staff and the office."))


def _apply(form: forms.Form, call: Callable[[], Any]) -> Any:
    """The action's result, or None with its refusals under the form's fields."""
    if not form.is_valid():
        return None
    try:
        return call()
    except InvalidInput as invalid:
        for field, errors in invalid.errors.items():
            form.add_error(field if field in form.fields else None, [str(e) for e in errors])
        return None


@require_safe
@staff_view
def request_list(request: HttpRequest) -> HttpResponse:
    scope = signed_in(request).scope
    _require_use(scope)
    stage = request.GET.get("stage", "")
    page = request_page(scope, stage=stage, page=page_number(request.GET))
    context = {
        "page": page,
        "stage": stage if stage in Stage.values else "",
        "stages": Stage.choices,
        "may_register": bool(streets_for(scope).exists()),
    }
    return render(request, "web/assistance_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view
def request_new(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    _require_use(person.scope)
    streets = list(streets_for(person.scope))
    if not streets:
        raise Forbidden(_("Only the streets' neighbourhood staff register requests."))
    street = _chosen_street(request, streets)
    form = RequestForm(
        request.POST or None,
        streets=streets,
        services=list(services_for(street)),
        initial={"street_id": street},
    )
    status = 200
    if request.method == "POST":
        created = _apply(form, lambda: actions.check_register_request(person.user, form.request()))
        if created is not None:
            messages.success(request, _("The request is registered; review it next."))
            return redirect("web:assistance_request", created.pk)
        status = 422
    context = {"form": form, "streets": streets, "street": street}
    return render(request, "web/assistance_new.html", context, status=status)


def _chosen_street(request: HttpRequest, streets: list[Any]) -> int:
    """The street whose services the form offers: the one posted or asked for, else the
    person's first (a street's list adds to the district's)."""
    wanted = request.POST.get("street_id") or request.GET.get("street")
    ids = [unit.pk for unit in streets]
    return next((pk for pk in ids if str(pk) == wanted), ids[0])


def _visible(scope: Scope, request_id: int) -> AssistanceRequest:
    found = request_for(scope, request_id)
    if found is None:
        raise Http404
    return found


def _step_form(found: AssistanceRequest, step: str, data: Any = None) -> forms.Form | None:
    if step == "review":
        return ReviewForm(data)
    if step == "schedule":
        staff = actions.street_staff(found.street_id)
        names = {user.pk: full_name(user) for user in _users(staff)}
        initial = {"materials": "\n".join(found.materials)}
        return ScheduleForm(data, staff=[(pk, names[pk]) for pk in staff], initial=initial)
    if step == "visit":
        return VisitForm(data, materials=found.materials)
    if step == "evaluate":
        return EvaluationForm(data)
    if step == "approval":
        return ApprovalForm(data)
    return None


def _users(ids: list[int]) -> list[User]:
    return list(User.objects.filter(pk__in=ids))


@require_safe
@staff_view
def request_page_view(request: HttpRequest, request_id: int) -> HttpResponse:
    scope = signed_in(request).scope
    found = _visible(scope, request_id)
    return _render_request(request, found, None, None)


def _render_request(
    request: HttpRequest,
    found: AssistanceRequest,
    step: str | None,
    form: forms.Form | None,
    status: int = 200,
) -> HttpResponse:
    """`form`: the posted form of `step`, shown again with its errors in its place."""
    person = signed_in(request)
    acting = may_act(person.user, found.street_id)
    next_step = STEP_OF_STAGE.get(Stage(found.stage)) if acting else None
    step_form = form if step == next_step else None
    if next_step is not None and step_form is None:
        step_form = _step_form(found, next_step)
    reschedule = None
    if acting and found.stage == Stage.SCHEDULED:
        reschedule = form if step == "schedule" else _step_form(found, "schedule")
    log_request_view(
        request,
        subject=f"assistance request {found.pk}",
        unmasked=acting,
        phone=found.phone,
    )
    context = {
        "req": found,
        "phone": found.phone if acting else mask_phone(found.phone),
        "address": found.address if acting else found.address[:6] + "…",
        "events": history(found),
        "step": next_step,
        "form": step_form,
        "reschedule": reschedule,
    }
    return render(request, "web/assistance_request.html", context, status=status)


def appointment_of(form: forms.Form) -> Any:
    assert isinstance(form, ScheduleForm)
    return form.appointment_value()


STEPS: dict[str, Callable[[Any, int, forms.Form], Any]] = {
    "review": lambda user, pk, form: actions.check_review(
        user,
        pk,
        eligible=form.cleaned_data.get("eligible") == "yes",
        note=form.cleaned_data.get("note") or "",
    ),
    "schedule": lambda user, pk, form: actions.check_schedule(
        user,
        pk,
        appointment=appointment_of(form),
        staff_id=form.cleaned_data.get("staff_id"),
        materials=(form.cleaned_data.get("materials") or "").splitlines(),
    ),
    "visit": lambda user, pk, form: actions.check_record_visit(
        user,
        pk,
        note=form.cleaned_data.get("note") or "",
        collected=list(form.cleaned_data.get("collected") or []),
    ),
    "evaluate": lambda user, pk, form: actions.check_evaluate(
        user, pk, satisfaction=form.cleaned_data.get("satisfaction")
    ),
    "approval": lambda user, pk, form: actions.check_record_approval(
        user,
        pk,
        status=form.cleaned_data.get("status") or "",
        decided_on=form.cleaned_data.get("decided_on"),
        note=form.cleaned_data.get("note") or "",
    ),
}


@require_POST
@staff_view
def request_step(request: HttpRequest, request_id: int, step: str) -> HttpResponse:
    person = signed_in(request)
    found = _visible(person.scope, request_id)
    form = _step_form(found, step, request.POST)
    if form is None or step not in STEPS:
        raise Http404
    done = _apply(form, lambda: STEPS[step](person.user, request_id, form))
    if done is None:
        return _render_request(request, found, step, form, status=422)
    messages.success(request, _("Saved: %(stage)s.") % {"stage": done.get_stage_display()})
    return redirect("web:assistance_request", request_id)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view
def service_list_view(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    _require_use(person.scope)
    lists = [("", _("The district's list"))] + [
        (unit.pk, unit.name) for unit in streets_for(person.scope)
    ]
    matters = Matter.objects.filter(is_active=True).order_by("code").values_list("pk", "name")
    form = ServiceAddForm(request.POST or None, lists=lists, matters=list(matters))
    status = 200
    if request.method == "POST":
        added = _apply(
            form,
            lambda: services.check_add_service(
                person.user,
                street_id=form.cleaned_data.get("street_id"),
                matter_id=form.cleaned_data.get("matter_id"),
                difficulty=form.cleaned_data.get("difficulty") or "",
                note=form.cleaned_data.get("note") or "",
            ),
        )
        if added is not None:
            messages.success(request, _("The service is on the list."))
            return redirect("web:assistance_services")
        status = 422
    context = {
        "lists": service_list(person.scope),
        "form": form,
        "difficulties": Difficulty.choices,
    }
    return render(request, "web/assistance_services.html", context, status=status)


@require_POST
@staff_view
def service_change(request: HttpRequest, item_id: int) -> HttpResponse:
    person = signed_in(request)
    _require_use(person.scope)
    form = ServiceChangeForm(request.POST)
    changed = _apply(
        form,
        lambda: services.check_change_service(
            person.user,
            item_id,
            difficulty=form.cleaned_data.get("difficulty") or "",
            active=bool(form.cleaned_data.get("active")),
            note=form.cleaned_data.get("note") or "",
        ),
    )
    if changed is None:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    else:
        messages.success(request, _("The service is changed."))
    return redirect("web:assistance_services")
