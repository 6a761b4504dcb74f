"""The outbox is sent by the scheduler every minute (notify/jobs.py)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from banchengshi.notify.models import OutboxMessage
from banchengshi.scheduler.registry import JOBS, SHANGHAI
from tests.cases.conftest import FrozenTime

pytestmark = pytest.mark.django_db


def test_the_outbox_job_runs_every_minute() -> None:
    job = JOBS["notify.outbox"]
    assert job.every == dt.timedelta(minutes=1)
    now = dt.datetime(2026, 11, 20, 10, 0, 42, tzinfo=SHANGHAI)
    assert job.slot_at(now) == dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def test_scheduler_once_sends_what_waits(frozen_time: FrozenTime) -> None:
    frozen_time.set(dt.datetime(2026, 11, 20, 10, 0, 42, tzinfo=SHANGHAI))
    message = OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.EMAIL,
        recipient="dispatcher@example.gov.cn",
        template="staff_notification",
        payload={"subject": "案件派发", "body": "案件 PT-2026-000042 已派发至本单位。"},
    )
    out = io.StringIO()
    call_command("scheduler", "--once", "--job=notify.outbox", stdout=out)
    assert out.getvalue() == (
        "notify.outbox slot 2026-11-20 10:00+0800: succeeded in 0.00 s (attempt 1)\n"
    )
    message.refresh_from_db()
    assert (message.sent_at, message.attempts) == (frozen_time(), 1)
