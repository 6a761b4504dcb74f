"""Rectification's changes (R-KB-2): opening an item from a department-side cause (or adding
the case to the open item of the same unit and cause), reporting it done, the office's
verification or sending back. Each change writes one RectificationEvent and one event on the
audit chain (no case: `case_id` None, the item in the payload), in its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.cases.actions.common import is_id, optional_text, text_value
from banchengshi.cases.attachments import FileKind, checked_upload
from banchengshi.cases.clocks import case_policy, policy_version_in_force
from banchengshi.cases.models import Case
from banchengshi.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.knowledge.models import (
    ORDERED_CAUSE,
    Entry,
    EntryStatus,
    FixTarget,
    RectificationAction,
    RectificationCase,
    RectificationEvent,
    RectificationFile,
    RectificationItem,
    RectificationStatus,
)
from banchengshi.knowledge.rectification.access import may_report, may_verify
from banchengshi.knowledge.rectification.clock import arm, deadline_of, item_policy
from banchengshi.knowledge.rectification.files import discard, stored_file
from banchengshi.knowledge.rectification.rules import RULES
from banchengshi.notify.inbox import notify, people_of
from banchengshi.notify.models import NotificationKind
from banchengshi.org.names import full_name
from banchengshi.policy.rules import policy_in_force
from banchengshi.workdays.registry import current_calendar

AUDIT_PREFIX = "rectification."


def _record(
    item: RectificationItem,
    action: RectificationAction,
    *,
    actor: User | None,
    at: dt.datetime,
    note: str = "",
    case_id: int | None = None,
) -> None:
    RectificationEvent.objects.create(
        item=item, action=action, actor=actor, at=at, note=note, case_id=case_id
    )
    payload: dict[str, Any] = {"item": item.pk, "unit": item.unit_id, "status": item.status}
    if case_id is not None:
        payload["case"] = case_id
    append_events(
        [
            PendingEvent(
                case_id=None,
                actor_id=actor.pk if actor is not None else None,
                actor_label=full_name(actor) if actor is not None else "",
                action=AUDIT_PREFIX + action.value,
                at=at,
                before={},
                after={"status": item.status},
                payload=payload,
            )
        ]
    )


def _tell(item: RectificationItem, kind: NotificationKind) -> None:
    people = people_of([item.unit_id], RULES.told)
    if people:
        notify(user_ids=people, kind=kind, params=notice_params(item))


def notice_params(item: RectificationItem) -> dict[str, Any]:
    return {
        "item": item.pk,
        "unit": item.unit.name,
        "due": item.due.isoformat(),
    }


# --- opening ----------------------------------------------------------------------------------


def do_open_for_cause(*, case_id: int, cause_code: str, actor: User | None) -> RectificationItem:
    """Called by the listener in the cause analysis's transaction; trusts that the cause was
    just recorded on the case with the department side. The item belongs to the case's
    responsible unit (else its handling unit); an open item of that unit and cause takes the
    case instead of a new one."""
    case = Case.objects.select_related("policy").get(pk=case_id)
    unit_id = case.owner_unit_id or case.handling_unit_id
    # A cause is analysed by the unit at work on the case: it has one of them.
    assert unit_id is not None
    now = timezone.now()
    item = _open_item(unit_id, cause_code)
    if item is None:
        policy = case_policy(case)
        due, provisional = deadline_of(policy, now)
        item = RectificationItem(
            unit_id=unit_id,
            cause_code=cause_code,
            target=RULES.targets[cause_code],
            policy=case.policy,
            opened_at=now,
            due=due,
            provisional=provisional,
        )
        arm(item, policy, current_calendar())
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:
            # Another case of the same unit and cause opened it meanwhile: join that one.
            item = _open_item(unit_id, cause_code)
            assert item is not None
        else:
            _record(item, RectificationAction.OPENED, actor=actor, at=now, case_id=case_id)
            RectificationCase.objects.create(item=item, case_id=case_id, added_at=now)
            _tell(item, NotificationKind.RECTIFICATION_OPENED)
            return item
    _, added = RectificationCase.objects.get_or_create(
        item=item, case_id=case_id, defaults={"added_at": now}
    )
    if added:
        _record(item, RectificationAction.CASE_ADDED, actor=actor, at=now, case_id=case_id)
    return item


def do_open_by_order(
    *, unit_id: int, target: FixTarget, actor: User, note: str
) -> RectificationItem:
    """The office orders a unit to rectify (the accountability list, R-REP-2): a new item of its
    own, under the policy in force, whatever else the unit has open; the caller has checked
    that `actor` may order it, and runs this in its transaction. One order is open per unit
    at a time."""
    already = _open_item(unit_id, ORDERED_CAUSE)
    if already is not None:
        raise Conflict(
            _("This unit already has an ordered rectification open (no. %(item)d): follow it up.")
            % {"item": already.pk}
        )
    now = timezone.now()
    version = policy_version_in_force()
    policy = policy_in_force()
    due, provisional = deadline_of(policy, now)
    item = RectificationItem(
        unit_id=unit_id,
        cause_code=ORDERED_CAUSE,
        target=target,
        policy=version,
        opened_at=now,
        due=due,
        provisional=provisional,
    )
    arm(item, policy, current_calendar())
    item.save()
    _record(item, RectificationAction.OPENED, actor=actor, at=now, note=note)
    _tell(item, NotificationKind.RECTIFICATION_OPENED)
    return item


def _open_item(unit_id: int, cause_code: str) -> RectificationItem | None:
    return (
        RectificationItem.objects.select_for_update()
        .filter(unit_id=unit_id, cause_code=cause_code, status=RectificationStatus.OPEN)
        .first()
    )


# --- transitions ------------------------------------------------------------------------------


@dataclass
class Change:
    item: RectificationItem
    now: dt.datetime
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@contextmanager
def changing_item(
    actor: User,
    item_id: int,
    action: RectificationAction,
    *,
    expected: RectificationStatus | None,
) -> Iterator[Change]:
    """The frame of every change: a transaction, the item's row locked, the person's right
    and the item's status (`expected`; None: any) checked; leaving it writes the event."""
    with transaction.atomic():
        item = (
            RectificationItem.objects.select_for_update(of=("self",))
            .select_related("unit", "policy")
            .filter(pk=item_id)
            .first()
        )
        if item is None:
            raise NotFound(_("No such rectification item."))
        _require(actor, item, action)
        if expected is not None and item.status != expected:
            raise InvalidState(STATE_MESSAGES[action])
        change = Change(item=item, now=timezone.now())
        yield change
        _record(item, action, actor=actor, at=change.now, note=change.note)


