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
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from banchengshi.cases.actions.answer import PROOFS_TO_RATE
from banchengshi.cases.models import Channel
from banchengshi.errors import ActionRefused
from banchengshi.intake.portal import MAX_FILE_BYTES, MAX_FILES
from banchengshi.intake.ratelimit import Verdict, client_address, hit, limit_named

View = Callable[..., HttpResponse]
ELDER_COOKIE = "bcs_elder"
# Appeals proven by this browser (tracking number + code or digits, or a rating link), with
# when: a shared computer in a library or a hall forgets them after an hour.
OWN_CASES = "public_own_cases"
MAX_OWN_CASES = 10
PROOF_SECONDS = 3600
MOBILE_MARKERS = ("Mobi", "Android", "iPhone", "iPad", "HarmonyOS")
# The higher limits of a named terminal (intake.ratelimit), by the public limit they replace.
KIOSK_LIMITS = {
    "public_report": "kiosk_report",
    "public_check": "kiosk_check",
    "public_track": "kiosk_track",
    "public_track_guess": "kiosk_track_guess",
    "public_rate": "kiosk_rate",
}
# Text fields, a few files, and the form around them.
MAX_REQUEST_BYTES = MAX_FILES * MAX_FILE_BYTES + 1024 * 1024


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


def _too_many(request: HttpRequest, site: Site, verdict: Verdict) -> HttpResponse:
    minutes = max(1, (verdict.retry_after + 59) // 60)
    message = _(
        "You have tried this many times in a short while. Please wait %(minutes)d minutes "
        "and try again, or ask at a service window."
    ) % {"minutes": minutes}
    return refusal(request, site, message, status=429)


def limit_name(request: HttpRequest, site: Site, name: str) -> str:
    """The limit named `name`, or the kiosk's own one for a named terminal."""
    if site is KIOSK and _is_named_terminal(request):
        return KIOSK_LIMITS.get(name, name)
    return name


def public_view(limit: str, site: Site = PORTAL) -> Callable[[View], View]:
    """A public page, never cached by the browser (the Back button of a shared computer must
    not show the last person's appeal). Its POSTs count against `limit` per client address and
    its other requests against "public_read"; a body larger than MAX_REQUEST_BYTES is refused
    before it is read; a refusal of the engine becomes a page with its reason. On the kiosk,
    a deployment that names its terminals (BANCHENGSHI_KIOSK_ADDRESSES) answers only them and
    gives them the kiosk's limits ("kiosk_…"), as one terminal serves a whole hall; without
    names the kiosk pages have the public limits."""

    def decorate(view: View) -> View:
        @never_cache
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            terminal = site is KIOSK and _is_named_terminal(request)
            if site is KIOSK and _terminals() and not terminal:
                return refusal(
                    request, site, _("This page is only for the self-service terminals."), 403
                )
            name = limit_name(request, site, limit if request.method == "POST" else "public_read")
            verdict = hit(limit_named(name), client_address(request))
            if not verdict.allowed:
                response = _too_many(request, site, verdict)
                response["Retry-After"] = str(verdict.retry_after)
                return response
            if request.method == "POST" and declared_length(request) > MAX_REQUEST_BYTES:
                message = _(
                    "What you sent is too large: at most %(count)d files of %(size)s each."
                ) % {"count": MAX_FILES, "size": filesizeformat(MAX_FILE_BYTES)}
                return refusal(request, site, message, status=413)
            try:
                return view(request, *args, **kwargs)
            except ActionRefused as refused:
                return refusal(request, site, str(refused.message), refused.status)

        return wrapped

    return decorate


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads such a body as empty


def _terminals() -> list[str]:
    return list(getattr(settings, "BANCHENGSHI_KIOSK_ADDRESSES", []))


def _is_named_terminal(request: HttpRequest) -> bool:
    networks = _terminals()
    if not networks:
        return False
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


def _proven(request: HttpRequest) -> dict[int, tuple[int, str]]:
    """Case id → (when, by what) of the appeals proven in this browser within the hour."""
    fresh_since = int(timezone.now().timestamp()) - PROOF_SECONDS
    return {
        int(case_id): (int(at), str(kind))
        for case_id, at, kind in request.session.get(OWN_CASES, [])
        if int(at) > fresh_since
    }


def remember_case(request: HttpRequest, case_id: int, kind: str) -> None:
    """A better proof is not forgotten for a weaker one: the code or the SMS link, which allow
    rating, stay when the same appeal is opened again with the phone's digits."""
    proven = _proven(request)
    earlier = proven.pop(case_id, None)
    if earlier is not None and earlier[1] in PROOFS_TO_RATE:
        kind = earlier[1]
    now = int(timezone.now().timestamp())
    newest = [(case_id, now, kind)]
    newest += [
        (other, at, how) for other, (at, how) in sorted(proven.items(), key=lambda p: -p[1][0])
    ]
    request.session[OWN_CASES] = newest[:MAX_OWN_CASES]


def proof_of(request: HttpRequest, case_id: int) -> str | None:
    """How this browser proved the appeal theirs within the hour, or None."""
    found = _proven(request).get(case_id)
    return found[1] if found is not None else None
