"""An SMS gateway that hangs must not hold up registrations: the sender waits on it with no
transaction open. Run on SQLite (tests/notify) and PostgreSQL (tests/pg)."""

from __future__ import annotations

import threading
import time

from django.db import connection

from banchengshi.cases.actions.registration import check_register_case
from banchengshi.notify.outbox import enqueue
from banchengshi.notify.sending import send_pending
from tests.cases.conftest import Org, registration
from tests.notify.servers import LocalServer, Received

HANG_SECONDS = 3.0
TIMEOUT_SECONDS = 2.0


def registrations_go_on_while_the_gateway_hangs(
    org: Org, gateway: LocalServer, settings: object
) -> None:
    settings.BANCHENGSHI_SMS_BACKEND = "http"  # type: ignore[attr-defined]
    settings.BANCHENGSHI_SMS_HTTP_URL = gateway.url  # type: ignore[attr-defined]
    settings.BANCHENGSHI_SMS_HTTP_SECRET = "s"  # type: ignore[attr-defined]
    settings.BANCHENGSHI_SMS_TIMEOUT = TIMEOUT_SECONDS  # type: ignore[attr-defined]
    called, released = threading.Event(), threading.Event()

    def hang(request: Received) -> tuple[int, bytes]:
        called.set()
        released.wait(HANG_SECONDS)
        return 200, b"{}"

    gateway.answer = hang
    message = enqueue(
        channel="sms",
        recipient="13812345678",
        template="intake_received",
        payload={"tracking_no": "PT-2026-000001"},
    )
    results: list[int] = []

    def sender() -> None:
        try:
            results.append(send_pending())
        finally:
            connection.close()

    thread = threading.Thread(target=sender)
    thread.start()
    try:
        assert called.wait(10), "the sender never reached the gateway"
        timings = []
        for n in range(3):
            started = time.monotonic()
            check_register_case(org.clerk, registration(petitioner_name=f"申请人{n}"))
            timings.append(time.monotonic() - started)
        # Every registration finished while the gateway still had the SMS call open.
        assert not released.is_set()
        assert thread.is_alive()
        assert max(timings) < 1.0, timings
    finally:
        thread.join(HANG_SECONDS + 5)
        released.set()
    assert results == [0]
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("pending", "TimeoutError: timed out")
