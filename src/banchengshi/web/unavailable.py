"""The answer to a request that failed on the server (Django's handler500; the API's own
handler calls `database_unreachable` too).

A database that cannot be reached — restarting, failing over, out of connections — is not a
bug but a moment: the answer is 503 with Retry-After and words saying to try again, never a
500 or a traceback. Anything else is a 500 saying the error was logged. Both are rendered
without the request's context (no session, no user, no menu), because reading those may need
the very database that failed, and a failing error page would leave the client a bare one.
Each part answers in its own format: JSON under /api/, the GeoReport error list under
/open311/, a page elsewhere."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from banchengshi.api.errors import RETRY_AFTER_SECONDS, error_body, unavailable_message
from banchengshi.intake.open311 import formats


def database_unreachable(exc: BaseException | None) -> bool:
    # psycopg's "connection refused", "terminating connection due to administrator command"
    # and "server closed the connection" all arrive as one of these two.
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    if database_unreachable(sys.exc_info()[1]):
        status, code, message = 503, "unavailable", unavailable_message()
    else:
        status, code = 500, "server_error"
        message = _("Something went wrong on our side; the error was logged.")
    path = request.path
    response: HttpResponse
    if path.startswith("/api/"):
        response = JsonResponse(error_body(code, message), status=status)
    elif path.startswith("/open311/"):
        fmt = "json" if path.endswith(".json") else "xml"
        response = formats.errors(fmt, status, [(status, message)])
    else:
        page = loader.get_template("web/server_error.html").render(
            {"message": message, "status": status, "language": get_language()}
        )
        response = HttpResponse(page, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
