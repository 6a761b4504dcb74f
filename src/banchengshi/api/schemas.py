"""What goes in and out of the API. Inputs are bounded (lengths, ranges, known choices, no NUL
characters) so that malformed requests get a 422, never a server error; the actions still make
every business check. Instants go out in ISO 8601 with the Asia/Shanghai offset."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from banchengshi.cases import causes
from banchengshi.cases.models import (
    MAX_TEXT,
    Case,
    Category,
    Channel,
    ClockRequest,
    CoHandlingTask,
    Complexity,
    ContactMethod,
    ContactRecord,
    PetitionerType,
    ReturnVisit,
    Supervision,
    WorkItem,
)
from banchengshi.cases.registration import Registration
from banchengshi.cases.selectors import CaseDetail, CaseRecords, ClockView, WorkPage, work_colour
from banchengshi.catalog.models import Matter
from banchengshi.ids import MAX_ID
from banchengshi.org.models import Unit
from banchengshi.org.names import full_name
from banchengshi.org.scope import Scope

# --- input types ------------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Null characters are not allowed."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Enter a valid value.")) from None
    return value


def _plausible_instant(value: dt.datetime) -> dt.datetime:
    if not 1900 <= value.year <= 2999:
        raise ValueError(_("Enter a valid date/time."))
    return value


def _plausible_date(value: dt.date) -> dt.date:
    if not 1900 <= value.year <= 2999:
        raise ValueError(_("Enter a valid date."))
    return value


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


SafeStr = Annotated[str, AfterValidator(_clean_text)]
# For query parameters (Django has decoded them already, so no lone surrogates are left).
NO_NUL = r"^[^\x00]*$"
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Days = Annotated[int, Field(ge=1, le=30, description="working days")]
Instant = Annotated[AwareDatetime, AfterValidator(_plausible_instant)]
Day = Annotated[dt.date, AfterValidator(_plausible_date)]
LocalTime = Annotated[dt.datetime, AfterValidator(_local)]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Versioned(In):
    version: Version | None = Field(
        None, description="the case's version you last saw; a case changed since is refused (409)"
    )


# --- outputs: shared pieces -------------------------------------------------------------------


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class UnitRef(Out):
    id: int
    code: str
    name: str
    kind: str


class MatterRef(Out):
    id: int
    code: str
    name: str


def _unit(unit: Unit | None) -> UnitRef | None:
    return UnitRef.model_validate(unit) if unit is not None else None


def _matter(matter: Matter | None) -> MatterRef | None:
    return MatterRef.model_validate(matter) if matter is not None else None


def _label(user: User | None) -> str:
    """Names as everywhere else: surname first for a Chinese name (org.names)."""
    return full_name(user) if user is not None else ""


class ErrorOut(BaseModel):
    code: str = Field(
        description="stable: unauthenticated, csrf_failed, forbidden, not_found, invalid, "
        "bad_request, invalid_state, conflict, idempotency_conflict, duplicate, server_error"
    )
    message: str
    field: str | None = None
    errors: dict[str, list[str]] | None = Field(None, description="for code 'invalid' only")


ERRORS: dict[Any, type[ErrorOut]] = {
    frozenset({400, 401, 403, 404, 409, 422}): ErrorOut,
}


# --- catalogue, units, causes, me ---------------------------------------------------------


class UnitOut(Out):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None


class MatterOut(Out):
    id: int
    code: str
    name: str
    owning_department_id: int | None
    legal_limit_days: int | None
    online: bool
    whole_city: bool
    door_to_door: bool
    remote: bool
    is_public: bool


class MatterListOut(BaseModel):
    items: list[MatterOut]
    total: int
    limit: int
    offset: int


class CauseOut(BaseModel):
    code: str
    side: str
    label: str

    @classmethod
    def of(cls, cause: causes.Cause) -> CauseOut:
        return cls(code=cause.code, side=cause.side, label=cause.label)


class RoleOut(BaseModel):
    unit_id: int
    role: str


class MeOut(BaseModel):
    id: int
    username: str
    full_name: str
    sees_all: bool
    roles: list[RoleOut]

    @classmethod
    def of(cls, user: User, scope: Scope) -> MeOut:
        return cls(
            id=user.pk,
            username=user.get_username(),
            full_name=full_name(user),
            sees_all=scope.sees_all,
            roles=[
                RoleOut(unit_id=unit, role=role)
                for unit, roles in sorted(scope.roles_by_unit.items())
                for role in sorted(roles)
            ],
        )


# --- worklist and search ---------------------------------------------------------------------


class WorkItemOut(BaseModel):
    id: int
    kind: str
    case_id: int
    tracking_no: str
    state: str
    matter: str
    unit: UnitRef
    due: LocalTime | None = Field(description="null when the work has no deadline")
    colour: Literal["green", "yellow", "red"] | None

    @classmethod
    def of(cls, item: WorkItem, now: dt.datetime) -> WorkItemOut:
        case = item.case
        colour = work_colour(item, now)
        return cls(
            id=item.pk,
            kind=item.kind,
            case_id=case.pk,
            tracking_no=case.tracking_no,
            state=case.state,
            matter=case.matter.name if case.matter is not None else case.matter_text,
            unit=UnitRef.model_validate(item.unit),
            due=item.due if item.has_due else None,
            colour=colour.value if colour is not None else None,
        )


class WorklistOut(BaseModel):
    items: list[WorkItemOut]
    total: int
    red: int
    yellow: int
    green: int
    page: int
    per_page: int

    @classmethod
    def of(cls, page: WorkPage) -> WorklistOut:
        now = timezone.now()
        return cls(
            items=[WorkItemOut.of(item, now) for item in page.items],
            total=page.total,
            red=page.red,
            yellow=page.yellow,
            green=page.green,
            page=page.page,
            per_page=page.per_page,
        )


class CaseSummaryOut(BaseModel):
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

    @classmethod
    def of(cls, case: Case) -> CaseSummaryOut:
        return cls(
            id=case.pk,
            tracking_no=case.tracking_no,
            state=case.state,
            channel=case.channel,
            category=case.category,
            complexity=case.complexity,
            received_at=case.received_at,
            petitioner_type=case.petitioner_type,
            petitioner_name=case.petitioner_name,
            matter=_matter(case.matter),
            matter_text=case.matter_text,
            registered_unit=UnitRef.model_validate(case.registered_unit),
            handling_unit=_unit(case.handling_unit),
            round=case.round,
            version=case.version,
        )


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


class ClockOut(BaseModel):
    id: int
    kind: str
    limit_name: str
    round: int
    started_at: LocalTime
    due: LocalTime
    stopped_at: LocalTime | None
    paused_at: LocalTime | None
    task_id: int | None
    colour: Literal["green", "yellow", "red"] | None = Field(
        description="null when the clock is stopped or paused"
    )
    counted: list[dt.date] = Field(description="the working days counted, in order")
    skipped: list[SkippedDayOut] = Field(description="days not counted, with the reason")

    @classmethod
    def of(cls, view: ClockView) -> ClockOut:
        clock = view.clock
        return cls(
            id=clock.pk,
            kind=clock.kind,
            limit_name=clock.limit_name,
            round=clock.round,
            started_at=clock.started_at,
            due=clock.due,
            stopped_at=clock.stopped_at,
            paused_at=clock.paused_at,
            task_id=clock.task_id,
            colour=view.colour.value if view.colour is not None else None,
            counted=view.counted,
            skipped=[SkippedDayOut(date=day, reason=reason) for day, reason in view.skipped],
        )


class EventOut(BaseModel):
    seq: int
    at: LocalTime
    actor_label: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]
    payload: dict[str, Any]


class TaskOut(BaseModel):
    id: int
    unit: UnitRef
    request: str
    due: LocalTime
    state: str
    requested_by: str
    requested_at: LocalTime
    answer: str
    answered_by: str
    answered_at: LocalTime | None

    @classmethod
    def of(cls, task: CoHandlingTask) -> TaskOut:
        return cls(
            id=task.pk,
            unit=UnitRef.model_validate(task.unit),
            request=task.request,
            due=task.due,
            state=task.state,
            requested_by=_label(task.requested_by),
            requested_at=task.requested_at,
            answer=task.answer,
            answered_by=_label(task.answered_by),
            answered_at=task.answered_at,
        )


class ContactOut(BaseModel):
    id: int
    contacted_at: LocalTime
    method: str
    by: str
    outcome: str

    @classmethod
    def of(cls, record: ContactRecord) -> ContactOut:
        return cls(
            id=record.pk,
            contacted_at=record.contacted_at,
            method=record.method,
            by=_label(record.by),
            outcome=record.outcome,
        )


class ClockRequestOut(BaseModel):
    id: int
    kind: str
    reason: str
    days: int | None
    decision: str
    requested_by: str
    requested_at: LocalTime
    decided_by: str
    decided_at: LocalTime | None
    decision_note: str

    @classmethod
    def of(cls, request: ClockRequest) -> ClockRequestOut:
        return cls(
            id=request.pk,
            kind=request.kind,
            reason=request.reason,
            days=request.days,
            decision=request.decision,
            requested_by=_label(request.requested_by),
            requested_at=request.requested_at,
            decided_by=_label(request.decided_by),
            decided_at=request.decided_at,
            decision_note=request.decision_note,
        )


class ReturnVisitOut(BaseModel):
    id: int
    by: str = Field(
        description="unit, hub, or petitioner (rated on a public page or the window's tablet)"
    )
    round: int
    visited_by: str = Field(
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

    @classmethod
    def of(cls, visit: ReturnVisit) -> ReturnVisitOut:
        return cls(
            id=visit.pk,
            by=visit.by,
            round=visit.round,
            visited_by=_label(visit.visited_by),
            channel=visit.channel,
            visited_at=visit.visited_at,
            satisfaction=visit.satisfaction,
            solved=visit.solved,
            comment=visit.comment,
        )


class SupervisionOut(BaseModel):
    id: int
    round: int
    reason: str
    due: LocalTime
    by: str
    at: LocalTime

    @classmethod
    def of(cls, supervision: Supervision) -> SupervisionOut:
        return cls(
            id=supervision.pk,
            round=supervision.round,
            reason=supervision.reason,
            due=supervision.due,
            by=_label(supervision.by),
            at=supervision.at,
        )


class CaseOut(BaseModel):
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
    policy: str
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
        case = detail.case
        return cls(
            id=case.pk,
            tracking_no=case.tracking_no,
            state=case.state,
            version=case.version,
            channel=case.channel,
            received_at=case.received_at,
            registered_unit=UnitRef.model_validate(case.registered_unit),
            window=case.window,
            petitioner_type=case.petitioner_type,
            petitioner_name=case.petitioner_name,
            phone=detail.phone,
            id_number=detail.id_number,
            personal_data_visible=detail.personal_data_visible,
            enterprise_name=case.enterprise_name,
            credit_code=case.credit_code,
            matter=_matter(case.matter),
            matter_text=case.matter_text,
            department=_unit(case.department),
            failed_at_unit=_unit(case.failed_at_unit),
            online_application_no=case.online_application_no,
            visits_count=case.visits_count,
            description=case.description,
            request=case.request,
            category=case.category,
            complexity=case.complexity,
            policy=case.policy.key,
            owner_unit=_unit(case.owner_unit),
            handling_unit=_unit(case.handling_unit),
            round=case.round,
            returns_count=case.returns_count,
            on_the_spot=case.on_the_spot,
            not_admissible_reason=case.not_admissible_reason,
            cause_code=case.cause_code,
            cause_side=case.cause_side,
            cause_note=case.cause_note,
            reply_text=case.reply_text,
            replied_at=case.replied_at,
            satisfaction=case.satisfaction,
            solved=case.solved,
            suspended_at=case.suspended_at,
            closed_at=case.closed_at,
            external_source=case.external_source,
            external_id=case.external_id,
            created_at=case.created_at,
            updated_at=case.updated_at,
            actions=[act.value for act in detail.actions],
            clocks=[ClockOut.of(view) for view in detail.clocks],
            timeline=[
                EventOut(
                    seq=event.seq,
                    at=event.at,
                    actor_label=event.actor_label,
                    action=event.action,
                    before=event.before,
                    after=event.after,
                    payload=event.payload,
                )
                for event in detail.events
            ],
            cohandling_tasks=[TaskOut.of(task) for task in records.tasks],
            contacts=[ContactOut.of(record) for record in records.contacts],
            clock_requests=[ClockRequestOut.of(request) for request in records.clock_requests],
            return_visits=[ReturnVisitOut.of(visit) for visit in records.return_visits],
            supervisions=[SupervisionOut.of(item) for item in records.supervisions],
        )


# --- inputs -------------------------------------------------------------------------------------


class CaseIn(In):
    """The registration form (R-IN-1)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "channel": "window",
                    "petitioner_type": "person",
                    "petitioner_name": "张三",
                    "phone": "13812345678",
                    "matter_text": "食品经营许可",
                    "description": "营业执照变更后，食品经营许可变更被告知无法办理",
                    "request": "尽快办结许可变更",
                }
            ]
        },
    )

    channel: Channel
    petitioner_type: PetitionerType
    petitioner_name: SafeStr = Field(max_length=100)
    phone: SafeStr = Field(max_length=40, examples=["13812345678", "021-12345678"])
    description: SafeStr = Field(max_length=MAX_TEXT, description="what could not be done")
    registered_unit_id: Id | None = Field(
        None, description="the registering center; defaults to the caller's own"
    )
    received_at: Instant | None = Field(None, description="defaults to now; at most 30 days ago")
    window: SafeStr = Field("", max_length=60)
    id_number: SafeStr = Field("", max_length=30)
    enterprise_name: SafeStr = Field("", max_length=200)
    credit_code: SafeStr = Field("", max_length=30)
    matter_id: Id | None = None
    matter_text: SafeStr = Field("", max_length=200, description="when the matter is not listed")
    department_id: Id | None = None
    failed_at_unit_id: Id | None = None
    online_application_no: SafeStr = Field("", max_length=64)
    visits_count: int = Field(1, ge=1, le=99)
    request: SafeStr = Field("", max_length=MAX_TEXT, description="what the person asks for")
    category: Category = Category.HANDLING
    complexity: Complexity = Complexity.GENERAL
    external_source: SafeStr = Field("", max_length=32)
    external_id: SafeStr = Field("", max_length=64)

    def registration(self) -> Registration:
        data = self.model_dump()
        for choice in ("channel", "petitioner_type", "category", "complexity"):
            data[choice] = str(data[choice].value)
        return Registration(**data)