STATE_MESSAGES = {
    RectificationAction.DONE: _("Only an open rectification can be reported done."),
    RectificationAction.VERIFIED: _("Only a rectification reported done can be verified."),
    RectificationAction.SENT_BACK: _("Only a rectification reported done can be sent back."),
}


def _require(actor: User, item: RectificationItem, action: RectificationAction) -> None:
    if action is RectificationAction.DONE:
        if not may_report(actor, item.unit_id):
            raise Forbidden(REPORTERS_ONLY)
    elif action in ENTRY_ACTIONS:
        if not (may_report(actor, item.unit_id) or may_verify(actor)):
            raise Forbidden(
                _("Only the owner unit's handlers and leaders or the office link its entry.")
            )
    elif not may_verify(actor):
        raise Forbidden(_("Only the office verifies rectifications."))


REPORTERS_ONLY = _("Only the owner unit's handlers and leaders report its rectification.")
ENTRY_ACTIONS = frozenset({RectificationAction.ENTRY_LINKED, RectificationAction.ENTRY_UNLINKED})
MAX_FILES = 5


def check_report_done(
    actor: User, item_id: int, *, evidence: str, files: list[File] | None = None
) -> RectificationItem:
    """`files`: uploads of the evidence, each judged by its bytes as a case's attachments are;
    a person who may not report the item is refused before they are read."""
    files = files or []
    owner = RectificationItem.objects.filter(pk=item_id).values_list("unit_id", flat=True).first()
    if owner is None:
        raise NotFound(_("No such rectification item."))
    if not may_report(actor, owner):
        raise Forbidden(REPORTERS_ONLY)
    evidence = text_value(evidence, field="evidence", label=_("The evidence"), minimum=5)
    if len(files) > MAX_FILES:
        raise InvalidInput(
            {"evidence_files": [_("Attach at most %(max)d files.") % {"max": MAX_FILES}]}
        )
    checked = [(upload, checked_upload(upload, field="evidence_files")) for upload in files]
    return do_report_done(actor, item_id, evidence=evidence, files=checked)


