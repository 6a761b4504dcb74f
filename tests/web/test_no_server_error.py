"""No value of any page may answer a server error, on SQLite or PostgreSQL.

Every URL pattern of the project's urlconf is walked with Django's resolver; each path
parameter in turn is given hostile values (NUL, a superscript digit, a 30-digit number,
unicode, a line break …) and every page is asked with hostile values for the query and form
parameters the pages read, by GET and by POST, as an anonymous visitor and as a signed-in
person holding every role (and the admin), also with hostile request headers and cookies
(HEADERS). Any answer of 500 or above fails, naming the request."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from banchengshi.cases.actions.clock_requests import check_request_extension
from banchengshi.cases.models import Case
from banchengshi.intake.ratelimit import DEFAULT_LIMITS
from banchengshi.org.actions import do_grant_role
from banchengshi.org.models import Role
from tests.cases.conftest import CaseBuilder, Org
from tests.neighborhood.sessions.conftest import build_streets

HOSTILE = ("\x00", "²", "1" * 30, "-1", "０１", "中文 a\nb %")
# The request headers a page, the API, Open311, the rate limits or Django read, each given
# every value of HEADER_VALUES at once; and the cookies, the session's among them. A cookie
# can carry NUL as "\000", which Python's cookie parser decodes.
HEADERS = (
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_IDEMPOTENCY_KEY",
    "HTTP_AUTHORIZATION",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_X_REQUESTED_WITH",
    "HTTP_HX_REQUEST",
    "HTTP_HX_CURRENT_URL",
    "HTTP_REFERER",
    "HTTP_USER_AGENT",
)
COOKIES = ("sessionid", "csrftoken", "django_language", "bcs_elder")
HEADER_VALUES = ("\x00", '"\\000"', "Bearer ² 中文 %00 a\tb", "9" * 5000)
# Every query or form parameter a page, the API or the admin reads.
PARAMETERS = (
    "page",
    "dispatch_page",
    "returned_page",
    "requests_page",
    "supervise_page",
    "overdue_page",
    "reopened_page",
    "q",
    "no",
    "department",
    "matter",
    "matter_q",
    "picker",
    "state",
    "colour",
    "category",
    "channel",
    "unit",
    "case",
    "received_from",
    "received_to",
    "next",
    "rated",
    "back",
    "limit",
    "offset",
    "per_page",
    "username",
    "password",
    "tracking_no",
    "secret",
    "satisfaction",
    "solved",
    "comment",
    "decision",
    "note",
    "version",
    "outcome",
    "reason",
    "reply",
    "window",
    "petitioner_name",
    "phone",
    "id_number",
    "description",
    "matter_id",
    "elder",
    "language",
    "service_code",
    "service_request_id",
    "start_date",
    "end_date",
    "status",
    "jurisdiction_id",
    "api_key",
    "o",
    "p",
    "_changelist_filters",
    "unit_id",
    "task_id",
    "request_id",
    "registered_unit_id",
    "failed_at_unit_id",
    "days",
    "visits_count",
    "received_at",
    "code",
    "side",
    "text",
    "answer",
    "request",
    "method",
    "credit_code",
    "enterprise_name",
    "matter_text",
    "petitioner_type",
    "complexity",
    "started",
    "website",
    "parent",
    "user",
    "start",
    "end",
    "point",
    "day",
    "center_staff",
    "outcome_note",
    "material-TOTAL_FORMS",
    "material-INITIAL_FORMS",
    "material-0-name",
    "material-0-copies",
    "material-0-original",
)
# Documents that read no parameter and take a second to build: asked once, as they are.
DOCUMENTS = frozenset({"/api/v1/openapi.json"})
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    # The path with {name} where each parameter goes, and each parameter's regex.
    template: str
    parameters: dict[str, str]


def _regex_group_end(text: str, start: int) -> int:
    """The index just past the parenthesis that closes the group opened at `start`."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise ValueError(f"unbalanced group in {text!r}")


def _template(pattern: str) -> tuple[str, dict[str, str]]:
    """A path() route or a re_path() regex as a template; optional groups are left out."""
    parameters: dict[str, str] = {}
    out = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("(?P<", index):
            end = _regex_group_end(pattern, index)
            name = pattern[index + 4 : pattern.index(">", index)]
            parameters[name] = pattern[pattern.index(">", index) + 1 : end - 1]
            out.append("{" + name + "}")
            index = end
        elif char == "(":
            index = _regex_group_end(pattern, index)
            if index < len(pattern) and pattern[index] == "?":
                index += 1
        elif char == "<" and (match := ROUTE_PARAMETER.match(pattern, index)):
            converter = match["converter"] or "str"
            parameters[match["name"]] = {"int": "[0-9]+", "slug": "[-a-zA-Z0-9_]+"}.get(
                converter, "[^/]+"
            )
            out.append("{" + match["name"] + "}")
            index = match.end()
        elif char in "^$":
            index += 1
        elif char == "\\":
            out.append(pattern[index + 1])
            index += 2
        else:
            out.append(char)
            index += 1
    return "/" + "".join(out), parameters


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def routes() -> list[Route]:
    """Every pattern once (a path that several HTTP methods share is one pattern here)."""
    found: dict[str, Route] = {}
    for pattern in _walk(get_resolver()):
        template, parameters = _template(pattern)
        found.setdefault(template, Route(template, parameters))
    return list(found.values())


def _benign(regex: str, known_id: int) -> str:
    """A value the parameter's pattern takes: an existing row's id, a word, or the first
    alternative the pattern lists."""
    for candidate in (str(known_id), "x", regex.split("|")[0]):
        if re.fullmatch(regex, candidate):
            return candidate
    return "x"


