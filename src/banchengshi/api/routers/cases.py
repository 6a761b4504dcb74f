"""The case lifecycle: registration, worklist, search, detail with timeline, and every action.

Each handler calls one action or selector and answers with the case as the caller may see it
(personal data masked by role, R-Q-3). Every action body takes an optional `version`: the
case's version the caller last saw; if the case changed since, the action is refused (409,
code "conflict") instead of overwriting someone else's work (R-Q-4)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import HeaderEx, P, QueryEx, Router, Status

from banchengshi.api.auth import actor
from banchengshi.api.idempotency import register_case_once, request_hash
from banchengshi.api.schemas.base import ERRORS, NO_NUL, Day, RecordId, Versioned
from banchengshi.api.schemas.cases import CaseListOut, CaseOut, CaseSummaryOut, WorklistOut
from banchengshi.api.schemas.inputs import (
    AnswerIn,
    CaseIn,
    CauseIn,
    CoHandlingIn,
    ContactIn,
    DecideIn,
    ExtensionIn,
    ReasonIn,
    ReplyIn,
    ResolveOnSpotIn,
    ReturnVisitIn,
    ScreenIn,
    SuperviseIn,
    UnitIn,
)
from banchengshi.audit.personal_data import log_case_view
from banchengshi.cases.actions.answer import (
    check_reply_case,
    check_return_visit,
    check_supervise_case,
    do_close_case,
)
from banchengshi.cases.actions.clock_requests import (
    check_decide_request,
    check_request_extension,
    check_request_suspension,
    do_resume_case,
)
from banchengshi.cases.actions.cohandling import check_answer_cohandling, check_request_cohandling
from banchengshi.cases.actions.dispatch import (
    check_dispatch_case,
    check_resolve_on_spot,
    check_return_case,
    check_screen_case,
    do_dispatch_down,
    do_receive_case,
)
from banchengshi.cases.actions.handling import check_record_cause, check_record_contact
from banchengshi.cases.models import State
from banchengshi.cases.selectors import (
    COUNT_CAP,
    CaseRecords,
    case_detail,
    case_records,
    registered_case_detail,
    search_cases,
    worklist,
)
from banchengshi.org.scope import scope_for

router = Router(tags=["cases"])

IdempotencyKeyHeader = HeaderEx[
    str | None,
    P(
        alias="Idempotency-Key",
        min_length=1,
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="repeat a creation safely: the same key and body give the same case",
    ),
]
SEARCH_HELP = (
    "the last digits of a tracking number, a phone's last four digits, the start of a name, "
    "or words of the matter and of what failed"
)
SearchText = QueryEx[str, P(max_length=100, pattern=NO_NUL, description=SEARCH_HELP)]
CASE = {200: CaseOut, **ERRORS}


def _detail(request: HttpRequest, case_id: int) -> CaseOut:
    """The case as the caller sees it."""
    detail = case_detail(scope_for(actor(request)), case_id)
    log_case_view(request, detail)
    return CaseOut.of(detail, case_records(detail.case))


def _version(payload: Versioned | None) -> int | None:
    return payload.version if payload is not None else None


# --- lists ----------------------------------------------------------------------------------


@router.get("/worklist", response={200: WorklistOut, **ERRORS}, summary="My open work")
def get_worklist(
    request: HttpRequest,
    page: QueryEx[int, P(ge=1, le=10_000)] = 1,
    per_page: QueryEx[int, P(ge=1, le=100)] = 25,
) -> WorklistOut:
    """The open work of the caller's units that their roles take, most urgent first, with
    counts by colour."""
    return WorklistOut.of(worklist(scope_for(actor(request)), page=page, per_page=per_page))


@router.get("/cases", response={200: CaseListOut, **ERRORS}, summary="Search cases")
def list_cases(
    request: HttpRequest,
    state: QueryEx[State | None, P()] = None,
    q: QueryEx[str, P(max_length=100, pattern=NO_NUL, description=SEARCH_HELP)] = "",
    received_from: QueryEx[Day | None, P()] = None,
    received_to: QueryEx[Day | None, P()] = None,
    limit: QueryEx[int, P(ge=1, le=100)] = 25,
    offset: QueryEx[int, P(ge=0, le=100_000)] = 0,
) -> CaseListOut:
    """Cases within the caller's reach, newest first; with `q`, the cases it finds, matches of
    an identifier first, then of a name, of the matter, of other words, each newest first.
    Over every case, each kind of match brings its newest 500; with a state or a period,
    all of them."""
    cases = search_cases(
        scope_for(actor(request)),
        state=state.value if state is not None else "",
        text=q,
        received_from=received_from,
        received_to=received_to,
    )
    return CaseListOut(
        items=[CaseSummaryOut.model_validate(case) for case in cases[offset : offset + limit]],
        total=cases.count(),
        total_cap=COUNT_CAP,
        limit=limit,
        offset=offset,
    )


# --- registration and detail ------------------------------------------------------------------


@router.post(
    "/cases",
    response={201: CaseOut, 200: CaseOut, **ERRORS},
    summary="Register an appeal",
)
def create_case(
    request: HttpRequest, payload: CaseIn, idempotency_key: IdempotencyKeyHeader = None
) -> Status[CaseOut]:
    """201 with the new case. With an Idempotency-Key already used with the same body: 200 with
    the case made then; with another body: 409 (idempotency_conflict)."""
    person = actor(request)
    case_id, new_case = register_case_once(
        person,
        payload.registration(),
        idempotency_key,
        request_hash(payload.model_dump(mode="json")),
    )
    if new_case is None:
        return Status(200, _detail(request, case_id))
    # Built from the case in hand: a case registered by this very request has no clocks,
    # co-handling tasks, contacts, requests, visits or supervisions to read yet.
    # Not logged as a look at personal data: the answer echoes what the caller just sent.
    detail = registered_case_detail(scope_for(person), new_case)
    return Status(201, CaseOut.of(detail, CaseRecords.none()))


@router.get("/cases/{case_id}", response=CASE, summary="A case, its clocks and its timeline")
def get_case(request: HttpRequest, case_id: RecordId) -> CaseOut:
    return _detail(request, case_id)


# --- intake, dispatch -------------------------------------------------------------------------


@router.post("/cases/{case_id}/screen", response=CASE, summary="Accept or refuse (screening)")
def screen(request: HttpRequest, case_id: RecordId, payload: ScreenIn) -> CaseOut:
    check_screen_case(
        actor(request),
        case_id,
        admissible=payload.admissible,
        category=payload.category.value if payload.category else "",
        complexity=payload.complexity.value if payload.complexity else "",
        reason=payload.reason,
        version=payload.version,
    )
    return _detail(request, case_id)


@router.post("/cases/{case_id}/resolve-on-spot", response=CASE, summary="Resolved at the window")
def resolve_on_spot(request: HttpRequest, case_id: RecordId, payload: ResolveOnSpotIn) -> CaseOut:
    check_resolve_on_spot(
        actor(request),
        case_id,
        reply=payload.reply,
        category=payload.category.value if payload.category else "",
        version=payload.version,
    )
    return _detail(request, case_id)


@router.post("/cases/{case_id}/dispatch", response=CASE, summary="Dispatch to a unit (hub)")
def dispatch(request: HttpRequest, case_id: RecordId, payload: UnitIn) -> CaseOut:
    check_dispatch_case(actor(request), case_id, unit_id=payload.unit_id, version=payload.version)
    return _detail(request, case_id)


@router.post("/cases/{case_id}/receive", response=CASE, summary="Sign for the work order")
def receive(request: HttpRequest, case_id: RecordId, payload: Versioned | None = None) -> CaseOut:
    do_receive_case(actor(request), case_id, version=_version(payload))
    return _detail(request, case_id)


@router.post("/cases/{case_id}/return", response=CASE, summary="Return to the hub")
def return_case(request: HttpRequest, case_id: RecordId, payload: ReasonIn) -> CaseOut:
    check_return_case(actor(request), case_id, reason=payload.reason, version=payload.version)
    return _detail(request, case_id)


@router.post("/cases/{case_id}/dispatch-down", response=CASE, summary="Pass to a unit below")
def dispatch_down(request: HttpRequest, case_id: RecordId, payload: UnitIn) -> CaseOut:
    do_dispatch_down(actor(request), case_id, unit_id=payload.unit_id, version=payload.version)
    return _detail(request, case_id)


# --- handling ---------------------------------------------------------------------------------


@router.post("/cases/{case_id}/cohandling", response=CASE, summary="Ask a unit to co-handle")
def request_cohandling(request: HttpRequest, case_id: RecordId, payload: CoHandlingIn) -> CaseOut:
    check_request_cohandling(
        actor(request),
        case_id,
        unit_id=payload.unit_id,
        request=payload.request,
        days=payload.days,
        version=payload.version,
    )
    return _detail(request, case_id)


@router.post(
    "/cases/{case_id}/cohandling/{task_id}/answer",
    response=CASE,
    summary="Answer a co-handling task",
)
def answer_cohandling(
    request: HttpRequest, case_id: RecordId, task_id: RecordId, payload: AnswerIn
) -> CaseOut:
    check_answer_cohandling(
        actor(request), case_id, task_id=task_id, answer=payload.answer, version=payload.version
    )
    return _detail(request, case_id)


@router.post("/cases/{case_id}/contacts", response=CASE, summary="Record a contact")
def record_contact(request: HttpRequest, case_id: RecordId, payload: ContactIn) -> CaseOut:
    check_record_contact(
        actor(request),
        case_id,
        method=payload.method.value,
        outcome=payload.outcome,
        contacted_at=payload.contacted_at,
        version=payload.version,
    )
    return _detail(request, case_id)


@router.post("/cases/{case_id}/cause", response=CASE, summary="Record the cause analysis")
def record_cause(request: HttpRequest, case_id: RecordId, payload: CauseIn) -> CaseOut:
    check_record_cause(
        actor(request),
        case_id,
        code=payload.code,
        note=payload.note,
        side=payload.side or "",
        version=payload.version,
    )
    return _detail(request, case_id)


@router.post("/cases/{case_id}/extension", response=CASE, summary="Request an extension")
def request_extension(request: HttpRequest, case_id: RecordId, payload: ExtensionIn) -> CaseOut:
    check_request_extension(
        actor(request), case_id, days=payload.days, reason=payload.reason, version=payload.version
    )
    return _detail(request, case_id)


@router.post("/cases/{case_id}/suspension", response=CASE, summary="Request a suspension")
def request_suspension(request: HttpRequest, case_id: RecordId, payload: ReasonIn) -> CaseOut:
    check_request_suspension(
        actor(request), case_id, reason=payload.reason, version=payload.version
    )
    return _detail(request, case_id)


@router.post(
    "/cases/{case_id}/requests/{request_id}/decide",
    response=CASE,
    summary="Approve or refuse an extension or suspension (hub)",
)
def decide_request(
    request: HttpRequest, case_id: RecordId, request_id: RecordId, payload: DecideIn
) -> CaseOut:
    check_decide_request(
        actor(request),
        case_id,
        request_id=request_id,
        approve=payload.approve,
        note=payload.note,
        version=payload.version,
    )
    return _detail(request, case_id)


@router.post("/cases/{case_id}/resume", response=CASE, summary="End a suspension")
def resume(request: HttpRequest, case_id: RecordId, payload: Versioned | None = None) -> CaseOut:
    do_resume_case(actor(request), case_id, version=_version(payload))
    return _detail(request, case_id)


# --- reply, return visit, supervision, close --------------------------------------------------


@router.post("/cases/{case_id}/reply", response=CASE, summary="Reply to the petitioner")
def reply(request: HttpRequest, case_id: RecordId, payload: ReplyIn) -> CaseOut:
    check_reply_case(
        actor(request), case_id, text=payload.text, channel=payload.channel, version=payload.version
    )
    return _detail(request, case_id)


@router.post("/cases/{case_id}/return-visit", response=CASE, summary="Record a return visit")
def return_visit(request: HttpRequest, case_id: RecordId, payload: ReturnVisitIn) -> CaseOut:
    check_return_visit(
        actor(request),
        case_id,
        satisfaction=payload.satisfaction,
        solved=payload.solved,
        comment=payload.comment,
        version=payload.version,
    )
    return _detail(request, case_id)


@router.post("/cases/{case_id}/supervise", response=CASE, summary="Reopen under supervision")
def supervise(request: HttpRequest, case_id: RecordId, payload: SuperviseIn) -> CaseOut:
    check_supervise_case(
        actor(request), case_id, reason=payload.reason, days=payload.days, version=payload.version
    )
    return _detail(request, case_id)


@router.post("/cases/{case_id}/close", response=CASE, summary="Close (hub)")
def close(request: HttpRequest, case_id: RecordId, payload: Versioned | None = None) -> CaseOut:
    do_close_case(actor(request), case_id, version=_version(payload))
    return _detail(request, case_id)
