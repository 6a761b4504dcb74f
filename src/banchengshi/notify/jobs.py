"""The notify app's periodic jobs (autodiscovered by the scheduler); the logic lives in the
modules they call."""

from __future__ import annotations

import datetime as dt
import logging

from banchengshi.notify.sending import send_pending
from banchengshi.scheduler.registry import periodic

log = logging.getLogger("banchengshi.notify")


@periodic(name="notify.outbox", every=dt.timedelta(minutes=1))
def send_outbox(slot: dt.datetime) -> None:
    """Send what waits in the outbox. Any slot sends whatever is pending, so running it twice,
    or skipping a slot, loses and repeats nothing."""
    sent = send_pending()
    if sent:
        log.info("outbox: %d sent", sent)
