"""The window's evaluation tablet (`/rate/`, evaluation.actions.tablet): the clerk pushes the
transaction just done from the workbench (`/staff/rate/push/`); the tablet, signed in as the
same clerk, rests on its waiting screen, shows the pushed transaction with five faces, and
after the tap thanks the citizen and returns to waiting. The tablet's pages are in the
tablet frame (tablet_base.html: no workbench menu), a refusal too."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from banchengshi.catalog.models import Matter
from banchengshi.errors import ActionRefused, Forbidden, InvalidInput
from banchengshi.evaluation.access import window_units
from banchengshi.evaluation.actions.tablet import (
    check_push,
    check_rate_push,
    find_push,
    open_pushes,
    require_waiting,
)
from banchengshi.ids import parse_number
from banchengshi.org.models import Unit
from banchengshi.web.forms.evaluations import LEVELS, FacesForm, PushForm
from banchengshi.web.staff import signed_in, staff_view
from banchengshi.web.views.tablet import THANKS_SECONDS, WAITING_REFRESH_SECONDS

# The faces, best first: each level's mouth in a 100×100 face drawn as SVG (an emoji depends
# on the device's fonts; a tablet without them shows boxes).
FACES = {
    5: "M28 58 Q50 84 72 58",
    4: "M32 62 Q50 74 68 62",
    3: "M32 66 L68 66",
    2: "M32 70 Q50 60 68 70",
    1: "M28 74 Q50 50 72 74",
}


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view
def push(request: HttpRequest) -> HttpResponse:
    user = signed_in(request).user
    units = window_units(user)
    if not units:
        raise Forbidden(_("Only window staff push a transaction to the tablet."))
    unit_choices = list(
        Unit.objects.filter(pk__in=units).order_by("path").values_list("pk", "name")
    )
    matters = list(
        Matter.objects.filter(is_active=True, handling_centers__in=units)
        .distinct()
        .order_by("code")
        .values_list("pk", "name")
    )
    initial = {"case": parse_number(request.GET.get("case"))}
    form = PushForm(request.POST or None, units=unit_choices, matters=matters, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                check_push(
                    user, unit_id=data["unit"], matter_id=data["matter"], case_id=data["case"]
                )
            except InvalidInput as invalid:
                form.show_errors(invalid.errors)
            else:
                messages.success(request, _("Sent to the tablet: the citizen can rate now."))
                return redirect("web:rate_push")
        status = 422
    return render(request, "web/rate_push.html", {"form": form}, status=status)


@require_GET
@staff_view
def waiting(request: HttpRequest) -> HttpResponse:
    pushes = list(open_pushes(signed_in(request).user, timezone.now())[:1])
    if pushes:
        return redirect("web:rate_screen", push_id=pushes[0].pk)
    return render(request, "web/rate_waiting.html", {"seconds": WAITING_REFRESH_SECONDS})


@require_http_methods(["GET", "POST"])
@staff_view
def screen(request: HttpRequest, push_id: int) -> HttpResponse:
    user = signed_in(request).user
    form = FacesForm(request.POST if request.method == "POST" else None)
    try:
        pushed = find_push(user, push_id)
        require_waiting(pushed, timezone.now())
        if form.is_bound and form.is_valid():
            try:
                check_rate_push(user, push_id, **form.cleaned_data)
            except InvalidInput as exc:
                form.show_errors(exc.errors)
            else:
                return redirect("web:rate_thanks")
    except ActionRefused as refused:
        refusal = {"message": refused.message}
        return render(request, "web/tablet_refusal.html", refusal, status=refused.status)
    context: dict[str, Any] = {
        "pushed": pushed,
        "form": form,
        "faces": faces(),
        "action": request.path,
    }
    return render(request, "web/rate_screen.html", context, status=422 if form.is_bound else 200)


def faces() -> list[tuple[int, str, str]]:
    """(level, mouth, words), best first."""
    return [(int(level), FACES[int(level)], str(label)) for level, label in LEVELS]


@require_GET
@staff_view
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "web/rate_thanks.html", {"seconds": THANKS_SECONDS})
