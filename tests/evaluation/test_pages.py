"""The evaluation pages: who sees which (the permission matrix), the handling forms, the paper
form, the tablet, the SMS page and the public figures; privacy and hostile input."""

from __future__ import annotations

import pytest
from django.test import Client

from banchengshi.evaluation.actions.invites import invite_by_sms
from banchengshi.evaluation.actions.tablet import check_push
from banchengshi.evaluation.models import Evaluation, HandlingStatus
from banchengshi.notify.models import Notification, NotificationKind
from tests.cases.conftest import sh

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("person", "sees_hall", "sees_dept_b"),
    [
        ("clerk", True, False),
        ("windowhead", True, False),
        ("handler_b", False, True),
        ("handler_a", False, False),
        ("officeadmin", True, True),
        ("dispatcher", True, True),
        ("inspector", True, True),
    ],
)
def test_who_sees_which_evaluation(org, rate, staff, person, sees_hall, sees_dept_b):
    hall = rate(4, comment="大厅的评价")
    dept_b = rate(4, actor=org.officeadmin, unit_id=org.dept_b.pk, comment="人社局的评价")
    client = staff(person)
    listed = client.get("/staff/evaluations/").content.decode()
    assert (f'href="/staff/evaluations/{hall.pk}/"' in listed) is sees_hall
    assert (f'href="/staff/evaluations/{dept_b.pk}/"' in listed) is sees_dept_b
    assert client.get(f"/staff/evaluations/{hall.pk}/").status_code == (200 if sees_hall else 404)
    assert client.get(f"/staff/evaluations/{dept_b.pk}/").status_code == (
        200 if sees_dept_b else 404
    )


def test_the_sysadmin_sees_no_evaluations(staff):
    response = staff("sysadmin").get("/staff/evaluations/")
    assert response.status_code == 403


def test_the_menu_shows_good_bad_reviews(staff):
    assert 'href="/staff/evaluations/"' in staff("clerk").get("/staff/").content.decode()


def test_the_handling_goes_through_the_page(org, rate, staff):
    bad = rate(1)
    client = staff("windowhead")
    page = client.get(f"/staff/evaluations/{bad.pk}/").content.decode()
    assert 'id="form-verify"' in page
    assert 'id="form-appeal"' in page
    response = client.post(
        f"/staff/evaluations/{bad.pk}/verify/", {"genuine": "1", "finding": "核实属实的情况"}
    )
    assert response.status_code == 302
    assert Evaluation.objects.get().handling.status == HandlingStatus.TO_ANSWER
    refused = client.post(f"/staff/evaluations/{bad.pk}/close/", {"note": ""})
    assert refused.status_code == 409
    assert "A bad review is closed once answered" in refused.content.decode()


def test_a_short_finding_is_shown_under_its_field(org, rate, staff):
    bad = rate(1)
    response = staff("windowhead").post(
        f"/staff/evaluations/{bad.pk}/verify/", {"genuine": "1", "finding": "属实"}
    )
    assert response.status_code == 422
    assert "The finding needs at least 5 characters." in response.content.decode()


def test_an_unknown_step_is_not_found(org, rate, staff):
    bad = rate(1)
    assert staff("windowhead").post(f"/staff/evaluations/{bad.pk}/explode/").status_code == 404


def test_the_paper_form(org, staff):
    client = staff("windowhead")
    assert client.get("/staff/evaluations/paper/").status_code == 200
    response = client.post(
        "/staff/evaluations/paper/",
        {
            "unit": org.hall.pk,
            "level": "2",
            "subject_kind": "window",
            "subject_id": "",
            "rated_on": "2026-11-19",
            "comment": "排队时间长",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.channel, evaluation.level, evaluation.comment) == ("paper", 2, "排队时间长")


@pytest.mark.parametrize(
    "hostile",
    [
        {"comment": "a\x00b"},
        {"level": "9"},
        {"level": "²"},
        {"unit": "99999999999999999999999"},
        {"rated_on": "2026-02-30"},
        {"rated_on": "2027-01-01"},
        {"subject_id": "x" * 65},
    ],
)
def test_the_paper_form_refuses_hostile_input(org, staff, hostile):
    body = {
        "unit": org.hall.pk,
        "level": "2",
        "subject_kind": "window",
        "rated_on": "2026-11-19",
        **hostile,
    }
    response = staff("windowhead").post("/staff/evaluations/paper/", body)
    assert response.status_code == 422
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["level=x", "start=2026-13-01", "unit=%00", "page=99999999999999999999", "channel=%00"],
)
def test_the_list_takes_hostile_filters(org, rate, staff, query):
    rate(4)
    assert staff("officeadmin").get(f"/staff/evaluations/?{query}").status_code in (200, 400)


