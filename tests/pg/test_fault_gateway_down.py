"""The SMS gateway and the mail server down for an hour (docs/operations.md, "Faults
survived"): messages queued meanwhile wait in the outbox and all leave, each once, when they
come back.

The outbox job (`notify.outbox`, every minute) is run here once per minute of a frozen clock
moved on by hand, with the shipped retry schedule (8 attempts, the wait doubling from 60 s):
for 60 minutes both servers refuse connections (their ports closed), then they answer.
"""

from __future__ import annotations

import collections
import json
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from django.db.models import Max

from banchengshi.notify.models import OutboxMessage
from banchengshi.notify.outbox import enqueue
from banchengshi.notify.sending import send_pending
from tests.cases.conftest import FrozenTime, Org
from tests.notify.servers import LocalServer, serve
from tests.pg.stack import Mailbox, free_port, write_results

pytestmark = pytest.mark.django_db(transaction=True)
DOWN_MINUTES = 60
SMS_COUNT = 30
EMAIL_COUNT = 10


@pytest.fixture
def gateway() -> Iterator[LocalServer]:
    yield from serve()


def refusing(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_an_hour_without_gateway_and_mail_server_loses_nothing(
    org: Org, frozen_time: FrozenTime, settings: object, gateway: LocalServer
) -> None:
    smtp_port = free_port()
    settings.BANCHENGSHI_SMS_BACKEND = "http"  # type: ignore[attr-defined]
    # Down: nothing listens on the gateway's port for the hour (the local server comes later).
    sms_port = free_port()
    settings.BANCHENGSHI_SMS_HTTP_URL = f"http://127.0.0.1:{sms_port}/"  # type: ignore[attr-defined]
    settings.BANCHENGSHI_SMS_HTTP_SECRET = "s"  # type: ignore[attr-defined]
    settings.BANCHENGSHI_SMS_TIMEOUT = 2  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = smtp_port  # type: ignore[attr-defined]
    settings.EMAIL_TIMEOUT = 2  # type: ignore[attr-defined]
    assert refusing(sms_port)
    assert refusing(smtp_port)

    # Queued through the hour: one SMS every 2 minutes, one e-mail every 6.
    for minute in range(DOWN_MINUTES):
        if minute % 2 == 0 and minute // 2 < SMS_COUNT:
            enqueue(
                channel="sms",
                recipient=f"139{minute:08d}",
                template="intake_received",
                payload={"tracking_no": f"PT-2026-{minute:06d}"},
            )
        if minute % 6 == 0 and minute // 6 < EMAIL_COUNT:
            enqueue(
                channel="email",
                recipient=f"staff{minute}@putuo.example.gov.cn",
                template="staff_notification",
                payload={"subject": f"提醒 {minute}", "body": "请处理"},
            )
        assert send_pending() == 0
        frozen_time.advance(minutes=1)
    pending = OutboxMessage.objects.filter(status="pending")
    assert pending.count() == SMS_COUNT + EMAIL_COUNT
    failed_attempts = sum(message.attempts for message in pending)
    worst_before = pending.aggregate(Max("attempts"))["attempts__max"]

    # Back: the gateway on its port, the mail server on its own.
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    settings.BANCHENGSHI_SMS_HTTP_URL = gateway.url  # type: ignore[attr-defined]
    try:
        back = 0
        while OutboxMessage.objects.filter(status="pending").exists():
            assert back < 180, "still pending three hours after the servers came back"
            send_pending()
            frozen_time.advance(minutes=1)
            back += 1
    finally:
        controller.stop()

    statuses = collections.Counter(OutboxMessage.objects.values_list("status", flat=True))
    assert statuses == {"sent": SMS_COUNT + EMAIL_COUNT}
    # Each once: the gateway and the mail server got every message, none twice.
    phones = collections.Counter(json.loads(r.body)["phone"] for r in gateway.received)
    assert len(phones) == SMS_COUNT
    assert set(phones.values()) == {1}
    recipients = collections.Counter(rcpt for e in mailbox.envelopes for rcpt in e.rcpt_tos)
    assert len(recipients) == EMAIL_COUNT
    assert set(recipients.values()) == {1}
    most = OutboxMessage.objects.aggregate(Max("attempts"))["attempts__max"]
    assert most <= settings.BANCHENGSHI_OUTBOX_MAX_ATTEMPTS  # type: ignore[attr-defined]
    write_results(
        "gateway_down",
        {
            "down_minutes": DOWN_MINUTES,
            "sms": SMS_COUNT,
            "emails": EMAIL_COUNT,
            "failed_attempts_while_down": failed_attempts,
            "most_attempts_while_down": worst_before,
            "minutes_until_all_sent_after_back": back,
            "most_attempts_of_a_message": most,
            "max_attempts_allowed": settings.BANCHENGSHI_OUTBOX_MAX_ATTEMPTS,  # type: ignore[attr-defined]
            "lost": 0,
            "sent_twice": 0,
        },
    )
