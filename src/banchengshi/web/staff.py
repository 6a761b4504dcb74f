"""What every workbench view shares: the person must be signed in and hold a role somewhere,
and an action refused by the engine becomes a page with its reason, never a server error;
`signed_in` is how a view knows who that person is and what they may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from banchengshi.errors import ActionRefused
from banchengshi.org.scope import Scope, scope_for

View = Callable[..., HttpResponse]


class HtmxRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it: `request.htmx` says whether htmx
    sent it, and what for."""

    htmx: HtmxDetails


@dataclass(frozen=True)
class Person:
    """The signed-in person: `user` acts (actions take it), `scope` reads (selectors and
    queues take it; computed once per request and kept on the user)."""

    user: User

    @property
    def scope(self) -> Scope:
        return scope_for(self.user)


def signed_in(request: HttpRequest) -> Person:
    """The person a workbench view serves; staff_view lets nobody else through."""
    user = request.user
    assert isinstance(user, User), "staff_view lets only signed-in people through"
    return Person(user)


def staff_view(view: View) -> View:
    """Signed in with at least one role; ActionRefused is shown as a refusal page."""

    @wraps(view)
    def wrapped(request: HtmxRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if request.htmx:
                # A refreshing fragment must not swap the sign-in page into a list.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("web:login")
                return response
            return redirect_to_login(request.get_full_path())
        if not signed_in(request).scope.roles_by_unit:
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
