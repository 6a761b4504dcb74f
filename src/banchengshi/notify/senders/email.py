"""E-mail through Django's mail backend (settings EMAIL_BACKEND, EMAIL_HOST, …: SMTP in
production, the console in development). One template so far: "staff_notification", whose
payload carries its subject and body, composed in the reader's language by whoever queued
it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage

from banchengshi.notify.delivery import Undeliverable
from banchengshi.notify.models import OutboxMessage

TEMPLATES = ("staff_notification",)


def send(message: OutboxMessage) -> None:
    if message.template not in TEMPLATES:
        raise Undeliverable(f"no e-mail template {message.template!r}")
    payload = message.payload
    mail = EmailMessage(
        subject=str(payload.get("subject", "")),
        body=str(payload.get("body", "")),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
    )
    mail.send()
