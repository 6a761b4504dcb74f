"""Sign in (with the lockout of org.login_guard) and sign out."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from banchengshi.org.login_guard import LoginRefused, sign_in


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("web:worklist")


@require_http_methods(["GET", "POST"])
def sign_in_view(request: HttpRequest) -> HttpResponse:
    error = ""
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        try:
            user = sign_in(request, username, request.POST.get("password", ""))
        except LoginRefused as refused:
            error = refused.message
        else:
            login(request, user)
            return redirect(_next_url(request))
    context = {"error": error, "username": username, "next": _next_url(request)}
    return render(request, "web/login.html", context, status=401 if error else 200)


@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")
