"""What a signed-in session must satisfy on every request (等保2.0 identity authentication):

- idle timeout: BANCHENGSHI_SESSION_IDLE_MINUTES without a request signs the person out;
- absolute lifetime: BANCHENGSHI_SESSION_MAX_HOURS after the sign-in, whatever the activity;
- second step: an administrator who owes a TOTP code (org.two_factor) reaches only the code
  and enrolment pages, and the API does not know them;
- password expiry: a password older than BANCHENGSHI_PASSWORD_MAX_AGE_DAYS at sign-in leads
  to the change page until it is changed.

The duties are written into the session at sign-in (`user_logged_in`), so a request reads
no table for them; the last activity is written at most once a minute."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from banchengshi.org.passwords import password_expired
from banchengshi.org.security_events import SecurityEvent, record
from banchengshi.org.two_factor import second_step

STARTED = "bcs_started"
SEEN = "bcs_seen"
SECOND_STEP = "bcs_second_step"
PASSWORD_EXPIRED = "bcs_password_expired"
# Seconds between two writes of the last activity: one session UPDATE a minute at most.
SEEN_RESOLUTION = 60
# What a page asks by itself on a timer (htmx `every …`): no sign that anyone is there, so it
# does not keep the session alive.
BACKGROUND_POLLS = frozenset({"web:notifications_bell", "web:dashboard"})


def on_signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    now = timezone.now()
    session = request.session
    session[STARTED] = session[SEEN] = now.timestamp()
    step = second_step(user)
    if step:
        session[SECOND_STEP] = step
    if password_expired(user, now):
        session[PASSWORD_EXPIRED] = True


def on_signed_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if isinstance(user, User) and not getattr(request, "_bcs_expired", False):
        record(SecurityEvent.SIGNED_OUT, actor=user, request=request)


def _free_paths() -> tuple[str, ...]:
    """Pages a person with a duty pending may still open: the duty's own, signing out, and
    what every page loads."""
    return (
        reverse("web:two_factor"),
        reverse("web:two_factor_enrol"),
        reverse("web:password_change"),
        reverse("web:logout"),
        reverse("web:login"),
        reverse("admin:logout"),
        "/" + settings.STATIC_URL.lstrip("/"),
        "/i18n/",
    )


def _is_background(request: HttpRequest) -> bool:
    if not request.headers.get("HX-Request"):
        return False
    try:
        return resolve(request.path_info).view_name in BACKGROUND_POLLS
    except Resolver404:
        return False


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/open311/"))


class SessionGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = timezone.now().timestamp()
        started = float(session.get(STARTED, now))
        seen = float(session.get(SEEN, now))
        idle = settings.BANCHENGSHI_SESSION_IDLE_MINUTES * 60
        if (idle and now - seen > idle) or now - started > settings.SESSION_COOKIE_AGE:
            return self._expired(request, user, reason="idle" if now - seen > idle else "lifetime")
        if STARTED not in session:
            session[STARTED] = started
        if now - seen >= SEEN_RESOLUTION and not _is_background(request):
            session[SEEN] = now
        duty = self._duty(request)
        if duty is None:
            return self.get_response(request)
        if _is_api(request):
            # The session counts for nothing on the API until its duty is done; a token
            # still works.
            request.user = AnonymousUser()
            return self.get_response(request)
        if request.path.startswith(_free_paths()):
            return self.get_response(request)
        query = urlencode({"next": request.get_full_path()})
        return _redirect(request, f"{reverse(duty)}?{query}")

    def _duty(self, request: HttpRequest) -> str | None:
        step = request.session.get(SECOND_STEP)
        if step == "verify":
            return "web:two_factor"
        if step == "enrol":
            return "web:two_factor_enrol"
        if request.session.get(PASSWORD_EXPIRED):
            return "web:password_change"
        return None

    def _expired(self, request: HttpRequest, user: User, *, reason: str) -> HttpResponse:
        record(SecurityEvent.SESSION_EXPIRED, actor=user, request=request, reason=reason)
        request._bcs_expired = True  # type: ignore[attr-defined]
        logout(request)
        if _is_api(request):
            return JsonResponse({"detail": _("Your session has ended; sign in again.")}, status=401)
        messages.info(
            request,
            _("You were signed out after %(minutes)d minutes without activity.")
            % {"minutes": settings.BANCHENGSHI_SESSION_IDLE_MINUTES}
            if reason == "idle"
            else _("You were signed out: a session lasts at most %(hours)d hours.")
            % {"hours": settings.SESSION_COOKIE_AGE // 3600},
        )
        target = "admin:login" if request.path.startswith("/admin/") else "web:login"
        query = urlencode({"next": request.get_full_path()})
        return _redirect(request, f"{reverse(target)}?{query}")


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect the browser follows; htmx is told to load the whole page there instead of
    swapping the sign-in page into a fragment."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)
