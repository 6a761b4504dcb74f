"""The audit app's periodic job (autodiscovered by the scheduler)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction

from banchengshi.audit.anchors import Anchor, anchor_head, encode
from banchengshi.notify.models import OutboxMessage
from banchengshi.notify.outbox import enqueue
from banchengshi.scheduler.registry import periodic

log = logging.getLogger("banchengshi.audit")


@periodic(name="audit.anchor", daily_at=dt.time(0, 15))
def anchor(slot: dt.datetime) -> None:
    """Anchor the chain's head outside the database (R-REP-5). A rerun of the slot appends the
    head again: harmless, an anchor only ever says what the chain held at its time."""
    written = anchor_head()
    log.info("audit.anchor: event #%d anchored", written.seq)
    mail_anchor(written)


def mail_anchor(anchor: Anchor) -> None:
    """A copy of the anchor to each BANCHENGSHI_AUDIT_ANCHOR_EMAIL address (the inspectorate),
    through the outbox: kept outside the installation, where the anchor file's own
    administrator cannot reach it either."""
    line = encode(anchor).strip()
    with transaction.atomic():
        for address in settings.BANCHENGSHI_AUDIT_ANCHOR_EMAIL:
            enqueue(
                channel=OutboxMessage.Channel.EMAIL,
                recipient=address,
                template="staff_notification",
                payload={
                    "subject": f"审计链锚点 #{anchor.seq}",
                    "body": (
                        f"审计链截至第 {anchor.seq} 条事件的锚点如下，请留存，"
                        "核查时与 `banchengshi audit verify` 的锚点文件逐行比对：\n\n"
                        f"{line}\n"
                    ),
                },
            )