class ScreenIn(Versioned):
    admissible: bool
    category: Category | None = None
    complexity: Complexity | None = None
    reason: SafeStr = Field(
        "", max_length=MAX_TEXT, description="required when not admissible", examples=[""]
    )


class ResolveOnSpotIn(Versioned):
    reply: SafeStr = Field(max_length=MAX_TEXT, examples=["现场指导完成网上申报"])
    category: Category | None = None


class UnitIn(Versioned):
    unit_id: Id


class ReasonIn(Versioned):
    reason: SafeStr = Field(max_length=MAX_TEXT, examples=["等待申请人补交材料"])


class CoHandlingIn(Versioned):
    unit_id: Id
    request: SafeStr = Field(max_length=MAX_TEXT, examples=["请协助核实参保记录"])
    days: Days


class AnswerIn(Versioned):
    answer: SafeStr = Field(max_length=MAX_TEXT, examples=["已核实，记录正常"])


class ContactIn(Versioned):
    method: ContactMethod
    outcome: SafeStr = Field(max_length=MAX_TEXT, examples=["已电话联系，约定补交材料"])
    contacted_at: Instant | None = Field(None, description="defaults to now")


class CauseIn(Versioned):
    code: SafeStr = Field(
        max_length=32, description="a code from GET /causes", examples=["materials"]
    )
    note: SafeStr = Field(max_length=MAX_TEXT, examples=["缺少营业执照副本"])
    side: Literal["petitioner", "department"] | None = Field(
        None, description="needed for causes whose side is 'either'"
    )


class ExtensionIn(Versioned):
    days: Days
    reason: SafeStr = Field(max_length=MAX_TEXT, examples=["需要调取档案核实"])


class DecideIn(Versioned):
    approve: bool
    note: SafeStr = Field("", max_length=MAX_TEXT, description="required when refusing")


class ReplyIn(Versioned):
    text: SafeStr = Field(max_length=MAX_TEXT, examples=["已指导补齐材料并办结"])
    channel: Literal["sms", "phone", "email", "in_person", "letter"] = "sms"


class ReturnVisitIn(Versioned):
    satisfaction: int = Field(ge=1, le=5, description="5 very satisfied … 1 very dissatisfied")
    solved: bool
    comment: SafeStr = Field("", max_length=MAX_TEXT)


class SuperviseIn(Versioned):
    reason: SafeStr = Field(max_length=MAX_TEXT, examples=["回访发现仍未办结"])
    days: Days
