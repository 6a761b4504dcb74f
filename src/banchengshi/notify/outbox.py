"""Writing to the outbox, inside the transaction of the change that causes a message (so a
change rolled back sends nothing). Sending is notify.sending."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from banchengshi.identifiers import validate_mobile
from banchengshi.notify.models import OutboxMessage, ShortLink
from banchengshi.notify.shortlinks import make_short_link


def enqueue(
    *,
    channel: str,
    recipient: str,
    template: str,
    payload: dict[str, Any],
    case_id: int | None = None,
) -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=channel, recipient=recipient, template=template, payload=payload, case_id=case_id
    )


def text_petitioner(
    *,
    phone: str,
    tracking_no: str,
    case_id: int,
    template: str,
    payload: dict[str, Any],
    rate_round: int | None = None,
) -> None:
    """An SMS to the petitioner about a case (its tracking number always goes with it); a
    landline cannot receive one, so it gets none. With `rate_round`, the SMS carries a short
    link for rating that round's answer. Plain values, so that notify needs no knowledge of
    cases."""
    try:
        validate_mobile(phone)
    except ValidationError:
        return
    payload = {"tracking_no": tracking_no, **payload}
    if rate_round is not None:
        payload["round"] = rate_round
        payload["link"] = make_short_link(
            purpose=ShortLink.Purpose.RATE, case_id=case_id, round=rate_round
        )
    enqueue(channel="sms", recipient=phone, template=template, payload=payload, case_id=case_id)
