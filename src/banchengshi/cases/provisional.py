"""Provisional deadlines made final: when an administrator loads a year's holiday schedule,
every clock counted through that year with Monday to Friday assumed (R-SLA-1) is computed
again, in the loading transaction (`workdays.actions.do_load_calendar_year`, which sends
`workdays.signals.year_loaded`; CasesConfig.ready() connects `on_year_loaded` to it).

Each case is locked as an action would lock it. Its provisional clocks are found through the
partial index on `Clock.provisional` and recomputed from what made them (`recompute_due`);
the work items, co-handling tasks and supervisions that carry the same deadline follow. A case
whose deadlines moved gets one audit event, by the system, and the people whose worklists
show the moved deadlines get a notice; a clock whose deadline stays only loses its flag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.cases.actions.common import HANDLING_CLOCKS, refresh_handle_due
from banchengshi.cases.clocks import REMINDER_FIELDS, arm, case_policy
from banchengshi.cases.events import CaseEvent
from banchengshi.cases.models import (
    Case,
    Clock,
    ClockKind,
    CoHandlingTask,
    Supervision,
    WorkItem,
    WorkKind,
)
from banchengshi.cases.selectors import WORK_BY_ROLE
from banchengshi.notify.inbox import notify, people_of, people_with
from banchengshi.notify.models import NotificationKind
from banchengshi.org.models import Unit, UnitKind
from banchengshi.org.scope import HUB_QUEUE_ROLES
from banchengshi.policy.deadlines import SHANGHAI, is_provisional, reckon_due, recompute_due
from banchengshi.workdays.calendar import WorkingCalendar
from banchengshi.workdays.signals import Recomputation

# How the audit trail names the system when no person acted (the loader may be a console).
SYSTEM_LABEL = "系统"
# Work whose deadline is the hub's own review limit, counted from the item's creation rather
# than taken from a clock.
HUB_REVIEW_WORK = (WorkKind.APPROVE, WorkKind.SUPERVISE)


@dataclass
class _CaseChange:
    case: Case
    changes: list[dict[str, Any]] = field(default_factory=list)
    new_dues: list[dt.datetime] = field(default_factory=list)
    # (unit, work kind) whose people see a moved deadline on their worklist.
    seen_by: set[tuple[int, WorkKind]] = field(default_factory=set)

    def record(self, kind: str, round_: int, before: dt.datetime, after: dt.datetime) -> None:
        self.new_dues.append(after)
        self.changes.append(
            {
                "kind": kind,
                "round": round_,
                "before": before.astimezone(SHANGHAI).isoformat(),
                "after": after.astimezone(SHANGHAI).isoformat(),
            }
        )


def on_year_loaded(
    sender: object, *, year: int, calendar: WorkingCalendar, report: Recomputation, **kwargs: Any
) -> None:
    """The receiver of `workdays.signals.year_loaded`."""
    recompute_provisional(calendar, year=year, report=report)


def recompute_provisional(calendar: WorkingCalendar, *, year: int, report: Recomputation) -> None:
    """Recompute every provisional deadline under `calendar` (which holds the loaded year),
    counting what it did in `report`. Trusts the caller to run it inside the loading
    transaction."""
    case_ids = set(Clock.objects.filter(provisional=True).values_list("case_id", flat=True))
    case_ids |= set(WorkItem.objects.filter(provisional=True).values_list("case_id", flat=True))
    if not case_ids:
        return
    now = timezone.now()
    # Locked in id order, as one action locks one case: no deadlock with actions under way.
    cases = Case.objects.select_for_update(of=("self",)).select_related("policy")
    hub_id = Unit.objects.filter(kind=UnitKind.HUB).values_list("pk", flat=True).first()
    for case in cases.filter(pk__in=sorted(case_ids)).order_by("pk"):
        change = _recompute_case(calendar, case, report)
        if not change.changes:
            continue
        report.cases_changed += 1
        case.version += 1
        case.save(update_fields=["version", "updated_at"])
        append_events(
            [
                PendingEvent(
                    case_id=case.pk,
                    actor_id=None,
                    actor_label=SYSTEM_LABEL,
                    action=CaseEvent.RECOMPUTE_DEADLINES,
                    at=now,
                    before={},
                    after={},
                    payload={"year": year, "deadlines": change.changes},
                )
            ]
        )
        report.notices += notify(
            user_ids=_people_seeing(change.seen_by, hub_id),
            kind=NotificationKind.DEADLINE_MOVED,
            case_id=case.pk,
            params={
                "tracking_no": case.tracking_no,
                "year": year,
                "deadlines": change.changes,
                # The first deadline moved, for the notice's one sentence.
                "old_due": change.changes[0]["before"],
                "new_due": change.changes[0]["after"],
            },
        )


def _recompute_case(calendar: WorkingCalendar, case: Case, report: Recomputation) -> _CaseChange:
    change = _CaseChange(case)
    policy = case_policy(case)
    for clock in Clock.objects.filter(case=case, provisional=True).order_by("pk"):
        limit = policy.limits.get(clock.limit_name) if clock.limit_name else None
        if limit is None and clock.workdays is None:
            report.still_provisional += 1  # nothing says how it was counted: left as it is
            continue
        fresh = recompute_due(
            calendar,
            started_at=clock.started_at,
            limit=limit,
            workdays=clock.workdays,
            extra_workdays=clock.extra_workdays,
            pauses=clock.pauses,
        )
        before = clock.due
        clock.due, clock.extra_workdays = fresh.due, fresh.extra_workdays
        clock.pauses, clock.provisional = fresh.pauses, fresh.provisional
        arm(clock, policy, calendar)  # a moved deadline re-arms its reminders
        clock.save(
            update_fields=["due", "extra_workdays", "pauses", "provisional", *REMINDER_FIELDS]
        )
        report.still_provisional += fresh.provisional
        _follow(clock, before)
        if fresh.due == before:
            report.clocks_confirmed += not fresh.provisional
            continue
        report.clocks_changed += 1
        change.record(clock.kind, clock.round, before, fresh.due)
        if clock.stopped_at is None:
            change.seen_by |= _clock_seen_by(case, clock)
    refresh_handle_due(case)
    for item in WorkItem.objects.filter(case=case, provisional=True, kind__in=HUB_REVIEW_WORK):
        review = policy.clock_limit("hub_review")
        if review is None:
            continue
        due = reckon_due(calendar, review, item.created_at).value
        flag = is_provisional(calendar, item.created_at, due)
        WorkItem.objects.filter(pk=item.pk).update(due=due, provisional=flag)
        report.still_provisional += flag
        if due != item.due:
            change.record(item.kind, case.round, item.due, due)
            change.seen_by.add((item.unit_id, WorkKind(item.kind)))
    # An item whose deadline came from a clock that was not itself provisional (a pause
    # counted before the year was missing) is judged by its own span.
    for item in WorkItem.objects.filter(case=case, provisional=True):
        if not is_provisional(calendar, item.created_at, item.due):
            WorkItem.objects.filter(pk=item.pk).update(provisional=False)
    if change.new_dues:
        # The handler's item, the receipt, dispatch, return visit: whatever now shows a moved
        # deadline tells the people whose worklist it is on.
        moved = WorkItem.objects.filter(case=case, due__in=change.new_dues)
        change.seen_by |= {
            (unit_id, WorkKind(kind)) for unit_id, kind in moved.values_list("unit_id", "kind")
        }
    return change


def _follow(clock: Clock, before: dt.datetime) -> None:
    """The rows that carry the clock's deadline take its new value and flag."""
    values = {"due": clock.due, "provisional": clock.provisional}
    if clock.task_id is not None:
        WorkItem.objects.filter(task_id=clock.task_id).update(**values)
        CoHandlingTask.objects.filter(pk=clock.task_id).update(due=clock.due)
        return
    # Dispatch, receipt, the return visit and the reasons of a refusal were given the clock's
    # deadline when they were created; the handler's item is the nearest of several clocks.
    WorkItem.objects.filter(case_id=clock.case_id, due=before, task__isnull=True).exclude(
        kind__in=(WorkKind.HANDLE, *HUB_REVIEW_WORK)
    ).update(**values)
    if clock.kind == ClockKind.REPLY and clock.round > 1:
        Supervision.objects.filter(case_id=clock.case_id, round=clock.round, due=before).update(
            due=clock.due
        )


def _clock_seen_by(case: Case, clock: Clock) -> set[tuple[int, WorkKind]]:
    if clock.kind in HANDLING_CLOCKS and case.handling_unit_id is not None:
        return {(case.handling_unit_id, WorkKind.HANDLE)}
    if clock.task_id is not None:
        unit_id = CoHandlingTask.objects.filter(pk=clock.task_id).values_list("unit_id", flat=True)
        return {(u, WorkKind.COHANDLE) for u in unit_id}
    return set()


def _people_seeing(seen_by: Iterable[tuple[int, WorkKind]], hub_id: int | None) -> list[int]:
    """The people whose worklists show work of `kind` at `unit` (selectors.WORK_BY_ROLE): the
    unit's own roles, and the hub's queue roles wherever they are members."""
    people: set[int] = set()
    for unit_id, kind in seen_by:
        roles = [role for role, kinds in WORK_BY_ROLE.items() if kind in kinds]
        people.update(people_of([unit_id], [r for r in roles if r not in HUB_QUEUE_ROLES]))
        if unit_id == hub_id:
            people.update(people_with([r for r in roles if r in HUB_QUEUE_ROLES]))
    return sorted(people)
