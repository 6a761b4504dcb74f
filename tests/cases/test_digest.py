"""The office administrators' daily digest of overdue cases, and the two periodic jobs."""

from __future__ import annotations

import datetime as dt

from banchengshi.cases.jobs import overdue_digest, reminder_sweep
from banchengshi.cases.reminders import Digest, send_digest
from banchengshi.notify.models import Notification, NotificationKind
from banchengshi.org.actions import do_grant_role
from banchengshi.org.models import Role
from banchengshi.scheduler.registry import JOBS
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh


def digests() -> list[tuple[str, dict[str, object]]]:
    rows = Notification.objects.filter(kind=NotificationKind.OVERDUE_DIGEST).order_by("id")
    return [(row.user.username, row.params) for row in rows.select_related("user")]


def test_one_digest_per_administrator_per_working_day(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    second_admin = org.sysadmin
    do_grant_role(second_admin, org.office, Role.OFFICE_ADMIN)
    # Putuo's cause analysis is due the same day (Fri 11-20): two cases overdue from Saturday.
    first, second = cases.in_progress(), cases.in_progress()
    cases.replied()  # analysed and answered: its return visit is due Wed 11-25
    cases.closed()

    saturday = sh(2026, 11, 21, 8, 30)
    assert send_digest(saturday) is None  # no digest on a rest day
    monday = sh(2026, 11, 23, 8, 30)
    numbers = [first.tracking_no, second.tracking_no]
    assert send_digest(monday) == Digest(dt.date(2026, 11, 23), 2, numbers, 2)
    params = {"day": "2026-11-23", "count": 2, "capped": False, "tracking_numbers": numbers}
    assert digests() == [("officeadmin", params), ("sysadmin", params)]
    assert send_digest(monday + dt.timedelta(hours=3)) is None  # once a day
    assert len(digests()) == 2


def test_no_digest_when_nothing_is_overdue(org: Org, cases: CaseBuilder) -> None:
    cases.replied(complexity="general")
    assert send_digest(sh(2026, 11, 23, 8, 30)) is None
    assert digests() == []


def test_the_jobs_are_registered(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> None:
    sweep_job, digest_job = JOBS["reminders.sweep"], JOBS["reminders.digest"]
    assert (sweep_job.run, sweep_job.every) == (reminder_sweep, dt.timedelta(minutes=5))
    assert (digest_job.run, digest_job.daily_at) == (overdue_digest, dt.time(8, 30))
    assert digest_job.slot_at(sh(2026, 11, 23, 9)) == sh(2026, 11, 23, 8, 30)

    case = cases.in_progress(complexity="general")
    frozen_time.set(sh(2026, 11, 24, 9, 2))
    reminder_sweep(sweep_job.slot_at(sh(2026, 11, 24, 9, 2)))  # the 09:00 slot
    kinds = Notification.objects.filter(case=case, kind__startswith="reminder.").values_list(
        "kind", "user__username"
    )
    assert sorted(kinds) == [
        ("reminder.before_yellow", "handlerA"),
        ("reminder.red", "dispatcher"),
        ("reminder.red", "officeadmin"),
    ]
    overdue_digest(digest_job.slot_at(sh(2026, 11, 24, 9, 2)))
    assert [user for user, _ in digests()] == ["officeadmin"]
