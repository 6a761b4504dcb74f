"""Provisional deadlines where people see them (R-SLA-1): the case page, the worklist, the API;
the banner and the daily notice about next year's missing schedule; `deadline --provisional`."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from banchengshi.notify.models import Notification, NotificationKind
from banchengshi.workdays.jobs import remind_missing_year
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh
from tests.cases.test_provisional import CHRISTMAS_EVE, load_2027
from tests.web.conftest import SignedIn
from tests.web.test_case_page import page, text

NOTE_ZH = (
    "暂定：2027年的法定节假日安排尚未载入，按周一至周五计为工作日（2027-01-01至2027-01-04）。"
    "载入后将重新计算。"
)
BANNER_EN = "The statutory holiday schedule of 2027 is not loaded yet."


def test_case_page_worklist_and_api_show_the_mark(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime, signed_in: SignedIn
) -> None:
    frozen_time.set(CHRISTMAS_EVE)
    case = cases.dispatched(complexity="complex")
    client = signed_in("handler_a")
    words = text(page(client, case))
    assert "暂定" in words
    assert NOTE_ZH in words
    worklist = client.get(reverse("web:worklist")).content.decode()
    assert '<span class="badge provisional"' in worklist

    detail = client.get(f"/api/v1/cases/{case.pk}").json()
    [reply] = [c for c in detail["clocks"] if c["kind"] == "reply"]
    assert (reply["due"], reply["provisional"], reply["provisional_note"]) == (
        "2027-01-04T23:59:59.999+08:00",
        True,
        NOTE_ZH,
    )
    [cause] = [c for c in detail["clocks"] if c["kind"] == "cause_analysis"]
    assert (cause["provisional"], cause["provisional_note"]) == (False, "")
    work = client.get("/api/v1/worklist").json()
    assert [(w["kind"], w["provisional"]) for w in work["items"]] == [("receive", True)]

    load_2027()
    assert "暂定" not in text(page(client, case))
    assert "badge provisional" not in client.get(reverse("web:worklist")).content.decode()


@pytest.mark.parametrize(
    ("name", "banner"),
    [("sysadmin", True), ("officeadmin", True), ("dispatcher", False), ("handler_a", False)],
)
def test_the_banner_from_november_for_the_two_roles(
    org: Org, frozen_time: FrozenTime, staff: SignedIn, name: str, banner: bool
) -> None:
    client = staff(name)
    frozen_time.set(sh(2026, 10, 31, 23, 59))
    assert BANNER_EN not in client.get(reverse("web:worklist")).content.decode()
    frozen_time.set(sh(2026, 11, 1, 0, 1))
    assert (BANNER_EN in client.get(reverse("web:worklist")).content.decode()) is banner
    load_2027()
    assert BANNER_EN not in client.get(reverse("web:worklist")).content.decode()


def test_the_warning_day_is_a_setting(
    org: Org, frozen_time: FrozenTime, staff: SignedIn, settings: object
) -> None:
    settings.BANCHENGSHI_CALENDAR_WARN_FROM = "12-15"  # type: ignore[attr-defined]
    frozen_time.set(sh(2026, 12, 14))
    assert BANNER_EN not in staff("sysadmin").get(reverse("web:worklist")).content.decode()
    frozen_time.set(sh(2026, 12, 15))
    assert BANNER_EN in staff("sysadmin").get(reverse("web:worklist")).content.decode()


def test_the_daily_job_notifies_once_per_unread_notice(org: Org, frozen_time: FrozenTime) -> None:
    def run(day: dt.datetime) -> list[tuple[str, dict[str, int]]]:
        frozen_time.set(day)
        remind_missing_year(day.astimezone(dt.UTC))
        rows = Notification.objects.filter(kind=NotificationKind.CALENDAR_MISSING_YEAR)
        return sorted((n.user.username, n.params) for n in rows)

    assert run(sh(2026, 10, 31, 8)) == []
    told = [("officeadmin", {"year": 2027}), ("sysadmin", {"year": 2027})]
    assert run(sh(2026, 11, 1, 8)) == told
    assert run(sh(2026, 11, 1, 8)) == told  # the same slot again
    assert run(sh(2026, 11, 2, 8)) == told  # unread: nothing new
    Notification.objects.filter(user=org.sysadmin).update(read_at=sh(2026, 11, 2, 9))
    assert run(sh(2026, 11, 3, 8)) == [*told, ("sysadmin", {"year": 2027})]
    load_2027()
    assert len(run(sh(2026, 11, 4, 8))) == 3


def test_the_deadline_command_refuses_unless_provisional(db: None) -> None:
    arguments = ["--policy", "putuo", "--limit", "reply.complex"]
    with pytest.raises(CommandError) as refused:
        call_command("deadline", *arguments, "--received", "2026-12-24T10:00")
    assert "no statutory holiday schedule is known for 2027" in str(refused.value)
    assert str(refused.value).endswith("; or give --provisional")

    out = StringIO()
    call_command(
        "deadline", *arguments, "--received", "2026-12-24T10:00", "--provisional", stdout=out
    )
    result = json.loads(out.getvalue())
    assert (result["due"], result["provisional"]) == ("2027-01-04T23:59:59.999999+08:00", True)
    assert result["assumed"] == [
        {
            "year": 2027,
            "from": "2027-01-01",
            "to": "2027-01-04",
            "rule": "Monday to Friday are working days (schedule not loaded)",
        }
    ]
    assert result["counted"][-2:] == ["2027-01-01", "2027-01-04"]

    out = StringIO()
    call_command(
        "deadline", *arguments, "--received", "2026-12-21T10:00", "--provisional", stdout=out
    )
    result = json.loads(out.getvalue())
    assert (result["due"], result["provisional"], result["assumed"]) == (
        "2026-12-30T23:59:59.999999+08:00",
        False,
        [],
    )
