"""The notify app's periodic jobs (scheduler.registry)."""

from __future__ import annotations

import datetime as dt

from banchengshi.notify.sending import send_pending
from banchengshi.scheduler.registry import periodic


@periodic(name="outbox.send", every=dt.timedelta(minutes=1))
def send_outbox(slot: dt.datetime) -> None:
    # Any slot's work is the same (whatever is due now); a message is sent once whatever
    # runs it, through its claim.
    send_pending(limit=5000)
