"""The self-service terminal (R-IN-2): the portal's pages in a frame with large touch targets
and no way out to other pages; after a while without a touch it resets to its start page,
forgetting the last person's appeal (kiosk_base.html, kiosk.js)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from banchengshi.cases.models import ReturnVisit
from banchengshi.web.public import ELDER_COOKIE, KIOSK, public_view
from banchengshi.web.views import portal, tracking


@public_view("public_read", KIOSK)
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return portal.landing(request, KIOSK)


@public_view("public_report", KIOSK)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    return portal.report_page(request, KIOSK)


@public_view("public_check", KIOSK)
@require_POST
def report_check(request: HttpRequest, field: str) -> HttpResponse:
    return portal.check_field(request, KIOSK, field)


@public_view("public_read", KIOSK)
@require_GET
def report_done(request: HttpRequest) -> HttpResponse:
    return portal.done_page(request, KIOSK)


@public_view("public_track", KIOSK)
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    return tracking.track_page(request, KIOSK)


@public_view("public_read", KIOSK)
@require_GET
def case(request: HttpRequest, tracking_no: str) -> HttpResponse:
    return tracking.case_page(request, KIOSK, tracking_no)


@public_view("public_rate", KIOSK)
@require_POST
def rate(request: HttpRequest, tracking_no: str) -> HttpResponse:
    return tracking.rate(request, KIOSK, tracking_no, ReturnVisit.Channel.KIOSK)


@public_view("public_read", KIOSK)
@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    """The next person starts afresh: no appeal of the last one, the usual type size, the
    district's language."""
    request.session.flush()
    response = redirect(KIOSK.home)
    response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response
