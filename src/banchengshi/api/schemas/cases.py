"""The worklist, case lists, and one case with its clocks, timeline and records. Fields that
only copy a row's column are read from the row by name; the few computed ones are given by
the `of` constructors."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.utils import timezone
from pydantic import BaseModel, BeforeValidator, Field

from banchengshi.api.schemas.base import LocalTime, Out, Overlay, PersonName
from banchengshi.api.schemas.catalog import MatterRef, UnitRef
from banchengshi.cases.models import PolicyVersion, WorkItem
from banchengshi.cases.selectors import CaseDetail, CaseRecords, ClockView, WorkPage, work_colour

Colour = Literal["green", "yellow", "red"]

# --- worklist and search ---------------------------------------------------------------------


class WorkItemOut(Out):
    id: int
    kind: str
    case_id: int
    tracking_no: str
    state: str
    matter: str
    unit: UnitRef
    due: LocalTime | None = Field(description="null when the work has no deadline")
    colour: Colour | None
    provisional: bool = Field(
        description="the deadline counted Monday to Friday in a year whose holiday schedule "
        "is not loaded yet; recomputed when it is"
    )
    fast_channel: bool = Field(description="the case goes by the fast channel (绿色通道)")

    @classmethod
    def of(cls, item: WorkItem, now: dt.datetime) -> WorkItemOut:
        """The work item's row, with its case's number, state and matter, and its colour."""
        case = item.case
        return cls.model_validate(
            Overlay(
                item,
                tracking_no=case.tracking_no,
                state=case.state,
                matter=case.matter.name if case.matter is not None else case.matter_text,
                due=item.due if item.has_due else None,
                colour=work_colour(item, now),
                fast_channel=item.fast,
            )
        )


class WorklistOut(Out):
    items: list[WorkItemOut]
    total: int = Field(description="red + yellow + green + undated")
    red: int = Field(description="overdue; a count above count_bound means 'more than' it")
    yellow: int = Field(description="due soon; above count_bound means 'more than' it")
    green: int = Field(
        description="on time or without a deadline (as before count_bound existed): green + undated"
    )
    undated: int = Field(
        description="of green, those without a deadline; above count_bound: 'more than'"
    )
    count_bound: int = Field(description="each colour is counted exactly up to this")
    page: int
    per_page: int
    has_next: bool

    @classmethod
    def of(cls, page: WorkPage) -> WorklistOut:
        now = timezone.now()
        return cls.model_validate(
            Overlay(
                page,
                items=[WorkItemOut.of(item, now) for item in page.items],
                # The API's green has always counted the work without a deadline too.
                green=page.green + page.undated,
                count_bound=page.bound,
            )
        )


class CaseSummaryOut(Out):
    id: int
    tracking_no: str
    state: str
    channel: str
    category: str
    complexity: str
    received_at: LocalTime
    petitioner_type: str
    petitioner_name: str
    matter: MatterRef | None
    matter_text: str
    registered_unit: UnitRef
    handling_unit: UnitRef | None
    round: int
    version: int
    fast_channel: bool = Field(description="the case goes by the fast channel (绿色通道)")


class CaseListOut(BaseModel):
    items: list[CaseSummaryOut]
    total: int = Field(description="counted up to total_cap; 'at least' when capped")
    total_cap: int
    limit: int
    offset: int


# --- case detail -------------------------------------------------------------------------------


class SkippedDayOut(BaseModel):
    date: dt.date
    reason: str


class ClockOut(Out):
    id: int
    kind: str
    limit_name: str
    round: int
    started_at: LocalTime
    due: LocalTime
    stopped_at: LocalTime | None
    paused_at: LocalTime | None
    task_id: int | None
    colour: Colour | None = Field(description="null when the clock is stopped or paused")
    counted: list[dt.date] = Field(description="the working days counted, in order")
    skipped: list[SkippedDayOut] = Field(description="days not counted, with the reason")
    provisional: bool = Field(
        description="counted Monday to Friday in a year whose holiday schedule is not loaded "
        "yet (R-SLA-1); recomputed when the year is loaded"
    )
    provisional_note: str = Field(
        description="for a provisional deadline, which year and days were assumed, in the "
        "caller's language; empty otherwise"
    )

    @classmethod
    def of(cls, view: ClockView) -> ClockOut:
        return cls.model_validate(
            Overlay(
                view.clock,
                colour=view.colour,
                counted=view.counted,
                skipped=[SkippedDayOut(date=day, reason=reason) for day, reason in view.skipped],
                provisional_note=view.provisional_note,
            )
        )


# An audit event of the case's timeline, as audit.models.AuditEvent stores it.
class EventOut(Out):
    seq: int
    at: LocalTime
    actor_label: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]
    payload: dict[str, Any]


class TaskOut(Out):
    id: int
    unit: UnitRef
    request: str
    due: LocalTime
    state: str
    requested_by: PersonName
    requested_at: LocalTime
    answer: str
    answered_by: PersonName
    answered_at: LocalTime | None


class ContactOut(Out):
    id: int
    contacted_at: LocalTime
    method: str
    by: PersonName
    outcome: str


class ClockRequestOut(Out):
    id: int
    kind: str
    reason: str
    days: int | None
    decision: str
    requested_by: PersonName
    requested_at: LocalTime
    decided_by: PersonName
    decided_at: LocalTime | None
    decision_note: str


class ReturnVisitOut(Out):
    id: int
    by: str = Field(
        description="unit, hub, or petitioner (rated on a public page or the window's tablet)"
    )
    round: int
    visited_by: PersonName = Field(
        description="empty when the petitioner rated on a public page; on the window's tablet, "
        "the clerk who handed it over"
    )
    channel: str = Field(
        description="where the petitioner rated: sms_link, portal, kiosk, window_tablet"
    )
    visited_at: LocalTime
    satisfaction: int
    solved: bool
    comment: str


class SupervisionOut(Out):
    id: int
    round: int
    reason: str
    due: LocalTime
    by: PersonName
    at: LocalTime


def _policy_key(policy: PolicyVersion | str) -> str:
    return policy if isinstance(policy, str) else policy.key


# The case's policy version, shown by its key (putuo, chongming, …).
PolicyKey = Annotated[str, BeforeValidator(_policy_key)]


class CaseOut(Out):
    id: int
    tracking_no: str
    state: str
    version: int = Field(description="send it back as 'version' to detect concurrent changes")
    channel: str
    received_at: LocalTime
    registered_unit: UnitRef
    window: str
    petitioner_type: str
    petitioner_name: str
    phone: str = Field(description="masked (138****5678) unless your role contacts the person")
    id_number: str = Field(description="masked unless your role contacts the person")
    personal_data_visible: bool
    fast_channel: bool = Field(description="the case goes by the fast channel (绿色通道)")
    special_groups: list[str] = Field(
        description="elderly, disabled, limited_mobility: why it goes by the fast channel"
    )
    enterprise_name: str
    credit_code: str
    matter: MatterRef | None
    matter_text: str
    department: UnitRef | None
    failed_at_unit: UnitRef | None
    online_application_no: str
    visits_count: int
    description: str
    request: str
    category: str
    complexity: str
    policy: PolicyKey
    owner_unit: UnitRef | None
    handling_unit: UnitRef | None
    round: int
    returns_count: int
    on_the_spot: bool
    not_admissible_reason: str
    cause_code: str
    cause_side: str
    cause_note: str
    reply_text: str
    replied_at: LocalTime | None
    satisfaction: int | None
    solved: bool | None
    suspended_at: LocalTime | None
    closed_at: LocalTime | None
    external_source: str
    external_id: str
    created_at: LocalTime
    updated_at: LocalTime
    actions: list[str] = Field(description="what you may do to the case now")
    clocks: list[ClockOut]
    timeline: list[EventOut]
    cohandling_tasks: list[TaskOut]
    contacts: list[ContactOut]
    clock_requests: list[ClockRequestOut]
    return_visits: list[ReturnVisitOut]
    supervisions: list[SupervisionOut]

    @classmethod
    def of(cls, detail: CaseDetail, records: CaseRecords) -> CaseOut:
        """The case row's fields, with the personal data as masked for the caller, what the
        caller may do, and the records hanging off the case."""
        return cls.model_validate(
            Overlay(
                detail.case,
                phone=detail.phone,
                id_number=detail.id_number,
                credit_code=detail.credit_code,
                personal_data_visible=detail.personal_data_visible,
                actions=detail.actions,
                clocks=[ClockOut.of(view) for view in detail.clocks],
                timeline=detail.events,
                cohandling_tasks=records.tasks,
                contacts=records.contacts,
                clock_requests=records.clock_requests,
                return_visits=records.return_visits,
                supervisions=records.supervisions,
            )
        )
