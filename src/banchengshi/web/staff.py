"""What every workbench view shares: the person must be signed in and hold a role somewhere,
and an action refused by the engine becomes a page with its reason, never a server error."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from banchengshi.cases.errors import ActionRefused
from banchengshi.org.scope import Scope, scope_for

View = Callable[..., HttpResponse]


def staff_view(view: View) -> View:
    """Signed in with at least one role; ActionRefused is shown as a refusal page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if request.headers.get("HX-Request"):
                # A refreshing fragment must not swap the sign-in page into a list.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("web:login")
                return response
            return redirect_to_login(request.get_full_path())
        if not scope_for(request.user).roles_by_unit:
            return refusal(
                request,
                _("Your account holds no role in any unit yet. Ask your office administrator."),
                status=403,
            )
        try:
            return view(request, *args, **kwargs)
        except ActionRefused as refused:
            return refusal(request, str(refused.message), status=refused.status)

    return wrapped


def refusal(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "web/refusal.html", {"message": message}, status=status)


def scope(request: HttpRequest) -> Scope:
    return scope_for(request.user)
