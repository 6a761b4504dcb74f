"""Sign in (with the lockout of org.login_guard) and sign out."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from banchengshi.org.login_guard import LoginRefused, sign_in
from banchengshi.web.forms.auth import SignInForm
from banchengshi.web.params import local_url


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    return local_url(request, target, reverse("web:worklist"))


@require_http_methods(["GET", "POST"])
def sign_in_view(request: HttpRequest) -> HttpResponse:
    error = ""
    username = ""
    status = 200
    if request.method == "POST":
        form = SignInForm(request.POST)
        if not form.is_valid():
            error, status = form.problem(), 422
        else:
            username = form.cleaned_data["username"]
            try:
                user = sign_in(request, username, form.cleaned_data["password"])
            except LoginRefused as refused:
                error, status = refused.message, 401
            else:
                login(request, user)
                return redirect(_next_url(request))
    context = {"error": error, "username": username, "next": _next_url(request)}
    return render(request, "web/login.html", context, status=status)


@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")
