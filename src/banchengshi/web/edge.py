"""The edge of the site: a request whose path or query string holds a control character is
refused here, once, before any view or database sees it.

PostgreSQL cannot store or compare text with NUL in it (SQLite can), so a NUL reaching a
query is a server error on one engine and not the other; no address of this site has any
control character in it. Tab and line breaks are let through in query values (a search
pasted from a document); the path takes none. Form bodies are not read here: their text
fields refuse control characters themselves (web.forms.fields.TextField).

Headers and cookies are checked too: a cookie may carry NUL written as "\\000", which
Python's cookie parser decodes, and the session's or a token's look-up would then reach the
database with it. Such a request is answered in plain words without reading its session
(whose look-up is what would fail).

The refusal speaks each part's language: a page in the person's language for the web pages,
the JSON error of the REST API under /api/, the GeoReport error list under /open311/."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from banchengshi.api.errors import error_body
from banchengshi.intake.open311 import formats
from banchengshi.web.forms.fields import CONTROL_CHARACTERS
from banchengshi.web.public import KIOSK, PORTAL
from banchengshi.web.public import refusal as public_refusal
from banchengshi.web.staff import refusal as staff_refusal

PATH_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f]")
# A header may hold a tab; nothing else below a space.
HEADER_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def has_control_characters(request: HttpRequest) -> bool:
    if PATH_CONTROL_CHARACTERS.search(request.path):
        return True
    return any(
        CONTROL_CHARACTERS.search(text)
        for key, values in request.GET.lists()
        for text in (key, *values)
    )


def has_bad_headers(request: HttpRequest) -> bool:
    headers = (
        str(value)
        for key, value in request.META.items()
        if key.startswith("HTTP_") or key == "CONTENT_TYPE"
    )
    cookies = (text for item in request.COOKIES.items() for text in item)
    return any(HEADER_CONTROL_CHARACTERS.search(text) for text in (*headers, *cookies))


def refused(request: HttpRequest, *, in_headers: bool = False) -> HttpResponse:
    message = (
        _(
            "A header or cookie of the request contains an invisible control character "
            "(such as NUL). Clear this site's cookies, or check the program that sent it."
        )
        if in_headers
        else _(
            "The address contains an invisible control character (such as NUL). "
            "Check the link or what was typed, and try again."
        )
    )
    path = request.path
    if path.startswith("/api/"):
        return JsonResponse(error_body("bad_request", message), status=400)
    if path.startswith("/open311/"):
        return formats.errors("json" if path.endswith(".json") else "xml", 400, [(400, message)])
    if in_headers:
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    if path.startswith(("/staff/", "/admin/")):
        return staff_refusal(request, message, status=400)
    site = KIOSK if path.startswith("/kiosk/") else PORTAL
    return public_refusal(request, site, message, status=400)


class ControlCharacterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_bad_headers(request):
            return refused(request, in_headers=True)
        if has_control_characters(request):
            return refused(request)
        return self.get_response(request)
