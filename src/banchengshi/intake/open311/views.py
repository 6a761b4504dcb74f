"""The six GeoReport v2 methods. Thin: parameters are read by `forms`, appeals registered by
`intake.actions`, answers rendered by `formats`.

Every endpoint is public (only POST needs an api_key), so each is rate-limited per client
address and bounded in what it reads; no request ends in a server error: what fails
unexpectedly is logged and answered as the spec's "general service error" (400)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from banchengshi.errors import ActionRefused, Forbidden, InvalidInput, NotFound
from banchengshi.intake.actions import check_open311_request
from banchengshi.intake.models import Open311Request
from banchengshi.intake.open311 import formats, forms, services
from banchengshi.intake.open311.service_requests import (
    find_request,
    find_requests,
    public_request,
)
from banchengshi.intake.ratelimit import Verdict, client_address, hit, limit_named
from banchengshi.tokens.auth import user_for_token

log = logging.getLogger("banchengshi.open311")
View = Callable[..., HttpResponse]
# The registration form's fields, as Open311 names them in an error.
PARAMETERS = {
    "petitioner_name": "last_name",
    "phone": "phone",
    "description": "description",
    "matter_id": "service_code",
}


def _format(kwargs: dict[str, Any]) -> str:
    return str(kwargs.get("fmt") or "xml")


def _refused(exc: ActionRefused) -> forms.Open311Error:
    """An action's refusal in the spec's terms: 403 only for the api_key's account, 404 for
    what does not exist, 400 for the rest."""
    if isinstance(exc, InvalidInput) and "registered_unit_id" in exc.errors:
        # Where to register is no Open311 parameter: the api_key's account has no place to.
        exc = Forbidden(exc.errors["registered_unit_id"][0])
    if isinstance(exc, InvalidInput):
        return forms.Open311Error(
            400,
            [
                (400, f"{PARAMETERS.get(field, f'attribute[{field}]')}: {message}")
                for field, messages in exc.errors.items()
                for message in messages
            ],
        )
    if isinstance(exc, Forbidden):
        return forms.Open311Error(
            403,
            [
                (
                    403,
                    _("This api_key's account may not file requests: %(reason)s")
                    % {"reason": exc.message},
                )
            ],
        )
    status = 404 if isinstance(exc, NotFound) else 400
    return forms.Open311Error(status, [(status, str(exc.message))])


def endpoint(**limits: str) -> Callable[[View], View]:
    """Method → rate limit; other methods are refused. Errors are answered in the format the
    path asks for."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            fmt = _format(kwargs)
            method = request.method or "GET"
            try:
                if method not in limits:
                    raise forms.Open311Error(
                        400, [(405, _("%(method)s is not supported here.") % {"method": method})]
                    )
                verdict = hit(limit_named(limits[method]), client_address(request))
                if not verdict.allowed:
                    return _throttled(fmt, verdict)
                if len(request.META.get("QUERY_STRING", "")) > forms.MAX_QUERY:
                    raise forms.Open311Error(400, [(414, _("The query string is too long."))])
                forms.check_jurisdiction(request.GET.get("jurisdiction_id", "").strip())
                return view(request, *args, **kwargs)
            except forms.Open311Error as exc:
                return formats.errors(fmt, exc.status, exc.problems)
            except ActionRefused as exc:
                refused = _refused(exc)
                return formats.errors(fmt, refused.status, refused.problems)
            except Exception:
                log.exception("Open311 error on %s %s", method, request.path)
                return formats.errors(
                    fmt,
                    400,
                    [
                        (
                            400,
                            _(
                                "General service error; it was logged. "
                                "Please tell us if it persists."
                            ),
                        )
                    ],
                )

        return wrapped

    return decorate


def _throttled(fmt: str, verdict: Verdict) -> HttpResponse:
    response = formats.errors(
        fmt,
        429,
        [
            (
                429,
                _("Too many requests from your address; try again in %(seconds)d seconds.")
                % {"seconds": verdict.retry_after},
            )
        ],
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


@endpoint(GET="open311_read")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return formats.render(fmt, "services", services.service_list())


def _matter_or_404(code: str) -> Any:
    matter = services.public_matters().filter(code=code).first() if len(code) <= 40 else None
    if matter is None:
        raise forms.Open311Error(
            404, [(404, _("service_code “%(code)s” was not found.") % {"code": code[:40]})]
        )
    return matter


@endpoint(GET="open311_read")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    return formats.render(
        fmt, "service_definition", services.service_definition(_matter_or_404(code))
    )


@endpoint(GET="open311_read", POST="open311_write")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    query = forms.request_query(request.GET, timezone.now())
    return formats.render(
        fmt, "service_requests", [public_request(case) for case in find_requests(query)]
    )


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = forms.MAX_BODY + 1
    if length > forms.MAX_BODY:
        raise forms.Open311Error(
            400,
            [
                (
                    413,
                    _("The request is too large (at most %(kb)d KB).")
                    % {"kb": forms.MAX_BODY // 1024},
                )
            ],
        )
    try:
        post = request.POST
    except (RequestDataTooBig, SuspiciousOperation):
        raise forms.bad_request(_("The request body could not be read.")) from None
    forms.check_jurisdiction(post.get("jurisdiction_id", "").strip())
    if "api_key" in request.GET:
        # An address is written to every access log and proxy log on the way: a key sent
        # there is refused, whatever the body holds, so the client learns before it leaks more.
        raise forms.Open311Error(
            403,
            [
                (
                    403,
                    _(
                        "Send the api_key in the request body or the X-API-Key header, never "
                        "in the address (it is written to access logs); ask for a new key if "
                        "this one was sent before."
                    ),
                )
            ],
        )
    key = post.get("api_key") or request.headers.get("X-API-Key") or ""
    actor = user_for_token(key.strip())
    if actor is None:
        raise forms.Open311Error(403, [(403, _("Missing or invalid api_key."))])
    code = post.get("service_code", "").strip()
    if not code:
        raise forms.bad_request(_("service_code was not provided."))
    submission = forms.submission(post, _matter_or_404(code).pk)
    filed = check_open311_request(actor, submission)
    return formats.render(
        fmt,
        "service_requests",
        [
            {
                "token": filed.token,
                "service_notice": _(
                    "Your appeal is registered. Exchange the token for its tracking number; "
                    "requests are public, without names, phone or ID numbers."
                ),
                "account_id": filed.account_id or None,
            }
        ],
    )


@endpoint(GET="open311_read")
def service_request(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    case = find_request(request_id) if len(request_id) <= forms.TRACKING_NO_LIMIT else None
    if case is None:
        raise forms.Open311Error(
            404,
            [(404, _("service_request_id “%(id)s” was not found.") % {"id": request_id[:40]})],
        )
    return formats.render(fmt, "service_requests", [public_request(case)])


@endpoint(GET="open311_read")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    filed = (
        Open311Request.objects.filter(token=token).select_related("case").first()
        if len(token) <= 32
        else None
    )
    if filed is None:
        raise forms.Open311Error(404, [(404, _("The token was not found."))])
    return formats.render(
        fmt,
        "service_requests",
        [{"service_request_id": filed.case.tracking_no, "token": filed.token}],
    )


@endpoint(GET="open311_read", POST="open311_write")
def unknown(request: HttpRequest, path: str, fmt: str | None = None) -> HttpResponse:
    raise forms.Open311Error(404, [(404, _("There is no such Open311 resource."))])
