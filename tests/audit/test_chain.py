"""The tamper-evident audit trail (R-REP-5): a hash chain that names the first broken event.

Tampering is done with raw SQL, the way someone with database access would, bypassing the
model's save() and delete() guards.
"""

from __future__ import annotations

import json
from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from banchengshi.audit.chain import GENESIS, event_hash, verify_chain
from banchengshi.audit.models import AuditEvent, AuditHead, ImmutableEventError
from tests.audit.tamper import tamper
from tests.cases.conftest import CaseBuilder, Org


def json_param() -> str:
    """A placeholder for a JSON value: PostgreSQL's column is jsonb, SQLite's is text."""
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


@pytest.fixture
def trail(org: Org, cases: CaseBuilder) -> list[AuditEvent]:
    """Seven events: one case from registration to closing (seq 1..7), with Chinese text."""
    cases.closed()
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6, 7]
    return events


def verify_command() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_an_intact_chain(trail: list[AuditEvent]) -> None:
    result = verify_chain()
    assert (result.ok, result.checked, result.broken_seq, result.problem) == (True, 7, None, "")
    anchors = settings.BANCHENGSHI_AUDIT_ANCHOR_FILE
    assert verify_command() == f"audit chain intact: 7 events\nanchors hold: 0 in {anchors}\n"
    head = AuditHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (7, trail[-1].hash)
    assert trail[0].prev_hash == GENESIS
    for previous, event in pairwise(trail):
        assert event.prev_hash == previous.hash


def test_the_stored_hash_is_recomputable(trail: list[AuditEvent]) -> None:
    """An independent reader can check any event from its stored columns."""
    event = AuditEvent.objects.get(seq=5)  # the reply, with Chinese text in its payload
    assert "已电话告知" in event.payload["text"]
    assert event.hash == event_hash(
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


def test_an_empty_chain_is_intact(db: None) -> None:
    assert verify_chain().ok
    anchors = settings.BANCHENGSHI_AUDIT_ANCHOR_FILE
    assert verify_command() == f"audit chain intact: 0 events\nanchors hold: 0 in {anchors}\n"


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("payload", {"code": "staff_conduct", "side": "department"}),
        ("before", {}),
        ("after", {"cause_code": "policy", "cause_side": "department"}),
    ],
)
def test_a_changed_json_column_is_named(
    trail: list[AuditEvent], column: str, value: dict[str, Any]
) -> None:
    assert trail[3].action == "record_cause"  # seq 4
    tamper(
        f"UPDATE {{table}} SET {column} = {json_param()} WHERE seq = %s",
        [json.dumps(value), 4],
    )
    result = verify_chain()
    assert (result.ok, result.broken_seq, result.checked) == (False, 4, 3)
    assert result.problem == "event #4 was changed after it was written"
    with pytest.raises(CommandError) as info:
        verify_command()
    assert str(info.value) == (
        "audit chain broken after 3 good events: event #4 was changed after it was written"
    )


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_label", "mallory"),
        ("action", "close"),
        ("at", "2026-11-19 10:00:00"),
    ],
)
def test_a_changed_column_is_named(trail: list[AuditEvent], column: str, value: str) -> None:
    tamper(f"UPDATE {{table}} SET {column} = %s WHERE seq = %s", [value, 6])
    result = verify_chain()
    assert (result.broken_seq, result.problem) == (6, "event #6 was changed after it was written")


def test_a_reassigned_case_is_named(org: Org, cases: CaseBuilder, trail: list[AuditEvent]) -> None:
    other = cases.register()  # seq 8
    tamper("UPDATE {table} SET case_id = %s WHERE seq = %s", [other.pk, 2])
    assert verify_chain().broken_seq == 2


def test_rehashing_a_changed_event_breaks_the_next_link(trail: list[AuditEvent]) -> None:
    """Someone recomputes the hash of the event they changed: the next event names it."""
    event = trail[2]
    label = "mallory"
    forged = event_hash(
        event.seq,
        event.case_id,
        event.actor_id,
        label,
        event.action,
        event.at,
        event.before,
        event.after,
        event.payload,
        event.prev_hash,
    )
    tamper("UPDATE {table} SET actor_label = %s, hash = %s WHERE seq = %s", [label, forged, 3])
    result = verify_chain()
    assert (result.broken_seq, result.problem) == (4, "event #4 does not follow event #3")


def test_a_deleted_event_is_named(trail: list[AuditEvent]) -> None:
    tamper("DELETE FROM {table} WHERE seq = %s", [4])
    result = verify_chain()
    assert (result.ok, result.broken_seq, result.checked) == (False, 4, 3)
    assert result.problem == "event #4 is missing"
    with pytest.raises(CommandError, match=r"event #4 is missing"):
        verify_command()


def test_the_first_event_deleted(trail: list[AuditEvent]) -> None:
    tamper("DELETE FROM {table} WHERE seq = %s", [1])
    result = verify_chain()
    assert (result.broken_seq, result.checked, result.problem) == (1, 0, "event #1 is missing")


def test_a_changed_prev_hash_is_named(trail: list[AuditEvent]) -> None:
    tamper("UPDATE {table} SET prev_hash = %s WHERE seq = %s", ["f" * 64, 5])
    result = verify_chain()
    assert (result.broken_seq, result.checked) == (5, 4)
    assert result.problem == "event #5 does not follow event #4"
    with pytest.raises(CommandError, match=r"event #5 does not follow event #4"):
        verify_command()


def test_a_truncated_tail_is_reported(trail: list[AuditEvent]) -> None:
    tamper("DELETE FROM {table} WHERE seq = %s", [7])
    result = verify_chain()
    assert (result.ok, result.broken_seq, result.checked) == (False, 7, 6)
    assert result.problem == "events after #6 are missing (the chain ends early)"
    with pytest.raises(CommandError) as info:
        verify_command()
    assert str(info.value) == (
        "audit chain broken after 6 good events: events after #6 are missing (the chain ends early)"
    )


def test_a_tail_of_several_events_truncated(trail: list[AuditEvent]) -> None:
    tamper("DELETE FROM {table} WHERE seq >= %s", [5])
    result = verify_chain()
    assert (result.broken_seq, result.checked) == (5, 4)


def test_the_chain_verifies_in_small_batches(trail: list[AuditEvent]) -> None:
    assert verify_chain(batch_size=2).checked == 7
    tamper("UPDATE {table} SET actor_label = %s WHERE seq = %s", ["mallory", 6])
    assert verify_chain(batch_size=2).broken_seq == 6


def test_events_cannot_be_changed_or_deleted_through_the_model(
    trail: list[AuditEvent],
) -> None:
    event = AuditEvent.objects.get(seq=3)
    event.actor_label = "mallory"
    with pytest.raises(ImmutableEventError):
        event.save()
    with pytest.raises(ImmutableEventError):
        event.delete()
    assert AuditEvent.objects.get(seq=3).actor_label == trail[2].actor_label
    assert AuditEvent.objects.count() == 7
    assert verify_chain().ok


def test_the_audit_command_requires_a_subcommand(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("audit")
