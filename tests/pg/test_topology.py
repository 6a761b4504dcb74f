"""The production topology on one machine (docs/operations.md, "Production topology"): two
gunicorn servers, an RQ worker and the scheduler, with DEBUG off, on one PostgreSQL database
and Redis. A case is registered through server A, accepted and signed for through server B,
and its overdue deadline's reminder reaches a dispatcher by SMS (a local HTTP gateway) and by
e-mail (a local SMTP server), sent by the worker from the jobs the scheduler queued."""

from __future__ import annotations

import datetime as dt
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from banchengshi.cases.models import Case
from banchengshi.notify.models import Notification, OutboxMessage, ReminderSent
from banchengshi.org.models import StaffProfile
from banchengshi.scheduler.models import JobRun, RunState
from banchengshi.tokens.actions import do_create_token
from tests.cases.conftest import Org
from tests.notify.servers import LocalServer, serve
from tests.pg.stack import (
    REDIS_URL,
    Mailbox,
    Stack,
    call,
    empty_redis,
    one_at_a_time,
    redis_answers,
    shared_database_url,
    stack_in,
    up,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    one_at_a_time,
    pytest.mark.skipif(not redis_answers(), reason=f"no Redis answers at {REDIS_URL}"),
]
DISPATCHER_MOBILE = "13900001111"
DISPATCHER_EMAIL = "dispatcher@putuo.example.gov.cn"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.fixture
def gateway() -> Iterator[LocalServer]:
    yield from serve()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    empty_redis()
    yield from stack_in(tmp_path, shared_database_url())


def test_a_case_crosses_two_servers_and_its_reminder_is_sent_by_the_worker(
    org: Org,
    stack: Stack,
    gateway: LocalServer,
    smtp: tuple[Mailbox, int],
) -> None:
    mailbox, smtp_port = smtp
    StaffProfile.objects.create(user=org.dispatcher, mobile=DISPATCHER_MOBILE)
    org.dispatcher.email = DISPATCHER_EMAIL
    org.dispatcher.save()
    _, clerk = do_create_token(org.clerk, "window")
    _, handler = do_create_token(org.handler_a, "department")
    messages = {
        "BANCHENGSHI_SMS_BACKEND": "http",
        "BANCHENGSHI_SMS_HTTP_URL": gateway.url,
        "BANCHENGSHI_SMS_HTTP_SECRET": "gateway-secret",
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        # Behind the proxy: the header is trusted and HSTS is sent on HTTPS.
        "BANCHENGSHI_TRUST_PROXY_PROTO": "1",
        "SECURE_HSTS_SECONDS": "300",
    }
    a = stack.gunicorn("web-a", **messages)
    b = stack.gunicorn("web-b", **messages)
    stack.worker(**messages)
    up(a)
    up(b)
    stack.listening()

    # Registered at A, received three weeks ago (a record typed in late): the reply's
    # deadline of 3 working days has passed.
    received = dt.datetime.now(dt.UTC) - dt.timedelta(days=21)
    created = call(
        a.port,
        "POST",
        "/api/v1/cases",
        token=clerk,
        headers={"Idempotency-Key": "topology-1"},
        body={
            "channel": "window",
            "petitioner_type": "person",
            "petitioner_name": "张三",
            "phone": "13812345678",
            "matter_id": org.matter_a.pk,
            "matter_text": "营业执照变更登记",
            "description": "办理营业执照变更登记时材料被退回三次，仍未办成",
            "request": "希望尽快办结",
            "received_at": received.isoformat(),
        },
    )
    assert created.status == 201, created.body.decode()
    case_id = created.json()["id"]
    # Accepted at B (dispatched by the matter to department A), signed for at B.
    screened = call(
        b.port,
        "POST",
        f"/api/v1/cases/{case_id}/screen",
        token=clerk,
        body={"admissible": True},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert screened.status == 200, screened.body.decode()
    assert screened.headers["strict-transport-security"] == "max-age=300"
    received_by = call(b.port, "POST", f"/api/v1/cases/{case_id}/receive", token=handler)
    assert received_by.status == 200, received_by.body.decode()
    assert "strict-transport-security" not in received_by.headers
    # The same case as seen from A.
    seen = call(a.port, "GET", f"/api/v1/cases/{case_id}", token=handler).json()
    assert seen["state"] == received_by.json()["state"] == "in_progress"
    assert "POST /api/v1/cases HTTP" in stack.access_log(a)
    assert f"POST /api/v1/cases/{case_id}/screen" in stack.access_log(b)
    assert f"POST /api/v1/cases/{case_id}/receive" in stack.access_log(b)
    assert "/screen" not in stack.access_log(a)

    # The scheduler queues the sweep, then the outbox (in this order); the worker runs both.
    stack.banchengshi(
        "scheduler", "scheduler", "--job=reminders.sweep", "--job=notify.outbox", **messages
    )
    wait_for(lambda: gateway.received and mailbox.envelopes, 180, "the SMS and the e-mail")

    outbox = OutboxMessage.objects.filter(case_id=case_id, template="staff_notification")
    wait_for(lambda: not outbox.filter(status="pending").exists(), 120, "the outbox to empty")
    case = Case.objects.get(pk=case_id)
    # One red reminder per overdue clock (the reply's, the cause analysis'), each to the
    # dispatcher by SMS and by e-mail.
    reds = ReminderSent.objects.filter(clock__case_id=case_id, level="red").count()
    notices = Notification.objects.filter(user=org.dispatcher, kind="reminder.red", case=case)
    assert reds >= 1
    assert notices.count() == reds
    assert (
        sorted(outbox.values_list("channel", "status"))
        == [("email", "sent")] * reds + [("sms", "sent")] * reds
    )
    assert len(gateway.received) == len(mailbox.envelopes) == reds
    for sms in gateway.received:
        sent = json.loads(sms.body)
        assert sent["phone"] == DISPATCHER_MOBILE
        assert case.tracking_no in json.dumps(sent["params"], ensure_ascii=False)
    for envelope in mailbox.envelopes:
        assert envelope.rcpt_tos == [DISPATCHER_EMAIL]
        assert case.tracking_no.encode() in (envelope.original_content or b"")
    # Run by the worker (not in the scheduler's process), each once.
    runs = JobRun.objects.filter(job__in=["reminders.sweep", "notify.outbox"])
    done = [run for run in runs if run.state == RunState.SUCCEEDED]
    assert {run.job for run in done} == {"reminders.sweep", "notify.outbox"}
    assert all(run.task_id and run.ran_by != run.claimed_by for run in done)