def paths(route: Route, known_id: int) -> Iterator[str]:
    """The route with benign values, then with each parameter in turn hostile."""
    benign = {name: _benign(regex, known_id) for name, regex in route.parameters.items()}
    yield route.template.format(**benign)
    for name in route.parameters:
        for value in HOSTILE:
            yield route.template.format(**{**benign, name: quote(value, safe="")})


ROUTES = routes()


@pytest.fixture
def clients(org: Org, cases: CaseBuilder, settings: Any) -> dict[str, Client]:
    """An anonymous visitor and a person with every role who is also the administrator;
    some cases in the hub's lists, so that their pages have rows to show."""
    settings.BANCHENGSHI_RATE_LIMITS = dict.fromkeys(DEFAULT_LIMITS, (10**9, 60))
    # Each wrong sign-in hashes the password: the fast hasher keeps the walk quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    everyone = User.objects.create_user("everyone", is_staff=True, is_superuser=True)
    for unit, role in [
        (org.hall, Role.WINDOW_CLERK),
        (org.hall, Role.WINDOW_HEAD),
        (org.dept_a, Role.UNIT_HANDLER),
        (org.dept_a, Role.UNIT_LEADER),
        (org.hub, Role.DISPATCHER),
        (org.office, Role.OFFICE_ADMIN),
        (org.inspectorate, Role.INSPECTOR),
        (org.office, Role.SYSADMIN),
    ]:
        do_grant_role(everyone, unit, role)
    # A service point and its center, with a remote session in its pages.
    streets = build_streets(org)
    do_grant_role(everyone, streets.point_a1.unit, Role.NEIGHBORHOOD_STAFF)
    do_grant_role(everyone, streets.center_a, Role.NEIGHBORHOOD_STAFF)
    streets.session(outcome="failed", outcome_note="中心系统无法调取档案。")
    cases.awaiting()
    asked = cases.in_progress()
    check_request_extension(org.handler_a, asked.pk, days=3, reason="需要跨部门调取档案")
    # A view that raises is answered 500 as in production, and counted, not raised here.
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(everyone)
    return {"anonymous": Client(raise_request_exception=False), "staff": signed_in}


def _known_id() -> int:
    return Case.objects.order_by("pk").values_list("pk", flat=True).first() or 1


def _ask(
    client: Client,
    method: str,
    path: str,
    data: dict[str, str] | None,
    headers: dict[str, str] | None = None,
) -> int:
    extra = headers or {}
    if method == "GET":
        query = f"?{urlencode(data)}" if data else ""
        response = client.get(path + query, **extra)
    else:
        response = client.post(path, data or {}, **extra)
    return int(response.status_code)


def hostile_headers(client: Client, value: str) -> dict[str, str]:
    """Every header of HEADERS as `value`, and the cookies: the client's own (a signed-in
    person stays signed in) followed by each of COOKIES as `value`."""
    # A server hands a header's bytes on decoded as Latin-1 (PEP 3333): 中文 arrives so.
    value = value.encode("utf-8").decode("latin-1")
    own = [f"{name}={morsel.value}" for name, morsel in client.cookies.items()]
    hostile = [f"{name}={value}" for name in COOKIES]
    return {**dict.fromkeys(HEADERS, value), "HTTP_COOKIE": "; ".join(own + hostile)}


@pytest.mark.parametrize("route", ROUTES, ids=[route.template for route in ROUTES])
def test_no_value_answers_a_server_error(route: Route, clients: dict[str, Client]) -> None:
    known_id = _known_id()
    benign, *hostile = paths(route, known_id)
    values = () if route.template in DOCUMENTS else HOSTILE
    failures = []
    for who, client in clients.items():
        # A method the view refuses (405) before reading anything is not asked again.
        methods = []
        for method in ("GET", "POST"):
            status = _ask(client, method, benign, None)
            if status >= 500:
                failures.append(f"{who} {method} {benign!r}: {status}")
            if status != 405:
                methods.append(method)
        for method in methods:
            for path in hostile:
                status = _ask(client, method, path, None)
                if status >= 500:
                    failures.append(f"{who} {method} {path!r}: {status}")
            for value in values:
                status = _ask(client, method, benign, dict.fromkeys(PARAMETERS, value))
                if status >= 500:
                    failures.append(f"{who} {method} {benign!r} with {value!r}: {status}")
            for value in () if route.template in DOCUMENTS else HEADER_VALUES:
                status = _ask(client, method, benign, None, hostile_headers(client, value))
                if status >= 500:
                    failures.append(f"{who} {method} {benign!r} headers {value[:20]!r}: {status}")
    assert not failures, "\n".join(failures)


def test_the_walk_reaches_every_kind_of_pattern() -> None:
    """path() routes with converters, re_path() regexes, the API's and the admin's, and the
    pages of every app (the newest too: evaluation, neighborhood, reports, knowledge)."""
    templates = {route.template for route in ROUTES}
    assert {
        "/staff/inspect/pii-views/",
        "/api/v1/evaluations",
        "/api/v1/remote-sessions",
        "/open/",
        "/api/v1/ledger",
        "/api/v1/knowledge",
        "/track/{tracking_no}/rate/",
        "/staff/hub/cases/{case_id}/requests/{request_id}/",
        "/api/v1/cases/{case_id}/dispatch",
        "/open311/v2/requests/{request_id}.{fmt}",
        "/admin/org/unit/{object_id}/change/",
    } <= templates
    hub = next(
        route
        for route in ROUTES
        if route.template == "/staff/hub/cases/{case_id}/requests/{request_id}/"
    )
    assert list(paths(hub, 7))[:3] == [
        "/staff/hub/cases/7/requests/7/",
        "/staff/hub/cases/%00/requests/7/",
        "/staff/hub/cases/%C2%B2/requests/7/",
    ]
