"""Open311 in tests: the third-party `georeport` client talking to the application in-process,
plain HTTP for what it does not do (POST, tokens), and XML read back as the JSON it mirrors."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import requests
from django.test import Client
from georeport import GeoReport
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from banchengshi.intake.open311.formats import ITEMS

ROOT = "http://testserver/open311/v2"


class DjangoAdapter(BaseAdapter):
    """Hands what `requests` sends to Django's test client, so that the client's calls run
    inside the test's transaction (on SQLite and PostgreSQL alike)."""

    def __init__(self, client: Client) -> None:
        super().__init__()
        self.client = client

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        url = urlsplit(str(request.url))
        path = url.path + (f"?{url.query}" if url.query else "")
        answer = self.client.generic(str(request.method), path, request.body or b"")
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(dict(answer.headers))
        response.encoding = "utf-8"
        response.url = str(request.url)
        response.request = request
        return response

    def close(self) -> None:
        pass


def georeport_clients(monkeypatch: pytest.MonkeyPatch, client: Client) -> dict[str, GeoReport]:
    """The client in both its output formats, its HTTP going to `client`."""
    adapter = DjangoAdapter(client)
    monkeypatch.setattr(requests.Session, "get_adapter", lambda self, url: adapter)
    return {fmt: GeoReport(ROOT, output_format=fmt) for fmt in ("json", "xml")}


def from_xml(element: ElementTree.Element) -> Any:
    """XML as its JSON twin (the Spark convention): lists by their element's name."""
    if element.tag in ITEMS:
        return [from_xml(child) for child in element]
    if len(element):
        return {child.tag: from_xml(child) for child in element}
    return element.text or ""


def as_text(value: Any) -> Any:
    """JSON with every scalar as the text XML carries."""
    if isinstance(value, dict):
        return {key: as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_text(item) for item in value]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def both_formats(client: Client, path: str, **params: Any) -> tuple[Any, Any, int]:
    """(JSON, XML read as JSON, status) of one GET, asserting the statuses are equal."""
    as_json = client.get(f"/open311/v2/{path}.json", params)
    as_xml = client.get(f"/open311/v2/{path}.xml", params)
    assert as_json.status_code == as_xml.status_code
    assert as_json["Content-Type"] == "application/json; charset=utf-8"
    assert as_xml["Content-Type"] == "text/xml; charset=utf-8"
    assert as_xml.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return (
        json.loads(as_json.content),
        from_xml(ElementTree.fromstring(as_xml.content)),
        (as_json.status_code),
    )
