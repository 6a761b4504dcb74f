"""Report files kept by the scheduler on the first working day after a period, their list and
their download, each to whoever may read the scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from banchengshi.notify.models import Notification, NotificationKind
from banchengshi.notify.wording import notice_text
from banchengshi.reports.jobs import due_reports, periodic_reports
from banchengshi.reports.models import StoredReport
from banchengshi.reports.periods import PeriodKind
from tests.cases.conftest import sh
from tests.reports.conftest import District


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("day", "due"),
    [
        # Tuesday: the first working day of December.
        (dt.date(2026, 12, 1), [PeriodKind.MONTH]),
        (dt.date(2026, 12, 2), []),
        # 10-01 … 10-07 are the National Day holidays: the 8th opens October and Q4.
        (dt.date(2026, 10, 8), [PeriodKind.MONTH, PeriodKind.QUARTER]),
        (dt.date(2026, 10, 1), []),
        # 01-01 … 01-03 are the New Year holidays; Sunday the 4th is worked in their place.
        (dt.date(2026, 1, 4), [PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR]),
        (dt.date(2026, 1, 5), []),
    ],
)
@pytest.mark.django_db
def test_it_knows_the_first_working_day_of_a_period(day: dt.date, due: list[PeriodKind]) -> None:
    assert due_reports(day) == due


def test_it_keeps_last_months_files_and_tells_the_office(
    district: District, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    settings.MEDIA_ROOT = tmp_path
    periodic_reports(sh(2026, 12, 1, 6, 30))
    kept = StoredReport.objects.order_by("format")
    assert [(r.kind, r.period, r.unit, r.format) for r in kept] == [
        ("monthly", "2026-11", None, "docx"),
        ("monthly", "2026-11", None, "json"),
        ("monthly", "2026-11", None, "pdf"),
        ("monthly", "2026-11", None, "xlsx"),
    ]
    notice = Notification.objects.get(user=district.org.officeadmin)
    assert notice.kind == NotificationKind.REPORT_READY
    assert (
        notice_text(notice.kind, notice.params, None)
        == "2026-11 月报已生成，请在“统计报告”中查看。"
    )
    # Built again, a file replaces the one before.
    with django_capture_on_commit_callbacks(execute=True):
        periodic_reports(sh(2026, 12, 1, 6, 30))
    assert StoredReport.objects.count() == 4
    assert len(list((tmp_path / "reports" / "2026").iterdir())) == 4


def test_it_lists_and_serves_the_files_to_whoever_may_read_them(
    district: District, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    periodic_reports(sh(2026, 12, 1, 6, 30))
    office = client_of(district.org.officeadmin)
    listed = office.get("/staff/reports/files/").content.decode()
    json_file = StoredReport.objects.get(format="json")
    assert f"/staff/reports/files/{json_file.pk}/" in listed
    response = office.get(f"/staff/reports/files/{json_file.pk}/")
    assert response.status_code == 200
    assert b'"received": 8' in b"".join(response.streaming_content)
    leader = client_of(district.org.leader_a)
    assert f"/staff/reports/files/{json_file.pk}/" not in (
        leader.get("/staff/reports/files/").content.decode()
    )
    refused = leader.get(f"/staff/reports/files/{json_file.pk}/")
    assert refused.status_code == 403
    assert client_of(district.org.officeadmin).get("/staff/reports/files/99999/").status_code == 404
