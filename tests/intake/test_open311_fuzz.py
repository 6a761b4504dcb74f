"""Whatever is sent to Open311 (R-Q-5): an answer in the spec's format, never a server error."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode
from xml.etree import ElementTree

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.conftest import Org
from tests.intake.conftest import System

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
QUERY_NAMES = ["jurisdiction_id", "service_request_id", "service_code", "start_date"]
QUERY_NAMES += ["end_date", "status"]
FORM_NAMES = ["service_code", "lat", "long", "address_string", "address_id", "email"]
FORM_NAMES += ["device_id", "account_id", "first_name", "last_name", "phone", "description"]
FORM_NAMES += ["media_url", "attribute[category]", "attribute[visits_count]", "attribute[x][]"]
PATHS = ["services", "services/M-A", "requests", "requests/PT-2026-000001", "tokens/abc"]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _no_limits(settings: Any) -> None:
    settings.BANCHENGSHI_RATE_LIMITS = {"open311_read": (10**6, 60), "open311_write": (10**6, 60)}


def parses(fmt: str, content: bytes) -> Any:
    return json.loads(content) if fmt == "json" else ElementTree.fromstring(content)


def no_unexpected_error(caplog: pytest.LogCaptureFixture) -> None:
    """The views answer what they cannot handle as a "general service error" and log it:
    none may have happened."""
    assert not [r for r in caplog.records if r.name == "banchengshi.open311"]


@FUZZ
@given(
    path=st.sampled_from(PATHS) | TEXT.map(lambda text: text.replace("/", "")),
    fmt=st.sampled_from(["json", "xml"]),
    params=st.dictionaries(st.sampled_from(QUERY_NAMES) | TEXT, TEXT, max_size=5),
)
def test_no_read_is_a_server_error(
    org: Org, caplog: pytest.LogCaptureFixture, path: str, fmt: str, params: dict[str, str]
) -> None:
    # Quoted as a client would: a "?" or "#" typed into the path would end it otherwise.
    response = Client().get(f"/open311/v2/{quote(path, safe='')}.{fmt}", params)
    assert response.status_code in (200, 400, 404), response.content
    parses(fmt, response.content)
    no_unexpected_error(caplog)


@FUZZ
@given(
    fmt=st.sampled_from(["json", "xml"]),
    form=st.dictionaries(st.sampled_from(FORM_NAMES) | TEXT, TEXT, max_size=12),
    with_key=st.booleans(),
)
def test_no_filing_is_a_server_error(
    system: System,
    caplog: pytest.LogCaptureFixture,
    fmt: str,
    form: dict[str, str],
    with_key: bool,
) -> None:
    if with_key:
        form = {**form, "api_key": system.token}
    response = Client().post(
        f"/open311/v2/requests.{fmt}",
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 400, 403, 404), response.content
    parses(fmt, response.content)
    no_unexpected_error(caplog)