def test_the_tablet_rates_a_pushed_transaction(org, signed_in):
    client = signed_in("clerk")
    response = client.post("/staff/rate/push/", {"unit": org.hall.pk, "matter": org.matter_h.pk})
    assert response.status_code == 302
    waiting = client.get("/rate/")
    assert waiting.status_code == 302
    screen = client.get(waiting["Location"])
    assert 'id="face-5"' in screen.content.decode()
    assert client.post(waiting["Location"], {"level": "5"})["Location"] == "/rate/thanks/"
    assert Evaluation.objects.get().channel == "window_tablet"
    assert client.get("/rate/").status_code == 200


def test_the_tablet_screen_of_another_clerk_is_refused(org, signed_in):
    pushed = check_push(org.clerk, matter_id=org.matter_h.pk)
    response = signed_in("windowhead").get(f"/rate/{pushed.pk}/")
    assert response.status_code == 403


def test_the_sms_page_rates_once_and_shows_nothing_of_others(org, client: Client):
    first = invite_by_sms(
        org.clerk,
        subject_kind="door_to_door",
        subject_id="",
        unit_id=org.hall.pk,
        mobile="13912345678",
    )
    second = invite_by_sms(
        org.clerk,
        subject_kind="door_to_door",
        subject_id="",
        unit_id=org.hall.pk,
        mobile="13812345678",
    )
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    posted = client.post(f"/e/{first.token}/", {"level": "1", "comment": "上门服务迟到两小时"})
    assert posted.status_code == 302
    assert client.get(posted["Location"]).status_code == 200
    again = client.get(f"/e/{first.token}/")
    assert again.status_code == 409
    assert "上门服务迟到两小时" not in again.content.decode()
    other = client.get(f"/e/{second.token}/").content.decode()
    assert "上门服务迟到两小时" not in other
    assert "13912345678" not in other
    assert 'id="face-1"' in other
    assert client.get("/e/notatoken/").status_code == 404


def test_the_public_figures_show_counts_and_no_comment(org, rate, client: Client):
    rate(5, comment="私人的评价内容")
    rate(1)
    page = client.get("/evaluations/?month=2026-11", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "区政务服务中心大厅" in page
    assert "私人的评价内容" not in page
    assert "Satisfaction rate: ratings of very satisfied" in page
    assert ">50%<" in page


@pytest.mark.parametrize("month", ["2026-13", "x", "%00", "9999-01", "2026-11-01"])
def test_the_public_figures_take_any_month(org, client: Client, month):
    assert client.get(f"/evaluations/?month={month}").status_code in (200, 400)


def test_after_registering_the_clerk_pushes_the_appeal_to_the_tablet(org, cases, signed_in):
    case = cases.register(org.clerk)
    client = signed_in("clerk")
    done = client.get(f"/staff/cases/{case.pk}/registered/").content.decode()
    assert f'href="/staff/rate/push/?case={case.pk}"' in done
    form = client.get(f"/staff/rate/push/?case={case.pk}").content.decode()
    assert f'name="case" value="{case.pk}"' in form
    response = client.post("/staff/rate/push/", {"unit": org.hall.pk, "case": case.pk})
    assert response.status_code == 302
    screen = client.get("/rate/")
    client.post(screen["Location"], {"level": "4"})
    assert Evaluation.objects.get().case == case


def test_the_list_filters_by_unit_level_and_period(org, rate, staff):
    hall = rate(2, evaluated_at=sh(2026, 11, 18, 10))
    rate(5)
    other = rate(2, actor=org.officeadmin, unit_id=org.dept_b.pk)
    query = f"unit={org.hall.pk}&level=2&start=2026-11-18&end=2026-11-18"
    listed = staff("officeadmin").get(f"/staff/evaluations/?{query}").content.decode()
    rows = listed.split('id="evaluation-list"')[1]
    assert f'href="/staff/evaluations/{hall.pk}/"' in rows
    assert f'href="/staff/evaluations/{other.pk}/"' not in rows
    assert rows.count('href="/staff/evaluations/') == 1


def test_a_bad_review_notice_opens_its_rating(org, rate, staff):
    bad = rate(1)
    notice = Notification.objects.get(user=org.windowhead, kind=NotificationKind.BAD_REVIEW_OPENED)
    response = staff("windowhead").post(f"/staff/notifications/{notice.pk}/open/")
    assert response["Location"] == f"/staff/evaluations/{bad.pk}/"
