"""Reading numbers and addresses out of query strings and forms, one way for every page.

A page number or an id arrives as text that anyone can type: "²" is a digit to
`str.isdigit` but not to `int`, a 30-digit number fits no database column, "-1" and ""
are no page. Each is either a number in its range or nothing, never an exception."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

from banchengshi.ids import parse_number


def page_number(params: QueryDict, name: str = "page") -> int:
    """The page a list is asked for; 1 for anything that is no page number (a page beyond
    the last is the list's to clamp)."""
    return parse_number(params.get(name)) or 1


def local_url(request: HttpRequest, target: str | None, default: str) -> str:
    """`target` if it is an address on this site (a path), else `default`: a `next` or
    `back` value must neither leave the site nor be taken for the name of a view."""
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return target
    return default
