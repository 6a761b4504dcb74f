"""The in-memory driver of a demo case (journey.Driver) for the bulk writer: the case's rows
(clocks, work items, unit links, tasks, requests, contacts, visits, supervisions) and its
audit events, built without a query, written by generator.write_batch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.contrib.auth.models import User

from banchengshi.cases.actions.common import HANDLING_CLOCKS, TRACKED_FIELDS
from banchengshi.cases.actions.registration import registered_payload
from banchengshi.cases.events import CaseEvent, decided, requested
from banchengshi.cases.models import (
    NO_DUE,
    CaseUnit,
    ClockKind,
    ClockRequest,
    CoHandlingTask,
    State,
)
from banchengshi.cases.models import WorkKind as WK
from banchengshi.cases.special_groups import groups_of
from banchengshi.demo.bulk import Row
from banchengshi.demo.plans import Draft, Generator
from banchengshi.policy.rules import Limit

CK = ClockKind
_tracked = attrgetter(*TRACKED_FIELDS)


@dataclass
class Ref:
    """A row whose id is known only after it is inserted (a task or a request)."""

    row: Row


@dataclass
class Event:
    case: Row
    actor_id: int
    actor_label: str
    action: str
    at: dt.datetime
    before: dict[str, Any]
    after: dict[str, Any] | None  # None: the register event, filled when tracking_no is known
    payload: dict[str, Any]


class Simulation:
    """The rows of one case, changed as banchengshi.cases.actions changes them: a restatement
    of the engine kept for speed, which tests/demo/test_replay.py holds to the real actions."""

    def __init__(self, gen: Generator, draft: Draft) -> None:
        self.g = gen
        self.case = draft.case
        self.matter = draft.matter
        self.clocks: list[Row] = []
        self.work: list[Row] = []
        self.links: set[tuple[int, str]] = set()
        self.events: list[Event] = []
        self.tasks: list[Row] = []
        self.requests: list[Row] = []
        self.contacts: list[Row] = []
        self.visits: list[Row] = []
        self.supervisions: list[Row] = []

    # shared pieces (actions._link, _work, _clear_work, _running, _stop, _refresh_handle_due)

    def _snap(self) -> tuple[Any, ...]:
        return _tracked(self.case)

    def _event(
        self,
        actor: User,
        action: str,
        at: dt.datetime,
        before_snap: tuple[Any, ...],
        payload: dict[str, Any],
    ) -> None:
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name, old, new in zip(TRACKED_FIELDS, before_snap, self._snap(), strict=True):
            if old != new:
                before[name], after[name] = old, new
        self.events.append(
            Event(self.case, actor.pk, self.g.label(actor), action, at, before, after, payload)
        )
        self.case.version += 1
        self.case.updated_at = at

    def _link(self, unit_id: int, relation: str) -> None:
        self.links.add((unit_id, relation))

    def _work(
        self,
        kind: str,
        unit_id: int,
        due: dt.datetime | None,
        at: dt.datetime,
        task: Row | None = None,
    ) -> None:
        self.work.append(
            Row(
                case=self.case,
                kind=kind,
                unit_id=unit_id,
                due=due or NO_DUE,
                task=task,
                created_at=at,
                provisional=due is not None and self.g.provisional(at, due),
                fast=self.case.fast_channel,
            )
        )

    def _clear_work(self, *kinds: str) -> None:
        if kinds:
            self.work = [item for item in self.work if item.kind not in kinds]
        else:
            self.work = []

    def _running(self, *kinds: str) -> list[Row]:
        found = [
            clock
            for clock in self.clocks
            if clock.kind in kinds and clock.stopped_at is None and clock.task is None
        ]
        found.sort(key=lambda clock: clock.due)
        return found

    def _stop(self, at: dt.datetime, *kinds: str) -> None:
        for clock in self._running(*kinds):
            clock.stopped_at = at

    def _refresh_handle_due(self) -> None:
        clocks = [c for c in self._running(*HANDLING_CLOCKS) if c.paused_at is None]
        nearest = min(clocks, key=lambda c: c.due, default=None)
        for item in self.work:
            if item.kind == WK.HANDLE:
                item.due = nearest.due if nearest else NO_DUE
                item.provisional = nearest.provisional if nearest else False

    def _reflag(self, clock: Row) -> None:
        """cases.clocks.reflag."""
        clock.provisional = bool(clock.pauses) or self.g.provisional(clock.started_at, clock.due)

    def _clock(
        self,
        kind: str,
        started_at: dt.datetime,
        due: dt.datetime,
        limit_name: str = "",
        task: Row | None = None,
        workdays: int | None = None,
    ) -> Row:
        clock = Row(
            case=self.case,
            kind=kind,
            limit_name=limit_name,
            round=self.case.round,
            started_at=started_at,
            due=due,
            stopped_at=None,
            paused_at=None,
            extra_workdays=0,
            task=task,
            workdays=workdays,
            provisional=self.g.provisional(started_at, due),
            pauses=[],
        )
        self.clocks.append(clock)
        return clock

    def _limit_clock(self, kind: str, limit: Limit, started_at: dt.datetime) -> Row | None:
        due = self.g.due_for(limit, started_at)
        return None if due is None else self._clock(kind, started_at, due, limit.name)

    def _hub_review_due(self, at: dt.datetime) -> dt.datetime | None:
        review = self.g.policy.clock_limit("hub_review")
        return self.g.due_for(review, at) if review is not None else None

    def reply_due(self) -> dt.datetime | None:
        reply = self._running(CK.REPLY)
        return reply[0].due if reply else None

    # the actions

    def register(self, at: dt.datetime, actor: User) -> None:
        case = self.case
        case.state = State.REGISTERED.value
        case.registered_by = actor
        case.created_at = case.updated_at = at
        self._link(case.registered_unit_id, CaseUnit.Relation.REGISTERED)
        self._work(WK.SCREEN, case.registered_unit_id, None, at)
        self.events.append(
            Event(
                case,
                actor.pk,
                self.g.label(actor),
                CaseEvent.REGISTER,
                at,
                {},
                None,
                registered_payload(
                    channel=case.channel,
                    groups=groups_of(case),
                    consent_by=case.consent_by,
                    consent_method=case.consent_method,
                ),
            )
        )

    def screen_accept(
        self,
        at: dt.datetime,
        actor: User,
        *,
        category: str,
        complexity: str,
        target: int | None,
    ) -> None:
        case, policy = self.case, self.g.policy
        before = self._snap()
        self._clear_work(WK.SCREEN)
        case.category = category or case.category
        case.complexity = complexity or case.complexity
        payload: dict[str, Any] = {"category": case.category, "complexity": case.complexity}
        reply = self._limit_clock(
            CK.REPLY, policy.reply_limit(complexity=case.complexity), case.received_at
        )
        cause_limit = policy.clock_limit("cause_analysis")
        if cause_limit is not None:
            self._limit_clock(CK.CAUSE_ANALYSIS, cause_limit, case.received_at)
        if target is None:
            case.state = State.AWAITING_DISPATCH.value
            self._work(WK.DISPATCH, self.g.hub_id, reply.due if reply else None, at)
        else:
            self._dispatch_to(at, target, automatic=True, payload=payload)
        self._event(actor, CaseEvent.SCREEN_ACCEPT, at, before, payload)

    def _dispatch_to(
        self, at: dt.datetime, unit_id: int, *, automatic: bool, payload: dict[str, Any]
    ) -> None:
        case = self.case
        case.state = State.DISPATCHED.value
        case.handling_unit_id = unit_id
        self._link(unit_id, CaseUnit.Relation.HANDLING)
        self._work(WK.RECEIVE, unit_id, self.reply_due(), at)
        contact = self.g.policy.clock_limit("contact")
        if contact is not None and not self._running(CK.CONTACT):
            self._limit_clock(CK.CONTACT, contact, at)
        payload.update({"unit": self.g.code(unit_id), "automatic": automatic})

    def screen_not_admissible(self, at: dt.datetime, actor: User, reason: str) -> None:
        case = self.case
        before = self._snap()
        self._clear_work(WK.SCREEN)
        case.state = State.NOT_ADMISSIBLE.value
        case.not_admissible_reason = reason
        limit = self.g.policy.clock_limit("not_admissible_reply")
        clock = (
            self._limit_clock(CK.NOT_ADMISSIBLE_REPLY, limit, case.received_at)
            if limit is not None
            else None
        )
        self._work(WK.REPLY_REASONS, case.registered_unit_id, clock.due if clock else None, at)
        self._event(actor, CaseEvent.SCREEN_NOT_ADMISSIBLE, at, before, {"reason": reason})

    def resolve_on_spot(self, at: dt.datetime, actor: User, reply: str) -> None:
        case = self.case
        before = self._snap()
        self._clear_work()
        case.state = State.CLOSED.value
        case.on_the_spot = True
        case.reply_text = reply
        case.replied_at = case.closed_at = at
        case.owner_unit_id = case.handling_unit_id = case.registered_unit_id
        self._link(case.registered_unit_id, CaseUnit.Relation.OWNER)
        self._link(case.registered_unit_id, CaseUnit.Relation.HANDLING)
        self._event(actor, CaseEvent.RESOLVE_ON_SPOT, at, before, {"reply": reply})

    def dispatch(self, at: dt.datetime, actor: User, unit_id: int) -> None:
        before = self._snap()
        self._clear_work(WK.DISPATCH)
        payload: dict[str, Any] = {}
        self._dispatch_to(at, unit_id, automatic=False, payload=payload)
        self._event(actor, CaseEvent.DISPATCH, at, before, payload)

    def receive(self, at: dt.datetime, actor: User) -> None:
        case = self.case
        before = self._snap()
        self._clear_work(WK.RECEIVE)
        case.state = State.IN_PROGRESS.value
        handling = case.handling_unit_id
        assert handling is not None
        if case.owner_unit_id is None:
            case.owner_unit_id = handling
            self._link(handling, CaseUnit.Relation.OWNER)
        self._work(WK.HANDLE, handling, None, at)
        self._refresh_handle_due()
        self._event(actor, CaseEvent.RECEIVE, at, before, {})

    def return_case(self, at: dt.datetime, actor: User, reason: str) -> None:
        case = self.case
        before = self._snap()
        self._clear_work(WK.RECEIVE, WK.HANDLE)
        returned_by = case.handling_unit_id
        case.state = State.AWAITING_DISPATCH.value
        case.returns_count += 1
        case.owner_unit_id = None
        case.handling_unit_id = None
        self._work(WK.DISPATCH, self.g.hub_id, self.reply_due(), at)
        self._stop(at, CK.CONTACT)
        self._event(
            actor, CaseEvent.RETURN, at, before, {"reason": reason, "returned_by": returned_by}
        )

    def dispatch_down(self, at: dt.datetime, actor: User, unit_id: int) -> None:
        before = self._snap()
        for item in self.work:
            if item.kind == WK.HANDLE:
                item.unit_id = unit_id
        self.case.handling_unit_id = unit_id
        self._link(unit_id, CaseUnit.Relation.HANDLING)
        self._event(actor, CaseEvent.DISPATCH_DOWN, at, before, {"unit": self.g.code(unit_id)})

    def request_cohandling(
        self, at: dt.datetime, actor: User, *, unit_id: int, request: str, days: int
    ) -> Row | None:
        due = self.g.due_in_workdays(days, at)
        if due is None:
            return None
        before = self._snap()
        task = Row(
            case=self.case,
            unit_id=unit_id,
            request=request,
            due=due,
            state=CoHandlingTask.TaskState.OPEN.value,
            requested_by=actor,
            requested_at=at,
        )
        self.tasks.append(task)
        self._clock(CK.COHANDLING, at, due, task=task, workdays=days)
        self._link(unit_id, CaseUnit.Relation.COHANDLING)
        self._work(WK.COHANDLE, unit_id, due, at, task=task)
        payload = {"task": Ref(task), "unit": self.g.code(unit_id), "days": days}
        self._event(actor, CaseEvent.REQUEST_COHANDLING, at, before, payload)
        return task

    def answer_cohandling(self, at: dt.datetime, actor: User, task: Row, answer: str) -> None:
        before = self._snap()
        task.state = CoHandlingTask.TaskState.ANSWERED.value
        task.answer = answer
        task.answered_by = actor
        task.answered_at = at
        for clock in self.clocks:
            if clock.task is task:
                clock.stopped_at = at
        self.work = [item for item in self.work if item.task is not task]
        self._event(actor, CaseEvent.ANSWER_COHANDLING, at, before, {"task": Ref(task)})

    def record_contact(self, at: dt.datetime, actor: User, *, method: str, outcome: str) -> None:
        before = self._snap()
        self.contacts.append(
            Row(case=self.case, contacted_at=at, method=method, by=actor, outcome=outcome)
        )
        self._stop(at, CK.CONTACT)
        self._refresh_handle_due()
        payload = {"method": method, "contacted_at": at.isoformat()}
        self._event(actor, CaseEvent.RECORD_CONTACT, at, before, payload)

    def record_cause(
        self, at: dt.datetime, actor: User, *, code: str, side: str, note: str
    ) -> None:
        case, policy = self.case, self.g.policy
        before = self._snap()
        case.cause_code, case.cause_side, case.cause_note = code, side, note
        self._stop(at, CK.CAUSE_ANALYSIS)
        if policy.reply.by == "cause_side":
            limit = policy.reply_limit(cause_side=side)
            for clock in self._running(CK.REPLY):
                if clock.limit_name != limit.name and clock.round == 1:
                    due = self.g.due_for(limit, case.received_at)
                    due = self.g.shift_due(due, clock.extra_workdays) if due else None
                    if due is not None:
                        clock.limit_name, clock.due = limit.name, due
                        self._reflag(clock)
        self._refresh_handle_due()
        self._event(actor, CaseEvent.RECORD_CAUSE, at, before, {"code": code, "side": side})

    def extended_due(self, days: int) -> dt.datetime | None:
        """actions._extended_due: None when no reply clock runs or the cap would be passed."""
        reply = self._running(CK.REPLY)
        if not reply:
            return None
        new_due = self.g.shift_due(reply[0].due, days)
        cap = self.g.policy.clock_limit("extension_cap")
        if new_due is not None and cap is not None and self.case.round == 1:
            cap_due = self.g.due_for(cap, self.case.received_at)
            if cap_due is None or new_due > cap_due:
                return None
        return new_due

    def request_extension(self, at: dt.datetime, actor: User, reason: str, days: int) -> Row | None:
        if self.extended_due(days) is None:
            return None
        return self._request(at, actor, ClockRequest.Kind.EXTENSION.value, reason, days)

    def request_suspension(self, at: dt.datetime, actor: User, reason: str) -> Row:
        return self._request(at, actor, ClockRequest.Kind.SUSPENSION.value, reason, None)

    def _request(
        self, at: dt.datetime, actor: User, kind: str, reason: str, days: int | None
    ) -> Row:
        before = self._snap()
        request = Row(
            case=self.case,
            kind=kind,
            reason=reason,
            days=days,
            decision=ClockRequest.Decision.PENDING.value,
            requested_by=actor,
            requested_at=at,
        )
        self.requests.append(request)
        self._work(WK.APPROVE, self.g.hub_id, self._hub_review_due(at), at)
        payload = {"request": Ref(request), "days": days, "reason": reason}
        self._event(actor, requested(kind), at, before, payload)
        return request

    def decide(
        self, at: dt.datetime, actor: User, request: Row, *, approve: bool, note: str
    ) -> None:
        case = self.case
        before = self._snap()
        request.decision = (
            ClockRequest.Decision.APPROVED.value if approve else ClockRequest.Decision.REFUSED.value
        )
        request.decided_by = actor
        request.decided_at = at
        request.decision_note = note
        self._clear_work(WK.APPROVE)
        payload: dict[str, Any] = {"request": Ref(request), "note": note}
        if approve and request.kind == ClockRequest.Kind.EXTENSION:
            assert request.days is not None
            new_due = self.extended_due(request.days)
            assert new_due is not None, "request_extension took only what the cap allows"
            for clock in self.clocks:
                if clock.kind == CK.REPLY and clock.stopped_at is None:
                    clock.due = new_due
                    clock.extra_workdays += request.days
                    self._reflag(clock)
            payload["due"] = new_due.isoformat()
        elif approve:
            case.suspended_at = at
            for clock in self.clocks:
                if clock.stopped_at is None:
                    clock.paused_at = at
            for item in self.work:
                item.due = NO_DUE
                item.provisional = False
        self._refresh_handle_due()
        action = decided(request.kind, approved=approve)
        self._event(actor, action, at, before, payload)

    def resume(self, at: dt.datetime, actor: User) -> None:
        case = self.case
        assert case.suspended_at is not None
        before = self._snap()
        lost, pause = self.g.workdays_suspended(case.suspended_at, at)
        for clock in self.clocks:
            if clock.paused_at is None:
                continue
            clock.due = self.g.shift_due(clock.due, lost) or clock.due
            clock.paused_at = None
            clock.extra_workdays += lost
            if pause is not None:
                clock.pauses = [*clock.pauses, pause]
            self._reflag(clock)
            task = clock.task
            if task is not None:
                task.due = clock.due
                for item in self.work:
                    if item.task is task:
                        item.due, item.provisional = clock.due, clock.provisional
        for request in self.requests:
            if (
                request.kind == ClockRequest.Kind.SUSPENSION
                and request.decision == ClockRequest.Decision.APPROVED
            ):
                request.decision = ClockRequest.Decision.ENDED.value
        case.suspended_at = None
        self._refresh_handle_due()
        self._event(actor, CaseEvent.RESUME, at, before, {"workdays_suspended": lost})

    def reply(self, at: dt.datetime, actor: User, *, text: str, channel: str) -> None:
        case = self.case
        before = self._snap()
        if case.state == State.IN_PROGRESS:
            case.state = State.REPLIED.value
            self._stop(at, *HANDLING_CLOCKS)
            self._clear_work(WK.HANDLE)
            limit = self.g.policy.clock_limit("return_visit")
            clock = self._limit_clock(CK.RETURN_VISIT, limit, at) if limit is not None else None
            self._work(WK.RETURN_VISIT, self.g.hub_id, clock.due if clock else None, at)
        else:
            case.state = State.CLOSED.value
            case.closed_at = at
            self._stop(at, CK.NOT_ADMISSIBLE_REPLY)
            self._clear_work()
        case.reply_text = text
        case.replied_at = at
        self._event(actor, CaseEvent.REPLY, at, before, {"channel": channel, "text": text})

    def return_visit(
        self,
        at: dt.datetime,
        actor: User,
        *,
        by: str,
        satisfaction: int,
        solved: bool,
        comment: str,
    ) -> bool:
        case = self.case
        before = self._snap()
        self.visits.append(
            Row(
                case=case,
                by=by,
                round=case.round,
                visited_by=actor,
                visited_at=at,
                satisfaction=satisfaction,
                solved=solved,
                comment=comment,
            )
        )
        case.satisfaction, case.solved = satisfaction, solved
        self._stop(at, CK.RETURN_VISIT)
        self._clear_work(WK.RETURN_VISIT, WK.SUPERVISE, WK.CLOSE)
        unhappy = not solved or satisfaction <= 2
        if unhappy:
            self._work(WK.SUPERVISE, self.g.hub_id, self._hub_review_due(at), at)
        else:
            self._work(WK.CLOSE, self.g.hub_id, None, at)
        payload = {"by": by, "satisfaction": satisfaction, "solved": solved}
        self._event(actor, CaseEvent.RETURN_VISIT, at, before, payload)
        return unhappy

    def supervise(self, at: dt.datetime, actor: User, *, reason: str, days: int) -> bool:
        due = self.g.due_in_workdays(days, at)
        handling = self.case.handling_unit_id
        if due is None or handling is None:
            return False
        case = self.case
        before = self._snap()
        self._clear_work()
        self._stop(at, CK.RETURN_VISIT)
        case.round += 1
        case.state = State.IN_PROGRESS.value
        case.closed_at = None
        self.supervisions.append(
            Row(case=case, round=case.round, reason=reason, due=due, by=actor, at=at)
        )
        self._clock(CK.REPLY, at, due, workdays=days)
        self._work(WK.HANDLE, handling, due, at)
        payload = {"reason": reason, "round": case.round, "due": due.isoformat()}
        self._event(actor, CaseEvent.SUPERVISE, at, before, payload)
        return True

    def close(self, at: dt.datetime, actor: User) -> None:
        case = self.case
        before = self._snap()
        case.state = State.CLOSED.value
        case.closed_at = at
        self._stop(at, CK.RETURN_VISIT)
        self._clear_work()
        self._event(actor, CaseEvent.CLOSE, at, before, {})
