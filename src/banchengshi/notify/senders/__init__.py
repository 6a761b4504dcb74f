"""The sender of each outbox channel: a function that returns when the message has left and
raises when it has not (notify.delivery.Undeliverable: never will; anything else: try again
later). notify.sending calls them with no database transaction open.

A channel whose sender lives in an app above notify (webhooks) is registered by that app's
AppConfig.ready() with `register_sender`, so that notify imports none of them."""

from __future__ import annotations

from banchengshi.notify.delivery import Sender
from banchengshi.notify.senders import email, sms

SENDERS: dict[str, Sender] = {
    "sms": sms.send,
    "email": email.send,
}


def register_sender(channel: str, sender: Sender) -> None:
    SENDERS[channel] = sender
