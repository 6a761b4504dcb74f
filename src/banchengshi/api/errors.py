"""Every error of the API is JSON: {"code", "message", "field"} (+ "errors" for invalid input).

Codes are stable, messages are in the request's language (LocaleMiddleware: Accept-Language
or the language cookie): unauthenticated 401, csrf_failed 403, forbidden 403, not_found 404,
invalid 422, bad_request 400, invalid_state 409, conflict 409, idempotency_conflict 409,
too_large 413 (a body beyond DATA_UPLOAD_MAX_MEMORY_SIZE), storage_full 507 (no room for an
uploaded file), unavailable 503 with Retry-After (the database cannot be reached: try again),
server_error 500 (logged, never a traceback).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from banchengshi.errors import ActionRefused, InvalidInput

log = logging.getLogger("banchengshi.api")

BODY_PARAM = "payload"
PARAM_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})
HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "throttled",
}


def error_body(
    code: str,
    message: Any,
    field: str | None = None,
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": str(message), "field": field or None}
    if errors is not None:
        body["errors"] = errors
    return body


def _field(loc: list[Any] | tuple[Any, ...]) -> str:
    """("body", "payload", "phone") → "phone"; ("query", "limit") → "limit"; ("body",
    "payload") → "" (the body as a whole). Every body parameter is called `payload`."""
    parts = list(loc)
    if parts and parts[0] in PARAM_SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == BODY_PARAM:
            parts.pop(0)
    return ".".join(str(part) for part in parts)


def _message(error: dict[str, Any]) -> str:
    """A message people understand, in their language, for one pydantic error. The wording is
    Django's own where it has one, so that its catalogues translate it."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "string_too_long":
        limit = int(ctx.get("max_length", 0))
        return ngettext(
            "Ensure this value has at most %(limit_value)d character.",
            "Ensure this value has at most %(limit_value)d characters.",
            limit,
        ) % {"limit_value": limit}
    if kind == "string_too_short":
        limit = int(ctx.get("min_length", 0))
        return ngettext(
            "Ensure this value has at least %(limit_value)d character.",
            "Ensure this value has at least %(limit_value)d characters.",
            limit,
        ) % {"limit_value": limit}
    if kind == "string_pattern_mismatch":
        return _("Enter a valid value.")
    if kind in ("less_than_equal", "less_than"):
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le", ctx.get("lt"))
        }
    if kind in ("greater_than_equal", "greater_than"):
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge", ctx.get("gt"))
        }
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind in ("enum", "literal_error"):
        choice = _("Select a valid choice. That choice is not one of the available choices.")
        return f"{choice} ({ctx['expected']})" if "expected" in ctx else choice
    if kind == "timezone_aware":
        return _("Give the time with its offset from UTC, such as 2026-11-20T09:30:00+08:00.")
    if kind.startswith("datetime_"):
        return _("Enter a valid date/time.")
    if kind.startswith("date_"):
        return _("Enter a valid date.")
    if kind == "json_invalid":
        return _("Enter a valid JSON.")
    return _("Enter a valid value.")


def handle_action_refused(request: HttpRequest, exc: ActionRefused, api: NinjaAPI) -> HttpResponse:
    errors = None
    if isinstance(exc, InvalidInput):
        errors = {
            field: [str(message) for message in messages] for field, messages in exc.errors.items()
        }
    return api.create_response(
        request, error_body(exc.code, exc.message, exc.field, errors), status=exc.status
    )


def handle_validation_error(
    request: HttpRequest, exc: ValidationError, api: NinjaAPI
) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field(error.get("loc", ())), []).append(_message(error))
    field, messages = next(iter(errors.items()), ("", [_("Enter a valid value.")]))
    return api.create_response(
        request, error_body("invalid", messages[0], field, errors), status=422
    )


def handle_authentication_error(
    request: HttpRequest, exc: AuthenticationError, api: NinjaAPI
) -> HttpResponse:
    response = api.create_response(
        request,
        error_body(
            "unauthenticated",
            _("Log in, or send a valid API token as “Authorization: Bearer <token>”."),
        ),
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def handle_http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    code = HTTP_CODES.get(exc.status_code, "error")
    message = _("The request body is not valid JSON.") if exc.status_code == 400 else exc.message
    return api.create_response(request, error_body(code, message), status=exc.status_code)


def handle_not_found(request: HttpRequest, exc: Http404, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


def handle_too_big(request: HttpRequest, exc: RequestDataTooBig, api: NinjaAPI) -> HttpResponse:
    return api.create_response(
        request, error_body("too_large", _("The request body is too large.")), status=413
    )


def handle_unexpected(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    log.exception("API error on %s %s", request.method, request.path)
    return api.create_response(
        request,
        error_body("server_error", _("Something went wrong on our side; the error was logged.")),
        status=500,
    )


# How long a client is asked to wait before trying again while the database cannot be reached.
RETRY_AFTER_SECONDS = 30


def unavailable_message() -> str:
    return _(
        "The service is briefly unavailable (its database cannot be reached). "
        "Please try again in a minute."
    )


def handle_database_unreachable(
    request: HttpRequest, exc: DatabaseError, api: NinjaAPI
) -> HttpResponse:
    log.error("API %s %s: the database cannot be reached: %s", request.method, request.path, exc)
    response = api.create_response(
        request, error_body("unavailable", unavailable_message()), status=503
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(ActionRefused, partial(handle_action_refused, api=api))
    api.add_exception_handler(ValidationError, partial(handle_validation_error, api=api))
    api.add_exception_handler(AuthenticationError, partial(handle_authentication_error, api=api))
    api.add_exception_handler(HttpError, partial(handle_http_error, api=api))
    api.add_exception_handler(Http404, partial(handle_not_found, api=api))
    api.add_exception_handler(RequestDataTooBig, partial(handle_too_big, api=api))
    for unreachable in (OperationalError, InterfaceError):
        api.add_exception_handler(unreachable, partial(handle_database_unreachable, api=api))
    api.add_exception_handler(Exception, partial(handle_unexpected, api=api))
