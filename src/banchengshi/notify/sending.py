"""Sending what is in the outbox, in three steps, so that no database lock is held while a
gateway is called (SQLite has one writer: a lock held for an SMS call would hold up every
registration behind it):

1. claim a batch in a short transaction: due messages (`next_attempt_at` passed, served by the
   partial index on pending rows), skipping rows another sender has locked on PostgreSQL, then
   a conditional UPDATE that marks them with this batch's claim token until `claimed_until`
   (and moves `next_attempt_at` there, so a sender that dies holding them lets them go when
   the claim runs out) and counts the attempt;
2. send each message with no transaction open, through its channel's sender;
3. record each result in another short transaction, if the claim is still this batch's:
   sent (secrets blanked), tried again after a backoff, or given up (secrets blanked, and
   the system administrators told).

The backoff doubles from BANCHENGSHI_OUTBOX_RETRY_SECONDS up to
BANCHENGSHI_OUTBOX_RETRY_MAX_SECONDS; BANCHENGSHI_OUTBOX_MAX_ATTEMPTS attempts in all.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from banchengshi.identifiers import mask_phone
from banchengshi.notify.delivery import Undeliverable
from banchengshi.notify.inbox import notify, people_with
from banchengshi.notify.messages import without_secrets
from banchengshi.notify.models import NotificationKind, OutboxMessage
from banchengshi.notify.senders import SENDERS
from banchengshi.org.models import Role

log = logging.getLogger("banchengshi.notify")
BATCH = 50
Status = OutboxMessage.Status


@dataclass(frozen=True)
class Backoff:
    first: dt.timedelta
    longest: dt.timedelta
    max_attempts: int

    def delay(self, attempts: int) -> dt.timedelta:
        """How long to wait after the `attempts`-th failed attempt."""
        return min(self.first * 2 ** (attempts - 1), self.longest)


def backoff() -> Backoff:
    return Backoff(
        first=dt.timedelta(seconds=settings.BANCHENGSHI_OUTBOX_RETRY_SECONDS),
        longest=dt.timedelta(seconds=settings.BANCHENGSHI_OUTBOX_RETRY_MAX_SECONDS),
        max_attempts=settings.BANCHENGSHI_OUTBOX_MAX_ATTEMPTS,
    )


def claim(limit: int) -> list[OutboxMessage]:
    """Up to `limit` due messages, claimed for this caller (oldest due first)."""
    now = timezone.now()
    until = now + dt.timedelta(seconds=settings.BANCHENGSHI_OUTBOX_CLAIM_SECONDS)
    token = secrets.token_hex(16)
    due = OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    with transaction.atomic():
        ids = list(
            due.order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return []
        # Conditional: a row another sender took meanwhile is no longer due, and stays its.
        due.filter(id__in=ids).update(
            claim=token, claimed_until=until, next_attempt_at=until, attempts=F("attempts") + 1
        )
    return list(OutboxMessage.objects.filter(id__in=ids, claim=token).order_by("id"))


def send_pending(limit: int = 500) -> int:
    """Send up to `limit` due messages; how many left. Must be called outside a transaction
    (a caller's transaction would hold its locks through every gateway call)."""
    sent = handled = 0
    while handled < limit:
        batch = claim(min(BATCH, limit - handled))
        if not batch:
            break
        for message in batch:
            if message.claimed_until is None or timezone.now() >= message.claimed_until:
                break  # this claim ran out: the rest is another sender's to take
            sent += deliver(message)
        handled += len(batch)
    return sent


def deliver(message: OutboxMessage) -> int:
    """Send one claimed message and record what happened; 1 if it left."""
    policy = backoff()
    if message.attempts > policy.max_attempts:
        # Claimed that often, the senders holding it died: sending it kills them.
        return record(message, error="abandoned by its senders", give_up=True)
    sender = SENDERS.get(message.channel)
    try:
        if sender is None:
            raise Undeliverable(f"no sender for channel {message.channel!r}")
        sender(message)
    except Undeliverable as exc:
        return record(message, error=str(exc) or type(exc).__name__, give_up=True)
    except Exception as exc:  # a gateway's failure must not stop the others
        return record(message, error=f"{type(exc).__name__}: {exc}", give_up=False)
    return record(message, error=None, give_up=False)


def record(message: OutboxMessage, *, error: str | None, give_up: bool) -> int:
    """The result of an attempt, if the claim is still ours; 1 if the message left."""
    now = timezone.now()
    with transaction.atomic():
        mine = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message.pk, claim=message.claim, status=Status.PENDING)
            .first()
        )
        if mine is None:
            log.warning("outbox message %s: claim lost before its result was recorded", message.pk)
            return 0
        mine.claim, mine.claimed_until = "", None
        if error is None:
            mine.status, mine.sent_at, mine.next_attempt_at = Status.SENT, now, now
            mine.payload = without_secrets(mine.payload)
        else:
            mine.last_error = error[:1000]
            if give_up or mine.attempts >= backoff().max_attempts:
                mine.status = Status.GIVEN_UP
                mine.payload = without_secrets(mine.payload)
                _tell_administrators(mine)
            else:
                mine.next_attempt_at = now + backoff().delay(mine.attempts)
        mine.save()
    if error is not None:
        log.warning("outbox message %s (%s) failed: %s", mine.pk, mine.status, mine.last_error)
    return 1 if error is None else 0


def _tell_administrators(message: OutboxMessage) -> None:
    notify(
        user_ids=people_with([Role.SYSADMIN]),
        kind=NotificationKind.MESSAGE_GIVEN_UP,
        case_id=message.case_id,
        params={
            "message": message.pk,
            "channel": message.channel,
            "template": message.template,
            "attempts": message.attempts,
            "recipient": (
                mask_phone(message.recipient)
                if message.channel == OutboxMessage.Channel.SMS
                else message.recipient
            ),
        },
    )
