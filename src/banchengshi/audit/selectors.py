"""Reading the audit trail (R-REP-5): one case's events, each checked against the hash chain,
and the verification of the whole chain, for the people who oversee."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from banchengshi.audit.anchors import AnchorCheck, check_anchors
from banchengshi.audit.chain import GENESIS, Verification, event_hash, verify_chain
from banchengshi.audit.models import AuditEvent
from banchengshi.errors import Forbidden
from banchengshi.org.models import Role
from banchengshi.org.scope import Scope

AUDIT_READERS = frozenset({Role.INSPECTOR, Role.OFFICE_ADMIN})
# A case gathers a few dozen events in a long life; the cap keeps one page bounded regardless.
TRAIL_LIMIT = 500


def require_audit_reader(scope: Scope) -> None:
    if not scope.has_role(AUDIT_READERS):
        raise Forbidden(_("Only inspectors and office administrators read the audit trail."))


@dataclass(frozen=True)
class CheckedEvent:
    event: AuditEvent
    # The stored hash is the hash of the stored content: nothing was changed after writing.
    intact: bool
    # The event names the hash of the event before it in the chain; None when that is missing.
    linked: bool | None

    @property
    def ok(self) -> bool:
        return self.intact and self.linked is True


def _check(event: AuditEvent, previous_hash: str | None) -> CheckedEvent:
    recomputed = event_hash(
        event.seq,
        event.case_id,
        event.actor_id,
        event.actor_label,
        event.action,
        event.at,
        event.before,
        event.after,
        event.payload,
        event.prev_hash,
    )
    linked = None if previous_hash is None else event.prev_hash == previous_hash
    return CheckedEvent(event, recomputed == event.hash, linked)


def _checked(events: list[AuditEvent]) -> list[CheckedEvent]:
    """Each event checked against its own content and its predecessor (seq - 1), which mostly
    belongs to another case: one query for all the predecessors."""
    wanted = [e.seq - 1 for e in events if e.seq > 1]
    hashes = dict(AuditEvent.objects.filter(seq__in=wanted).values_list("seq", "hash"))
    hashes[0] = GENESIS
    return [_check(event, hashes.get(event.seq - 1)) for event in events]


@dataclass(frozen=True)
class CaseTrail:
    events: list[CheckedEvent]
    # False when the case has more than TRAIL_LIMIT events and only the first are shown.
    complete: bool

    @property
    def ok(self) -> bool:
        return all(checked.ok for checked in self.events)


def case_trail(scope: Scope, case_id: int) -> CaseTrail:
    """The events of one case in order, each verified. A deleted event is found only by the
    verification of the whole chain, since sequence numbers are shared by all cases."""
    require_audit_reader(scope)
    events = list(AuditEvent.objects.filter(case_id=case_id).order_by("seq")[: TRAIL_LIMIT + 1])
    return CaseTrail(_checked(events[:TRAIL_LIMIT]), complete=len(events) <= TRAIL_LIMIT)


@dataclass(frozen=True)
class ChainCheck:
    result: Verification
    # The first event that does not fit, checked on its own, when it still exists.
    broken: CheckedEvent | None
    # The chain against its anchors outside the database (a rewrite the chain alone hides).
    anchors: AnchorCheck


def check_whole_chain(scope: Scope) -> ChainCheck:
    """Recompute every hash of the chain (audit.chain.verify_chain) and check it against its
    anchors, as `banchengshi audit verify` does. It reads every event, so it runs only when
    someone asks for it."""
    require_audit_reader(scope)
    result = verify_chain()
    broken = None
    if result.broken_seq is not None:
        found = list(AuditEvent.objects.filter(seq=result.broken_seq))
        broken = _checked(found)[0] if found else None
    return ChainCheck(result, broken, check_anchors())
