"""Writing to the outbox (inside the change's transaction) and sending what is in it."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from banchengshi.identifiers import mask_phone, validate_mobile
from banchengshi.notify.messages import sms_text, without_secrets
from banchengshi.notify.models import OutboxMessage
from banchengshi.notify.webhooks.delivery import deliver_webhook

log = logging.getLogger("banchengshi.notify")
MAX_ATTEMPTS = 5


def enqueue(
    channel: str, recipient: str, template: str, payload: dict[str, Any], case_id: int | None
) -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=channel, recipient=recipient, template=template, payload=payload, case_id=case_id
    )


def text_petitioner(
    *, phone: str, tracking_no: str, case_id: int, template: str, payload: dict[str, Any]
) -> None:
    """An SMS to the petitioner about a case (its tracking number always goes with it); a
    landline cannot receive one, so it gets none. Plain values, so that notify needs no
    knowledge of cases."""
    try:
        validate_mobile(phone)
    except ValidationError:
        return
    enqueue("sms", phone, template, {"tracking_no": tracking_no, **payload}, case_id)


def deliver(message: OutboxMessage) -> None:
    """The logging backend: a deployment plugs its SMS gateway in here. SMS are composed into
    their words (notify.messages); a notice to a unit is shown in the workbench."""
    if message.channel == OutboxMessage.Channel.WEBHOOK:
        # Until the outbox has a sender per channel, webhooks branch off here.
        deliver_webhook(message)
    elif message.channel == OutboxMessage.Channel.SMS:
        # A log is no place for an access code: it is logged blanked.
        shown = sms_text(message, without_secrets(message.payload))
        log.info("sms to %s: %s", mask_phone(message.recipient), shown)
    else:
        log.info("notice to unit %s: %s %s", message.recipient, message.template, message.payload)


def send_pending(limit: int = 500) -> int:
    """Send unsent messages, oldest first; a failure is kept and retried later."""
    sent = 0
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    for message_id in pending.order_by("id").values_list("id", flat=True)[:limit]:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message_id, sent_at__isnull=True)
                .first()
            )
            if message is None:
                continue
            message.attempts += 1
            try:
                deliver(message)
            except Exception as exc:  # a gateway's failure must not stop the others
                message.last_error = str(exc)[:1000]
                if message.attempts >= MAX_ATTEMPTS:  # given up: nobody will send it now
                    message.payload = without_secrets(message.payload)
            else:
                message.sent_at = timezone.now()
                message.payload = without_secrets(message.payload)
                sent += 1
            message.save(update_fields=["attempts", "sent_at", "last_error", "payload"])
    return sent
