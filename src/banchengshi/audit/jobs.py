"""The audit app's periodic job (autodiscovered by the scheduler)."""

from __future__ import annotations

import datetime as dt
import logging

from banchengshi.audit.anchors import anchor_head
from banchengshi.scheduler.registry import periodic

log = logging.getLogger("banchengshi.audit")


@periodic(name="audit.anchor", daily_at=dt.time(0, 15))
def anchor(slot: dt.datetime) -> None:
    """Anchor the chain's head outside the database (R-REP-5). A rerun of the slot appends the
    head again: harmless, an anchor only ever says what the chain held at its time."""
    written = anchor_head()
    log.info("audit.anchor: event #%d anchored", written.seq)
