"""What senders and gateways share: how a message that can never leave is told apart from a
failure worth retrying."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from banchengshi.notify.models import OutboxMessage

# A channel's sender: returns when the message has left, raises when it has not.
Sender = Callable[["OutboxMessage"], None]


class Undeliverable(Exception):
    """This message will never leave as it is (no such template, a number the gateway refuses,
    a parameter too long): given up at once, not retried."""
