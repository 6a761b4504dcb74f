"""One answer, two formats: the same tree of data rendered as JSON or as XML.

GeoReport v2 defines the XML (root element, one element per item, empty element for
nothing) and derives the JSON from it (the Spark convention: a list is an array, nothing is
null). Both renderings start from the same data, so they carry the same content."""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
# The element of each item in a list, by the list's element.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
}
# Characters XML 1.0 cannot carry; removed from both renderings so that they stay equal.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def _element(parent: ElementTree.Element, name: str, value: Any) -> None:
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _element(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _element(element, ITEMS[name], item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def to_xml(root: str, data: list[Any] | dict[str, Any]) -> str:
    top = ElementTree.Element(root)
    if isinstance(data, list):
        for item in data:
            _element(top, ITEMS[root], item)
    else:
        for key, item in data.items():
            _element(top, key, item)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        top, encoding="unicode"
    )


def render(
    fmt: str, root: str, data: list[Any] | dict[str, Any], status: int = 200
) -> HttpResponse:
    data = _clean(data)
    body = json.dumps(data, ensure_ascii=False) if fmt == "json" else to_xml(root, data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, problems: list[tuple[int, str]]) -> HttpResponse:
    """The spec's error list: HTTP 404 for what does not exist, 403 for the api_key, 400 for
    anything else; each error's own code may be more specific."""
    return render(
        fmt,
        "errors",
        [{"code": code, "description": description} for code, description in problems],
        status,
    )
