"""The outbox sender's rate (`notify.sending.send_pending`), in messages per second, against
two backends measured in the same run on the same database:

- noop: a sender that returns at once (the floor set by claiming and recording: two short
  transactions per batch and one per message);
- smtp: the e-mail sender through Django's SMTP backend to a local SMTP server (aiosmtpd)
  started here, a connection per message as in production.

The figure that travels between machines is smtp/noop. Environment: BENCH_OUTBOX_MESSAGES
(default 2000).
"""

from __future__ import annotations

import os
import socket
import time
from typing import Any

NAME = "outbox"
MESSAGES = int(os.environ.get("BENCH_OUTBOX_MESSAGES", "2000"))


class _Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.count += 1
        return "250 OK"


def _queue(count: int) -> None:
    from banchengshi.notify.models import OutboxMessage

    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            channel="email",
            recipient=f"handler{n}@putuo.example.gov.cn",
            template="staff_notification",
            payload={"subject": f"案件 PT-2026-{n:06d} 临近期限", "body": "请于明天前答复。"},
        )
        for n in range(count)
    )


def _rate(count: int) -> float:
    from banchengshi.notify.sending import send_pending

    _queue(count)
    started = time.perf_counter()
    sent = send_pending(limit=count)
    elapsed = time.perf_counter() - started
    assert sent == count, (sent, count)
    return count / elapsed


def run() -> dict[str, Any]:
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.core.management import call_command

    from banchengshi.notify.senders import SENDERS

    call_command("migrate", verbosity=0)
    real = SENDERS["email"]
    SENDERS["email"] = lambda message: None
    try:
        noop = _rate(MESSAGES)
    finally:
        SENDERS["email"] = real
    sink = _Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    try:
        smtp = _rate(MESSAGES)
    finally:
        controller.stop()
    assert sink.count == MESSAGES
    return {
        "messages": MESSAGES,
        "noop_per_second": round(noop, 1),
        "smtp_per_second": round(smtp, 1),
        "smtp_over_noop": round(smtp / noop, 3),
    }
