"""E-mail through Django's SMTP backend, to a real SMTP server (aiosmtpd) started here."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from banchengshi.notify.models import OutboxMessage
from banchengshi.notify.outbox import enqueue
from banchengshi.notify.sending import send_pending
from tests.cases.conftest import Org


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings: object) -> Iterator[Inbox]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (the controller checks it by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = port  # type: ignore[attr-defined]
    settings.DEFAULT_FROM_EMAIL = "banchengshi@putuo.example.gov.cn"  # type: ignore[attr-defined]
    try:
        yield inbox
    finally:
        controller.stop()


def test_a_staff_notification_reaches_the_smtp_server(org: Org, smtp: Inbox) -> None:
    message = enqueue(
        channel="email",
        recipient="handler@putuo.example.gov.cn",
        template="staff_notification",
        payload={"subject": "案件 PT-2026-000042 临近期限", "body": "请于明天前答复。"},
    )
    assert send_pending() == 1
    (envelope,) = smtp.envelopes
    assert envelope.mail_from == "banchengshi@putuo.example.gov.cn"
    assert envelope.rcpt_tos == ["handler@putuo.example.gov.cn"]
    mail = message_from_bytes(envelope.original_content or b"")
    assert str(make_header(decode_header(mail["Subject"]))) == "案件 PT-2026-000042 临近期限"
    body = mail.get_payload(decode=True).decode(mail.get_content_charset())
    assert body == "请于明天前答复。\r\n"  # SMTP lines end in CRLF
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_an_smtp_server_that_is_down_is_a_failed_attempt(
    org: Org, smtp: Inbox, settings: object
) -> None:
    settings.EMAIL_PORT = 9  # type: ignore[attr-defined]  # nothing listens on discard
    message = enqueue(
        channel="email",
        recipient="a@example.gov.cn",
        template="staff_notification",
        payload={"subject": "s", "body": "b"},
    )
    assert send_pending() == 0
    message.refresh_from_db()
    assert (message.status, message.last_error) == (
        "pending",
        "ConnectionRefusedError: [Errno 111] Connection refused",
    )


def test_an_email_template_we_do_not_have_is_given_up(org: Org, smtp: Inbox) -> None:
    message = enqueue(channel="email", recipient="a@example.gov.cn", template="x", payload={})
    assert send_pending() == 0
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("given_up", "no e-mail template 'x'")
    assert smtp.envelopes == []
