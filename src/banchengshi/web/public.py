"""What every public page shares (R-IN-2, R-Q-2, R-Q-5): no sign-in; two sites that show the
same pages in their own frame, the online window (PC and phone) and the self-service
terminal (kiosk); a rate limit per client address on every page; an action the engine
refuses shown as a page in the person's language, never a server error; the
elderly-friendly mode; and which appeals this browser has proven to be its own.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from banchengshi.cases.errors import ActionRefused
from banchengshi.cases.models import Channel
from banchengshi.intake.ratelimit import Verdict, client_address, rate_limited

View = Callable[..., HttpResponse]
ELDER_COOKIE = "bcs_elder"
# Appeals proven by this browser (tracking number + code or digits, or a rating link), with
# when: a shared computer in a library or a hall forgets them after an hour.
OWN_CASES = "public_own_cases"
MAX_OWN_CASES = 10
PROOF_SECONDS = 3600
MOBILE_MARKERS = ("Mobi", "Android", "iPhone", "iPad", "HarmonyOS")


@dataclass(frozen=True)
class Site:
    """The frame and the URL names of one public site; pages link within their own site."""

    key: str
    base_template: str
    home: str
    report: str
    report_check: str
    report_done: str
    track: str
    case: str
    rate: str
    with_files: bool


PORTAL = Site(
    key="portal",
    base_template="web/public_base.html",
    home="web:home",
    report="web:report",
    report_check="web:report_check",
    report_done="web:report_done",
    track="web:track",
    case="web:track_case",
    rate="web:track_rate",
    with_files=True,
)
# A terminal in a hall has no file to offer and must never lead elsewhere.
KIOSK = Site(
    key="kiosk",
    base_template="web/kiosk_base.html",
    home="web:kiosk",
    report="web:kiosk_report",
    report_check="web:kiosk_report_check",
    report_done="web:kiosk_report_done",
    track="web:kiosk_track",
    case="web:kiosk_case",
    rate="web:kiosk_rate",
    with_files=False,
)


def channel_of(request: HttpRequest, site: Site) -> str:
    if site is KIOSK:
        return Channel.KIOSK
    agent = request.headers.get("User-Agent", "")
    return Channel.MOBILE if any(marker in agent for marker in MOBILE_MARKERS) else Channel.PORTAL


def page(
    request: HttpRequest, site: Site, template: str, context: dict[str, Any], **kw: Any
) -> HttpResponse:
    return render(request, template, {"site": site, **context}, **kw)


def refusal(request: HttpRequest, site: Site, message: str, status: int) -> HttpResponse:
    return page(request, site, "web/public_refusal.html", {"message": message}, status=status)


def _too_many(site: Site) -> Callable[[HttpRequest, Verdict], HttpResponse]:
    def refuse(request: HttpRequest, verdict: Verdict) -> HttpResponse:
        minutes = max(1, (verdict.retry_after + 59) // 60)
        message = _(
            "You have tried this many times in a short while. Please wait %(minutes)d minutes "
            "and try again, or ask at a service window."
        ) % {"minutes": minutes}
        return refusal(request, site, message, status=429)

    return refuse


def public_view(limit: str, site: Site = PORTAL) -> Callable[[View], View]:
    """A public page: counted against `limit` per client address; a refusal of the engine
    becomes a page with its reason. On the kiosk, only from the terminals' own addresses
    when the deployment names them (BANCHENGSHI_KIOSK_ADDRESSES)."""

    def decorate(view: View) -> View:
        @rate_limited(limit, _too_many(site))
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if site is KIOSK and not _is_terminal(request):
                return refusal(
                    request, site, _("This page is only for the self-service terminals."), 403
                )
            try:
                return view(request, *args, **kwargs)
            except ActionRefused as refused:
                return refusal(request, site, str(refused.message), refused.status)

        return wrapped

    return decorate


def _is_terminal(request: HttpRequest) -> bool:
    networks = getattr(settings, "BANCHENGSHI_KIOSK_ADDRESSES", [])
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(client_address(request).split("/")[0])
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


def public_frame(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the elderly-friendly mode (适老化), switched on any public page, and
    how long a kiosk waits without a touch before it starts again (the last seconds of it
    with a warning)."""
    idle = int(getattr(settings, "BANCHENGSHI_KIOSK_IDLE_SECONDS", 120))
    return {
        "elder": is_elder(request),
        "kiosk_idle_seconds": idle,
        "kiosk_warning_seconds": min(20, max(1, idle // 4)),
    }


def is_elder(request: HttpRequest) -> bool:
    return request.COOKIES.get(ELDER_COOKIE) == "1"


def _proven(request: HttpRequest) -> dict[int, int]:
    """Case id → when it was proven (Unix seconds), only those proven within the hour."""
    fresh_since = int(timezone.now().timestamp()) - PROOF_SECONDS
    return {
        int(case_id): int(at)
        for case_id, at in request.session.get(OWN_CASES, [])
        if int(at) > fresh_since
    }


def remember_case(request: HttpRequest, case_id: int) -> None:
    proven = _proven(request)
    proven.pop(case_id, None)
    newest = [
        (case_id, int(timezone.now().timestamp())),
        *sorted(proven.items(), key=lambda p: -p[1]),
    ]
    request.session[OWN_CASES] = newest[:MAX_OWN_CASES]


def is_own_case(request: HttpRequest, case_id: int) -> bool:
    return case_id in _proven(request)
