"""A control character in a header or cookie is refused at the edge in words (issue 15 item
1), before the session or a token is looked up with it: PostgreSQL refuses NUL in a query."""

from __future__ import annotations

from django.test import Client
from django.utils import translation

from tests.cases.conftest import Org

MESSAGE = (
    "请求的请求头或 Cookie 中含有不可见的控制字符（如 NUL）。"
    "请清除本网站的 Cookie，或检查发送请求的程序。"
)


def test_a_nul_in_the_session_cookie_is_refused_in_words(org: Org) -> None:
    # Python's cookie parser decodes the octal escape of a quoted value into NUL.
    response = Client().get("/staff/", HTTP_COOKIE='sessionid="\\000"')
    assert response.status_code == 400
    assert response.content.decode() == MESSAGE


def test_the_api_answers_its_own_error(org: Org) -> None:
    with translation.override("zh-hans"):
        response = Client().post(
            "/api/v1/cases",
            "{}",
            content_type="application/json",
            HTTP_AUTHORIZATION="Bearer bcs_\x00",
            HTTP_IDEMPOTENCY_KEY="\x00",
        )
    assert response.status_code == 400
    assert response.json() == {"code": "bad_request", "message": MESSAGE, "field": None}


def test_a_tab_in_a_header_is_let_through(org: Org) -> None:
    assert Client().get("/track/", HTTP_USER_AGENT="a\tb").status_code == 200
