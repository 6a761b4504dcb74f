"""Hostile values at the edge: control characters in a path, a query or a typed field, and
numbers that are no numbers in page and id parameters. Each is answered with a clear message
in the person's language (or the API's or Open311's error format), never a server error;
the same tests run on SQLite and PostgreSQL (which cannot store NUL)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from banchengshi.cases.models import Case
from banchengshi.ids import MAX_ID, parse_number
from banchengshi.org.models import LoginLock
from banchengshi.web.params import page_number
from tests.cases.conftest import CaseBuilder, Org
from tests.web.conftest import SignedIn

CONTROL_REFUSED = (
    "The address contains an invisible control character (such as NUL). "
    "Check the link or what was typed, and try again."
)
CONTROL_REFUSED_ZH = "网址中含有不可见的控制字符（如空字符 NUL）。请检查链接或输入的内容后重试。"
CONTROL_IN_TEXT = "Remove the invisible control character (such as NUL) from this text."
CONTROL_IN_TEXT_ZH = "请删除文字中的不可见控制字符（如空字符 NUL）。"


def body(response: Any) -> str:
    return str(response.content.decode())


# --- one number parser ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("7", 7),
        (" 7 ", 7),
        ("０１", 1),  # full-width digits, as a Chinese input method types them
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("1" * 30, None),
        ("²", None),
        ("-1", None),
        ("0", None),
        ("+1", None),
        ("1_000", None),
        ("", None),
        (None, None),
        ("\x00", None),
    ],
)
def test_parse_number(text: str | None, number: int | None) -> None:
    assert parse_number(text) == number


def test_a_page_that_is_no_page_number_is_page_1() -> None:
    from django.http import QueryDict

    assert page_number(QueryDict("page=3")) == 3
    assert page_number(QueryDict("page=²")) == 1
    assert page_number(QueryDict("dispatch_page=-2"), "dispatch_page") == 1
    assert page_number(QueryDict("")) == 1


@pytest.mark.parametrize("name", ["dispatch_page", "returned_page", "supervise_page"])
@pytest.mark.parametrize("value", ["²", "1" * 30, "-1", "", "０"])
def test_the_hubs_pages_take_any_value(
    cases: CaseBuilder, staff: SignedIn, name: str, value: str
) -> None:
    waiting = cases.awaiting()
    response = staff("dispatcher").get(reverse("web:hub"), {name: value})
    assert response.status_code == 200
    assert waiting.tracking_no in body(response)


def test_the_way_back_to_the_hub_keeps_only_page_numbers(
    cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.awaiting()
    response = staff("dispatcher").post(
        reverse("web:hub_dispatch"),
        {"back": "dispatch_page=²&returned_page=2&x=1", "case": [case.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/hub/?dispatch_page=1&returned_page=2"


@pytest.mark.parametrize(
    "url",
    [
        "/staff/?page=²",
        "/staff/work/rows/?page=99999999999999999999999999999",
        "/staff/inspect/?page=-1",
        "/guide/?page=²&department=99999999999999999999999999999",
        "/report/?matter=²",
    ],
)
def test_list_pages_read_bad_numbers_as_the_first_page(org: Org, staff: SignedIn, url: str) -> None:
    assert staff("officeadmin").get(url).status_code == 200


def test_a_units_page_reads_a_bad_page_number_as_the_first(org: Org, staff: SignedIn) -> None:
    url = reverse("web:unit", args=[org.dept_a.pk])
    assert staff("leader_a").get(url, {"page": "²"}).status_code == 200


def test_a_next_address_that_is_no_path_goes_home(org: Org) -> None:
    response = Client().post(reverse("web:elder"), {"elder": "1", "next": "²"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    response = Client().post(reverse("web:elder"), {"elder": "1", "next": "/guide/"})
    assert response["Location"] == "/guide/"


# --- control characters at the edge ----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/track/%00/"),
        ("get", "/kiosk/track/%00/"),
        ("get", "/guide/a%00b/"),
        ("post", "/track/%00/rate/"),
        ("get", "/guide/?q=%00"),
        ("get", "/guide/?q%00=1"),
        ("get", "/track/a%1Bb/"),
        ("get", "/track/a%0Ab/"),
        ("get", "/staff/?q=%00"),
        ("get", "/staff/cases/1/%00/"),
        ("get", "/admin/?q=%00"),
    ],
)
def test_a_control_character_in_the_address_is_refused_in_the_persons_language(
    org: Org, method: str, url: str
) -> None:
    chinese = getattr(Client(), method)(url)
    assert chinese.status_code == 400
    assert CONTROL_REFUSED_ZH in body(chinese)
    english = getattr(Client(HTTP_ACCEPT_LANGUAGE="en"), method)(url)
    assert english.status_code == 400
    assert CONTROL_REFUSED in body(english)


def test_the_kiosk_refuses_in_its_own_frame(org: Org) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/kiosk/track/%00/")
    assert response.status_code == 400
    assert 'id="kiosk-finish"' in body(response)


def test_a_tab_or_line_break_in_a_query_value_is_let_through(org: Org) -> None:
    assert Client().get("/guide/", {"q": "营业\t执照\n"}).status_code == 200


def test_the_api_refuses_in_its_json_format(org: Org) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/matters?q=%00")
    assert response.status_code == 400
    assert response.json() == {"code": "bad_request", "message": CONTROL_REFUSED, "field": None}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_refuses_in_its_error_format(org: Org, fmt: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/open311/v2/requests/%00.{fmt}")
    assert response.status_code == 400
    if fmt == "json":
        assert json.loads(response.content) == [{"code": 400, "description": CONTROL_REFUSED}]
    else:
        assert body(response) == (
            '<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>400</code>'
            f"<description>{CONTROL_REFUSED}</description></error></errors>"
        )


# --- control characters in typed text ------------------------------------------------------


def test_a_nul_in_the_sign_in_name_is_refused_and_counts_no_attempt(org: Org) -> None:
    login = reverse("web:login")
    response = Client().post(login, {"username": "clerk\x00", "password": "x"})
    assert response.status_code == 422
    assert CONTROL_IN_TEXT_ZH in body(response)
    english = Client(HTTP_ACCEPT_LANGUAGE="en").post(login, {"username": "\x00", "password": "x"})
    assert english.status_code == 422
    assert CONTROL_IN_TEXT in body(english)
    assert not LoginLock.objects.exists()


def test_a_nul_in_the_admin_sign_in_name_is_a_form_error(org: Org) -> None:
    response = Client().post("/admin/login/", {"username": "admin\x00", "password": "x"})
    assert response.status_code == 200
    assert CONTROL_IN_TEXT_ZH in body(response)


def test_a_nul_in_the_tracking_form_is_a_field_error(org: Org) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("web:track"), {"tracking_no": "PT-2026\x00", "secret": "1234"}
    )
    assert response.status_code == 422
    assert CONTROL_IN_TEXT in body(response)


def test_a_control_character_in_a_case_action_is_a_field_error(
    cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.dispatched()
    url = reverse("web:case_act", args=[case.pk, "return"])
    response = staff("handler_a").post(url, {"reason": "不属于\x00本局", "version": case.version})
    assert response.status_code == 422
    assert CONTROL_IN_TEXT in body(response)
    assert Case.objects.get(pk=case.pk).returns_count == 0
