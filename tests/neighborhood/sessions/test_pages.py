"""The workbench pages of remote sessions: /staff/sessions/ (list and counts),
/staff/sessions/new/ (a point's staff log one), /staff/sessions/<id>/ (the materials' next step
and the failed session's case), and what hostile input gets: a message, never a 500 or a
half-written row (run on SQLite and, with DATABASE_URL, on PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from banchengshi.cases.models import Case
from banchengshi.neighborhood.sessions.models import Circulation, RemoteSession
from tests.neighborhood.sessions.conftest import Streets


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(streets: Streets, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "point": streets.point_a1.pk,
        "day": "2026-11-20",
        "start": "09:00",
        "end": "09:20",
        "center_staff": streets.center_staff_a.pk,
        "matter": streets.matter_r.pk,
        "petitioner_name": "王秀兰",
        "phone": "13812345678",
        "id_number": "310107199003072012",
        "outcome": "accepted",
        "outcome_note": "",
        "material-TOTAL_FORMS": "2",
        "material-INITIAL_FORMS": "0",
        "material-0-name": "户口簿",
        "material-0-copies": "1",
        "material-0-original": "on",
        "material-1-name": "",
        "material-1-copies": "1",
    }
    values.update(fields)
    return values


NEW = "/staff/sessions/new/"


def test_the_menu_shows_the_remote_window_to_neighbourhood_staff(streets: Streets) -> None:
    html = client_of(streets.point_staff_a1).get("/staff/").content.decode()
    assert f'href="{reverse("web:sessions")}"' in html
    assert "远程窗口" in html
    html = client_of(streets.org.clerk).get("/staff/").content.decode()
    assert "远程窗口" not in html


def test_a_point_logs_a_session(streets: Streets) -> None:
    response = client_of(streets.point_staff_a1).post(NEW, form(streets))
    session = RemoteSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/sessions/{session.pk}/"
    assert list(session.materials.values_list("name", "copies", "original")) == [
        ("户口簿", 1, True)
    ]
    assert session.circulation == Circulation.LISTED


def test_the_form_shows_the_actions_refusals_under_their_fields(streets: Streets) -> None:
    response = client_of(streets.point_staff_a1).post(NEW, form(streets, end="08:30"))
    assert response.status_code == 422
    assert "结束时间不能早于开始时间。" in response.content.decode()
    assert not RemoteSession.objects.exists()


def test_the_center_has_no_form_to_log(streets: Streets) -> None:
    response = client_of(streets.center_staff_a).get(NEW)
    assert response.status_code == 403
    assert "远程办理由服务点工作人员登记。" in response.content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"petitioner_name": "王\x00秀兰"},
        {"phone": "138\x0012345678"},
        {"outcome_note": "\x00", "outcome": "failed"},
        {"material-0-name": "户口\x00簿"},
        {"point": "99999999999999999999999"},
        {"matter": "-1"},
        {"center_staff": "１２"},
        {"day": "99999-01-01"},
        {"start": "25:61"},
        {"material-TOTAL_FORMS": "100000000"},
        {"material-0-copies": "1000"},
        {"outcome": "x" * 300},
    ],
)
def test_hostile_input_gets_a_message_and_writes_nothing(
    streets: Streets, fields: dict[str, str]
) -> None:
    response = client_of(streets.point_staff_a1).post(NEW, form(streets, **fields))
    assert response.status_code == 422
    assert not RemoteSession.objects.exists()


def test_nul_in_a_name_is_named(streets: Streets) -> None:
    response = client_of(streets.point_staff_a1).post(NEW, form(streets, petitioner_name="王\x00"))
    assert "请删除文字中的不可见控制字符（如空字符 NUL）。" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["?start=99999-01-01", "?start=0001-01-01&end=9999-12-31", "?page=99999999999999"]
)
def test_the_list_takes_any_period_and_page(streets: Streets, query: str) -> None:
    streets.session()
    response = client_of(streets.center_staff_a).get("/staff/sessions/" + query)
    assert response.status_code == 200


def test_the_list_shows_the_streets_sessions_and_counts(streets: Streets) -> None:
    streets.session()
    url = "/staff/sessions/?start=2026-11-01&end=2026-11-30"
    html = client_of(streets.center_staff_a).get(url).content.decode()
    assert "甲一居委会服务站" in html
    assert "街道A社区事务受理服务中心" in html
    assert "13812345678" in html
    html = client_of(streets.center_staff_b).get(url).content.decode()
    assert "甲一居委会服务站" not in html
    html = client_of(streets.org.officeadmin).get(url).content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html


def test_the_materials_go_step_by_step_on_the_page(streets: Streets) -> None:
    session = streets.session()
    page = f"/staff/sessions/{session.pk}/"
    point, center = client_of(streets.point_staff_a1), client_of(streets.center_staff_a)
    assert "标记为已扫描" in point.get(page).content.decode()
    assert "标记为已扫描" not in center.get(page).content.decode()
    point.post(f"{page}materials/scanned/")
    point.post(f"{page}materials/sent/")
    assert "受理中心确认签收" in center.get(page).content.decode()
    response = center.post(f"{page}materials/received/", follow=True)
    assert "材料流转已登记。" in response.content.decode()
    assert "标记为原件已退还" in point.get(page).content.decode()
    session.refresh_from_db()
    assert session.circulation == Circulation.RECEIVED


def test_a_refused_step_is_a_message_on_the_page(streets: Streets) -> None:
    session = streets.session()
    response = client_of(streets.point_staff_a1).post(
        f"/staff/sessions/{session.pk}/materials/sent/", follow=True
    )
    assert "材料扫描后才能寄送受理中心，目前为“已列明”。" in response.content.decode()


def test_a_step_of_another_streets_session_is_not_found(streets: Streets) -> None:
    session = streets.session()
    response = client_of(streets.center_staff_b).get(f"/staff/sessions/{session.pk}/")
    assert response.status_code == 404


def test_a_failed_session_becomes_a_case_from_its_page(streets: Streets) -> None:
    session = streets.session(outcome="failed", outcome_note="中心系统无法调取档案。")
    page = f"/staff/sessions/{session.pk}/"
    center = client_of(streets.center_staff_a)
    assert "转为办不成事工单" in center.get(page).content.decode()
    response = center.post(f"{page}case/", follow=True)
    case = Case.objects.get()
    html = response.content.decode()
    assert f"已登记为工单 {case.tracking_no}。" in html
    assert f'href="/staff/cases/{case.pk}/"' in html
    assert "转为办不成事工单" not in html
    # The point's staff see the tracking number; the case's page is the center's.
    html = client_of(streets.point_staff_a1).get(page).content.decode()
    assert case.tracking_no in html
    assert f'href="/staff/cases/{case.pk}/"' not in html


def test_the_session_page_in_english(streets: Streets) -> None:
    session = streets.session()
    client = client_of(streets.point_staff_a1)
    html = client.get(f"/staff/sessions/{session.pk}/", HTTP_ACCEPT_LANGUAGE="en").content
    assert "Mark scanned" in html.decode()
