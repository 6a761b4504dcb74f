"""Appending to and verifying the hash chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.dispatch import Signal

from banchengshi.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64

# Sent with `events` (the stored AuditEvent rows) inside the transaction that wrote them:
# every change to a case passes here, whichever app made it, so apps that must react to
# case events in the same transaction (webhooks) listen here rather than in each
# action, and the audit chain needs to know nothing of them. A receiver that raises rolls
# the change back.
events_appended = Signal()


def event_hash(
    seq: int,
    case_id: int | None,
    actor_id: int | None,
    actor_label: str,
    action: str,
    at: dt.datetime,
    before: Any,
    after: Any,
    payload: Any,
    prev_hash: str,
) -> str:
    body = json.dumps(
        [
            seq,
            case_id,
            actor_id,
            actor_label,
            action,
            at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            before,
            after,
            payload,
            prev_hash,
        ],
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


# Values that come back from a JSON column as they went in (exact types: an enum member, a
# subclass of str, comes back as a plain str).
_JSON_SCALARS = frozenset({str, int, bool, type(None)})


def _plain(value: Any) -> Any:
    """What the JSON column will give back, so that the stored event hashes the same."""
    if (
        type(value) is dict
        and all(type(key) is str for key in value)
        and all(type(item) in _JSON_SCALARS for item in value.values())
    ):
        return value  # the common flat event: no round trip (the demo writes millions)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


@dataclass(frozen=True)
class PendingEvent:
    case_id: int | None
    actor_id: int | None
    actor_label: str
    action: str
    at: dt.datetime
    before: Any
    after: Any
    payload: Any


def append_events(
    events: Iterable[PendingEvent],
    *,
    write: Callable[[list[AuditEvent]], object] | None = None,
    announce: bool = True,
) -> list[AuditEvent]:
    """Chain and store events; must run inside the transaction that made the change. `write`
    stores the chained rows (bulk_create unless given: the demo's bulk generator passes its
    faster insert). `announce` False: not sent to `events_appended` (the demo's generated
    history did not just happen; nobody outside is to hear of it)."""
    pending = list(events)
    if not pending:
        return []
    assert transaction.get_connection().in_atomic_block, "audit events belong to a transaction"
    # Locking the head row orders concurrent appends. Migration audit/0002 makes it; a flush
    # (tests, `banchengshi flush`) removes it, so it is made again when missing.
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.bulk_create([AuditHead(pk=1)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(pk=1)
    rows = []
    seq, prev = head.last_seq, head.last_hash
    for event in pending:
        seq += 1
        before, after, payload = _plain(event.before), _plain(event.after), _plain(event.payload)
        digest = event_hash(
            seq,
            event.case_id,
            event.actor_id,
            event.actor_label,
            event.action,
            event.at,
            before,
            after,
            payload,
            prev,
        )
        rows.append(
            AuditEvent(
                seq=seq,
                case_id=event.case_id,
                actor_id=event.actor_id,
                actor_label=event.actor_label,
                action=event.action,
                at=event.at,
                before=before,
                after=after,
                payload=payload,
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    (write or AuditEvent.objects.bulk_create)(rows)
    AuditHead.objects.filter(pk=1).update(last_seq=seq, last_hash=prev)
    if announce:
        events_appended.send(sender=AuditEvent, events=rows)
    return rows


@dataclass(frozen=True)
class Verification:
    checked: int
    broken_seq: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain(batch_size: int = 5000) -> Verification:
    """Recompute every hash in order; report the first event that does not fit."""
    prev, expected_seq, checked = GENESIS, 1, 0
    events = AuditEvent.objects.order_by("seq").values_list(
        "seq",
        "case_id",
        "actor_id",
        "actor_label",
        "action",
        "at",
        "before",
        "after",
        "payload",
        "prev_hash",
        "hash",
    )
    for row in events.iterator(chunk_size=batch_size):
        seq, case_id, actor_id, label, action, at, before, after, payload, prev_hash, digest = row
        if seq != expected_seq:
            return Verification(checked, expected_seq, f"event #{expected_seq} is missing")
        if prev_hash != prev:
            return Verification(checked, seq, f"event #{seq} does not follow event #{seq - 1}")
        recomputed = event_hash(
            seq, case_id, actor_id, label, action, at, before, after, payload, prev_hash
        )
        if recomputed != digest:
            return Verification(checked, seq, f"event #{seq} was changed after it was written")
        prev, expected_seq, checked = digest, seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != prev):
        return Verification(
            checked, checked + 1, f"events after #{checked} are missing (the chain ends early)"
        )
    return Verification(checked, None, "")
