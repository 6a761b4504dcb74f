"""Rate limits per client address (intake.ratelimit), counted in the database so that every
worker shares them; the Open311 endpoints answer over the limit in the spec's format."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from banchengshi.intake import ratelimit
from banchengshi.intake.models import RateCounter
from tests.cases.conftest import FrozenTime, Org


@pytest.fixture
def tight(settings: Any) -> None:
    settings.BANCHENGSHI_RATE_LIMITS = {"open311_read": (3, 60), "open311_write": (2, 3600)}


def test_over_the_limit_an_address_waits_for_the_next_window(
    org: Org, tight: None, frozen_time: FrozenTime
) -> None:
    client = Client(headers={"Accept-Language": "en"})
    statuses = [client.get("/open311/v2/services.json").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.get("/open311/v2/services.json")
    assert refused.status_code == 429
    # 10:00:00 is the start of a 60-second window.
    assert refused["Retry-After"] == "60"
    assert json.loads(refused.content) == [
        {
            "code": 429,
            "description": "Too many requests from your address; try again in 60 seconds.",
        }
    ]
    xml = client.get("/open311/v2/requests.xml")
    assert xml.status_code == 429
    assert b"<errors><error><code>429</code>" in xml.content

    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.get("/open311/v2/services.json").status_code == 200

    frozen_time.advance(seconds=60)
    assert client.get("/open311/v2/services.json").status_code == 200
    # Starting a window deletes the rows of the windows that ended.
    assert RateCounter.objects.count() == 1


def test_filing_has_its_own_limit(org: Org, tight: None) -> None:
    client = Client()
    for _ in range(2):
        assert client.post("/open311/v2/requests.json").status_code == 403  # no api_key
    assert client.post("/open311/v2/requests.json").status_code == 429
    assert client.get("/open311/v2/services.json").status_code == 200


@pytest.mark.parametrize(
    ("meta", "header", "address"),
    [
        ({"REMOTE_ADDR": "192.0.2.7"}, "", "192.0.2.7"),
        ({"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}, "", "2001:db8:1:2::/64"),
        ({"REMOTE_ADDR": "not an address"}, "", "unknown"),
        (
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.4"},
            "HTTP_X_FORWARDED_FOR",
            "198.51.100.4",
        ),
        (
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.9"},
            "HTTP_X_REAL_IP",
            "203.0.113.9",
        ),
        ({"REMOTE_ADDR": "127.0.0.1"}, "HTTP_X_REAL_IP", "127.0.0.1"),
    ],
)
def test_the_client_address(settings: Any, meta: dict[str, str], header: str, address: str) -> None:
    settings.BANCHENGSHI_CLIENT_ADDRESS_HEADER = header
    request = RequestFactory().get("/", **meta)
    assert ratelimit.client_address(request) == address


@pytest.mark.django_db
def test_the_decorator_serves_any_view(settings: Any, frozen_time: FrozenTime) -> None:
    """What the public portal will use: a plain 429 with Retry-After."""
    settings.BANCHENGSHI_RATE_LIMITS = {"open311_read": (1, 10)}

    @ratelimit.rate_limited("open311_read")
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    assert view(request).status_code == 200
    refused = view(request)
    assert (refused.status_code, refused["Retry-After"]) == (429, "10")
    assert refused["Content-Type"] == "text/plain; charset=utf-8"


@pytest.mark.django_db
def test_counting_is_one_row_per_address_and_window(frozen_time: FrozenTime) -> None:
    limit = ratelimit.Limit("open311_read", 5, 60)
    verdicts = [ratelimit.hit(limit, "192.0.2.1") for _ in range(6)]
    assert [v.allowed for v in verdicts] == [True] * 5 + [False]
    row = RateCounter.objects.get()
    assert (row.key, row.count) == ("open311_read:192.0.2.1", 6)
