"""The window's tablet (cases.actions.tablet): the rating screen a clerk opens from the case
page, the thank-you, and the neutral screen the tablet rests on between petitioners.

The pages are the clerk's session (staff_view) but the petitioner's screen: they extend
tablet_base.html, with no workbench menu and nothing of the case but its tracking number, and
a refusal is shown there too, never on a workbench page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from banchengshi.cases.actions.tablet import check_rate_at_tablet
from banchengshi.cases.tablet import open_handoffs, tablet_screen
from banchengshi.errors import ActionRefused, InvalidInput
from banchengshi.web.forms.public_tracking import RatingForm
from banchengshi.web.staff import signed_in, staff_view

# The neutral screen asks again this often for a screen the clerk opened on another device.
WAITING_REFRESH_SECONDS = 5
# How long the thank-you stays before the neutral screen.
THANKS_SECONDS = 5


@require_GET
@staff_view
def waiting(request: HttpRequest) -> HttpResponse:
    handoffs = open_handoffs(signed_in(request).user, timezone.now())
    if handoffs:
        return redirect("web:tablet_rate", handoff_id=handoffs[0].pk)
    context = {"seconds": WAITING_REFRESH_SECONDS}
    return render(request, "web/tablet_waiting.html", context)


@require_http_methods(["GET", "POST"])
@staff_view
def rate(request: HttpRequest, handoff_id: int) -> HttpResponse:
    user = signed_in(request).user
    form = RatingForm(request.POST if request.method == "POST" else None)
    try:
        screen = tablet_screen(user, handoff_id, timezone.now())
        if form.is_bound and form.is_valid():
            try:
                check_rate_at_tablet(user, handoff_id, **form.opinion())
            except InvalidInput as exc:
                form.show_errors(exc.errors)
            else:
                return redirect("web:tablet_thanks")
    except ActionRefused as refused:
        context = {"message": refused.message}
        return render(request, "web/tablet_refusal.html", context, status=refused.status)
    status = 422 if form.is_bound else 200
    return render(request, "web/tablet_rate.html", {"screen": screen, "form": form}, status=status)


@require_GET
@staff_view
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "web/tablet_thanks.html", {"seconds": THANKS_SECONDS})