def do_report_done(
    actor: User,
    item_id: int,
    *,
    evidence: str,
    files: list[tuple[File, FileKind]] | None = None,
) -> RectificationItem:
    """Trusts `evidence` and `files` as checked. Open → done; the reminders stop. The files
    are written before the row lock is taken and removed again if the change fails."""
    stored: list[RectificationFile] = []
    try:
        for upload, kind in files or []:
            stored.append(stored_file(upload, kind, actor))
        with changing_item(
            actor, item_id, RectificationAction.DONE, expected=RectificationStatus.OPEN
        ) as change:
            item = change.item
            item.status = RectificationStatus.DONE
            item.evidence, item.done_at, item.done_by = evidence, change.now, actor
            item.remind_at, item.remind_level = None, ""
            item.save()
            for kept in stored:
                kept.item, kept.uploaded_at = item, change.now
                kept.save()
            change.note = evidence
    except BaseException:
        discard(stored)
        raise
    return item


def check_link_entry(actor: User, item_id: int, *, entry_id: int | None) -> RectificationItem:
    """Link the knowledge entry that records the fix (a draft or a published one), or unlink
    it with None; at any status, by the owner unit's reporters or the office."""
    if entry_id is None:
        return do_link_entry(actor, item_id, entry=None)
    entry = (
        Entry.objects.filter(pk=entry_id)
        .exclude(status=EntryStatus.WITHDRAWN)
        .only("id", "problem")
        .first()
        if is_id(entry_id)
        else None
    )
    if entry is None:
        raise InvalidInput({"entry_id": [_("Choose a draft or published knowledge entry.")]})
    return do_link_entry(actor, item_id, entry=entry)


def do_link_entry(actor: User, item_id: int, *, entry: Entry | None) -> RectificationItem:
    action = (
        RectificationAction.ENTRY_UNLINKED if entry is None else RectificationAction.ENTRY_LINKED
    )
    with changing_item(actor, item_id, action, expected=None) as change:
        item = change.item
        if entry is None and item.knowledge_entry_id is None:
            raise InvalidState(_("No knowledge entry is linked to this rectification."))
        item.knowledge_entry = entry
        item.save(update_fields=["knowledge_entry"])
        change.note = entry.problem[:ENTRY_NOTE] if entry is not None else ""
    return item


# The event keeps the start of the entry's problem: what the history shows of it.
ENTRY_NOTE = 80


def check_verify(actor: User, item_id: int, *, note: str = "") -> RectificationItem:
    return do_verify(actor, item_id, note=optional_text(note, field="note"))


def do_verify(actor: User, item_id: int, *, note: str) -> RectificationItem:
    """Trusts `note` as checked. Done → verified."""
    with changing_item(
        actor, item_id, RectificationAction.VERIFIED, expected=RectificationStatus.DONE
    ) as change:
        item = change.item
        item.status = RectificationStatus.VERIFIED
        item.verified_at, item.verified_by = change.now, actor
        item.save()
        change.note = note
    return item


def check_send_back(actor: User, item_id: int, *, reason: str) -> RectificationItem:
    reason = text_value(reason, field="reason", label=_("The reason"), minimum=5)
    return do_send_back(actor, item_id, reason=reason)


def do_send_back(actor: User, item_id: int, *, reason: str) -> RectificationItem:
    """Trusts `reason` as checked. Done → open again under the same deadline (overdue if it
    has passed); its reminders are armed again (a level sent for that deadline is not sent
    twice). Refused while another item of the unit and cause is open (the cases go there)."""
    with changing_item(
        actor, item_id, RectificationAction.SENT_BACK, expected=RectificationStatus.DONE
    ) as change:
        item = change.item
        if (
            RectificationItem.objects.filter(
                unit_id=item.unit_id, cause_code=item.cause_code, status=RectificationStatus.OPEN
            )
            .exclude(pk=item.pk)
            .exists()
        ):
            raise InvalidState(
                _("Another rectification of this unit and cause is open; verify this one.")
            )
        item.status = RectificationStatus.OPEN
        item.done_at, item.done_by = None, None
        arm(item, item_policy(item), current_calendar())
        item.save()
        change.note = reason
        _tell(item, NotificationKind.RECTIFICATION_SENT_BACK)
    return item
