"""Who is calling: a system with a bearer token, or a person with the web session."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from banchengshi.errors import ActionRefused
from banchengshi.tokens.auth import user_for_token


class CsrfFailed(ActionRefused):
    status = 403

    def __init__(self) -> None:
        super().__init__(
            "csrf_failed",
            _("The CSRF token is missing or wrong; reload the page and try again."),
        )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer bcs_…`. A token that is presented but unknown, revoked or of an
    inactive person is refused at once (401), not tried as a session."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token.strip())
        if user is None:
            raise AuthenticationError()
        return user


class SessionAuth(APIKeyCookie):
    """Django's session, as ninja's `django_auth`, with the CSRF check on unsafe methods.

    Unlike `django_auth`, the CSRF check runs only once a session user is found: a request
    without any credentials is answered 401 (unauthenticated), not 403 (CSRF), and a
    session-authenticated POST without a valid CSRF token is still refused."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise CsrfFailed()
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


def actor(request: HttpRequest) -> User:
    """The authenticated person (set by TokenAuth or SessionAuth)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user
