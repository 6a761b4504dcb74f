"""The steps a signed-in person may owe before the workbench (web.session_guard): the TOTP
code, setting up an authenticator, a new password once the old one expired."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from banchengshi.org import two_factor
from banchengshi.org.models import TwoFactorDevice
from banchengshi.org.security_events import SecurityEvent, record
from banchengshi.web.params import local_url
from banchengshi.web.session_guard import PASSWORD_EXPIRED, SECOND_STEP


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    return local_url(request, target, reverse("web:worklist"))


def _code(request: HttpRequest) -> str:
    # Six digits, or a recovery code; anything longer is no code (and never reaches a query).
    return request.POST.get("code", "")[:32]


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_code(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.session.get(SECOND_STEP) != "verify":
        return redirect(_next(request))
    error, status = "", 200
    if request.method == "POST":
        verdict = two_factor.verify(user, _code(request), request=request)
        if verdict == two_factor.Verdict.PASSED:
            del request.session[SECOND_STEP]
            request.session.cycle_key()
            return redirect(_next(request))
        if verdict == two_factor.Verdict.LOCKED:
            logout(request)
            messages.error(
                request,
                _("Too many wrong codes: this account is locked for a while; sign in again later."),
            )
            return redirect("web:login")
        error, status = _("The code is wrong or was already used. Try the next one."), 401
    return render(
        request, "web/two_factor_code.html", {"error": error, "next": _next(request)}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: the secret as a QR code and in letters, then a first code."""
    user: User = request.user  # type: ignore[assignment]
    if request.session.get(SECOND_STEP) == "verify":
        return redirect(f"{reverse('web:two_factor')}?{urlencode({'next': _next(request)})}")
    error, status = "", 200
    if request.method == "POST":
        codes = two_factor.confirm(user, _code(request), request=request)
        if codes is not None:
            request.session.pop(SECOND_STEP, None)
            request.session.cycle_key()
            return render(
                request, "web/two_factor_recovery.html", {"codes": codes, "next": _next(request)}
            )
        error, status = _("The code is wrong. Type the code your authenticator shows now."), 422
    # A new secret on each visit of the page until one is confirmed; a wrong first code keeps
    # the one on the screen.
    existing = TwoFactorDevice.objects.filter(user=user).first()
    device = existing if existing and request.method == "POST" else two_factor.new_secret(user)
    uri = two_factor.provisioning_uri(user, device)
    context = {
        "qr": two_factor.qr_svg(uri),
        "secret": device.secret,
        "error": error,
        "next": _next(request),
    }
    return render(request, "web/two_factor_enrol.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        request.session.pop(PASSWORD_EXPIRED, None)
        record(SecurityEvent.PASSWORD_CHANGED, actor=user, request=request)
        messages.success(request, _("Your password was changed."))
        return redirect(_next(request))
    context = {
        "form": form,
        "expired": bool(request.session.get(PASSWORD_EXPIRED)),
        "next": _next(request),
    }
    return render(
        request,
        "web/password_change.html",
        context,
        status=422 if form.is_bound else 200,
    )
