"""The sender of each outbox channel: a function that returns when the message has left and
raises when it has not (notify.delivery.Undeliverable: never will; anything else: try again
later). notify.sending calls them with no database transaction open."""

from __future__ import annotations

from banchengshi.notify.delivery import Sender
from banchengshi.notify.senders import email, notice, sms
from banchengshi.notify.webhooks.delivery import deliver_webhook

SENDERS: dict[str, Sender] = {
    "sms": sms.send,
    "email": email.send,
    "notice": notice.send,
    "webhook": deliver_webhook,
}
