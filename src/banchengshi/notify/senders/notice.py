"""Notices to units, logged: being replaced by staff notifications (notify.inbox); removed with
the NOTICE channel once nothing queues them."""

from __future__ import annotations

import logging

from banchengshi.notify.models import OutboxMessage

log = logging.getLogger("banchengshi.notify")


def send(message: OutboxMessage) -> None:
    log.info("notice to unit %s: %s %s", message.recipient, message.template, message.payload)
