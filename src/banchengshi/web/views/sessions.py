"""Remote virtual window sessions (R-NB-2) on the workbench: the list of a period's sessions
with the counts per point and per center, the form a point's staff log a session with, and a
session's page with the next step of its materials and, for a failed one, its case."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from banchengshi.cases.access import may_see
from banchengshi.errors import ActionRefused, InvalidInput
from banchengshi.neighborhood.sessions.access import points_of
from banchengshi.neighborhood.sessions.actions import (
    check_advance_materials,
    check_log_session,
    check_register_failed_session,
)
from banchengshi.neighborhood.sessions.models import Side
from banchengshi.neighborhood.sessions.personal_data import log_session_rows, log_session_view
from banchengshi.neighborhood.sessions.selectors import (
    form_choices,
    session_counts,
    session_view,
    sessions_page,
)
from banchengshi.web.forms.sessions import (
    MaterialFormSet,
    PeriodForm,
    SessionForm,
    materials_of,
)
from banchengshi.web.params import page_number
from banchengshi.web.staff import signed_in, staff_view


@require_safe
@staff_view
def sessions(request: HttpRequest) -> HttpResponse:
    scope = signed_in(request).scope
    start, end = PeriodForm(request.GET).period(timezone.localdate())
    # The period shown is the one read: a missing or impossible day is replaced by its default.
    form = PeriodForm({"start": start.isoformat(), "end": end.isoformat()})
    found = sessions_page(scope, start=start, end=end, page=page_number(request.GET))
    log_session_rows(request, found.rows)
    query = f"?start={start.isoformat()}&end={end.isoformat()}"
    context = {
        "form": form,
        "start": start,
        "end": end,
        "found": found,
        "previous_query": f"{query}&page={found.previous_page}" if found.has_previous else "",
        "next_query": f"{query}&page={found.next_page}" if found.has_next else "",
        "by_point": session_counts(start, end, by=Side.POINT, scope=scope),
        "by_center": session_counts(start, end, by=Side.CENTER, scope=scope),
        "logs_sessions": points_of(scope).exists(),
    }
    return render(request, "web/sessions.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view
def session_new(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    choices = form_choices(person.scope)
    if not choices.points:
        return render(
            request,
            "web/refusal.html",
            {"message": _("Only the staff of a service point log remote sessions.")},
            status=403,
        )
    data = request.POST if request.method == "POST" else None
    form = SessionForm(data, points=choices.points, staff=choices.staff, matters=choices.matters)
    materials = MaterialFormSet(data, prefix="material")
    if request.method == "POST":
        if form.is_valid() and materials.is_valid():
            try:
                session = check_log_session(person.user, form.to_input(materials_of(materials)))
            except InvalidInput as invalid:
                for field, errors in invalid.errors.items():
                    form.add_refusal(field, errors)
            else:
                messages.success(request, _("The session is logged."))
                return redirect("web:session", session.pk)
        status = 422
    else:
        status = 200
    context = {"form": form, "materials": materials}
    return render(request, "web/session_new.html", context, status=status)


@require_safe
@staff_view
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    scope = signed_in(request).scope
    view = session_view(scope, session_id)
    log_session_view(request, view)
    case = view.session.case
    context = {"view": view, "sees_case": case is not None and may_see(scope, case)}
    return render(request, "web/session.html", context)


@require_POST
@staff_view
def session_materials(request: HttpRequest, session_id: int, step: str) -> HttpResponse:
    try:
        check_advance_materials(signed_in(request).user, session_id, step=step)
    except ActionRefused as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("The step of the materials is recorded."))
    return redirect("web:session", session_id)


@require_POST
@staff_view
def session_case(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        case = check_register_failed_session(signed_in(request).user, session_id)
    except InvalidInput as invalid:
        for errors in invalid.errors.values():
            for message in errors:
                messages.error(request, str(message))
    except ActionRefused as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(
            request,
            _("Registered as case %(tracking_no)s.") % {"tracking_no": case.tracking_no},
        )
    return redirect("web:session", session_id)
