"""Anchors of the audit chain outside the database (R-REP-5, issue 15 item 4): a writer who
rewrites an event and re-hashes every later one, or drops the tail and moves the head back,
leaves a chain that verifies on its own; the anchors written before still name the change."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from banchengshi.audit.anchors import (
    Anchor,
    AnchorKind,
    anchor_head,
    append_anchor,
    check_anchors,
    read_anchors,
)
from banchengshi.audit.chain import event_hash, verify_chain
from banchengshi.audit.models import AuditEvent, AuditHead
from banchengshi.notify.models import OutboxMessage
from banchengshi.scheduler.registry import JOBS
from tests.audit.tamper import tamper, tampering
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh


@pytest.fixture
def trail(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> list[AuditEvent]:
    """Seven events (one case from registration to closing), anchored at 2026-11-20 00:15."""
    cases.closed()
    frozen_time.set(sh(2026, 11, 20, 0, 15))
    anchor_head()
    return list(AuditEvent.objects.order_by("seq"))


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def refusal() -> str:
    with pytest.raises(CommandError) as info:
        verify()
    return str(info.value)


def rehash_from(seq: int, *, label: str) -> None:
    """Rewrite event `seq`'s actor and recompute its hash and every later one, and the head:
    everything a writer with database access can do, and the chain alone still verifies."""
    prev = AuditEvent.objects.get(seq=seq).prev_hash
    with tampering():
        for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
            actor = label if event.seq == seq else event.actor_label
            digest = event_hash(
                event.seq,
                event.case_id,
                event.actor_id,
                actor,
                event.action,
                event.at,
                event.before,
                event.after,
                event.payload,
                prev,
            )
            AuditEvent.objects.filter(pk=event.pk).update(
                actor_label=actor, prev_hash=prev, hash=digest
            )
            prev = digest
    AuditHead.objects.filter(pk=1).update(last_hash=prev)


def test_an_untouched_chain_holds_to_its_anchors(
    trail: list[AuditEvent], cases: CaseBuilder, frozen_time: FrozenTime, anchor_file: Path
) -> None:
    cases.register()  # seq 8, after the anchor: a chain grows past its anchors
    frozen_time.set(sh(2026, 11, 21, 0, 15))
    JOBS["audit.anchor"].run(sh(2026, 11, 21, 0, 15))
    assert [(a.kind, a.seq, a.line) for a in read_anchors()] == [
        (AnchorKind.HEAD, 7, 1),
        (AnchorKind.HEAD, 8, 2),
    ]
    assert read_anchors()[0].hash == trail[-1].hash
    assert verify() == f"audit chain intact: 8 events\nanchors hold: 2 in {anchor_file}\n"


def test_the_anchor_line_is_self_checking(trail: list[AuditEvent], anchor_file: Path) -> None:
    line = json.loads(anchor_file.read_text())
    assert line == {
        "kind": "head",
        "seq": 7,
        "hash": trail[-1].hash,
        "at": "2026-11-19T16:15:00.000000+00:00",
        "check": line["check"],
    }
    assert len(line["check"]) == 64


def test_a_rewritten_and_rehashed_chain_fails_naming_the_anchor(
    trail: list[AuditEvent], anchor_file: Path
) -> None:
    rehash_from(3, label="mallory")
    assert verify_chain().ok  # the chain alone cannot tell
    assert refusal() == (
        f"audit chain does not hold to its anchors ({anchor_file}): event #7 no longer has "
        "the hash the anchor on line 1 (2026-11-20 00:15:00 +0800, event #7) recorded: "
        "the chain was rewritten"
    )


def test_a_dropped_tail_with_the_head_moved_back_fails(
    trail: list[AuditEvent], anchor_file: Path
) -> None:
    tamper("DELETE FROM {table} WHERE seq >= %s", [5])
    AuditHead.objects.filter(pk=1).update(last_seq=4, last_hash=trail[3].hash)
    assert verify_chain().ok
    assert refusal() == (
        f"audit chain does not hold to its anchors ({anchor_file}): the chain ends at event #4, "
        "behind the anchor on line 1 (2026-11-20 00:15:00 +0800, event #7): events were removed"
    )


def test_an_edited_anchor_line_is_named(trail: list[AuditEvent], anchor_file: Path) -> None:
    anchor_head()
    lines = anchor_file.read_text().splitlines()
    lines[1] = lines[1].replace('"seq":7', '"seq":6')
    anchor_file.write_text("\n".join(lines) + "\n")
    assert check_anchors().problem == ("line 2 of the anchor file was changed after it was written")
    anchor_file.write_text(lines[0] + "\nnot json\n")
    assert check_anchors().problem == "line 2 of the anchor file is not an anchor"


def test_signed_anchors(trail: list[AuditEvent], settings: Settings, anchor_file: Path) -> None:
    settings.BANCHENGSHI_AUDIT_ANCHOR_KEY = "inspector's key"
    # The line written before the key was set carries no signature: it is not trusted.
    assert check_anchors().problem == "line 1 of the anchor file is not signed with the anchor key"
    anchor_file.unlink()
    anchor_head()
    assert "mac" in json.loads(anchor_file.read_text())
    assert check_anchors().ok
    # Someone without the key recomputes the line's check after changing it: the MAC fails.
    settings.BANCHENGSHI_AUDIT_ANCHOR_KEY = "a guess"
    assert check_anchors().problem == "line 1 of the anchor file is not signed with the anchor key"


def test_appending_keeps_every_earlier_line(trail: list[AuditEvent], anchor_file: Path) -> None:
    first = anchor_file.read_bytes()
    anchor_head()
    assert anchor_file.read_bytes().startswith(first)
    assert len(read_anchors()) == 2


def test_a_restore_supersedes_the_anchors_beyond_it(
    trail: list[AuditEvent], anchor_file: Path
) -> None:
    """A backup restored puts the chain back to its event on purpose (banchengshi restore):
    earlier anchors beyond it stop binding, those before it still do."""
    tamper("DELETE FROM {table} WHERE seq >= %s", [5])
    AuditHead.objects.filter(pk=1).update(last_seq=4, last_hash=trail[3].hash)
    at = dt.datetime(2026, 11, 20, 1, tzinfo=dt.UTC)
    append_anchor(Anchor(kind=AnchorKind.RESTORE, seq=4, hash=trail[3].hash, at=at))
    result = check_anchors()
    assert (result.ok, result.checked, result.superseded) == (True, 1, 1)
    assert verify() == (
        f"audit chain intact: 4 events\nanchors hold: 1, 1 before a restore in {anchor_file}\n"
    )


def test_noanchor_file_yet(db: None, anchor_file: Path) -> None:
    assert not anchor_file.exists()
    assert check_anchors().ok
    assert read_anchors() == []


def test_the_anchor_command(trail: list[AuditEvent], anchor_file: Path) -> None:
    out = StringIO()
    call_command("audit", "anchor", stdout=out)
    assert out.getvalue() == f"anchored event #7 ({trail[-1].hash}) in {anchor_file}\n"
    assert [a.seq for a in read_anchors()] == [7, 7]


def test_the_daily_anchor_is_mailed_to_the_inspectorate(
    trail: list[AuditEvent], settings: Settings, anchor_file: Path
) -> None:
    settings.BANCHENGSHI_AUDIT_ANCHOR_EMAIL = ["jiwei@example.gov.cn"]
    JOBS["audit.anchor"].run(sh(2026, 11, 21, 0, 15))
    message = OutboxMessage.objects.get(channel="email")
    line = anchor_file.read_text().splitlines()[-1]
    assert (message.channel, message.recipient, message.template) == (
        "email",
        "jiwei@example.gov.cn",
        "staff_notification",
    )
    assert message.payload == {
        "subject": "审计链锚点 #7",
        "body": "审计链截至第 7 条事件的锚点如下，请留存，核查时与 `banchengshi audit verify` "
        f"的锚点文件逐行比对：\n\n{line}\n",
    }
