"""Every change of a case (DESIGN.md "Zulip's actions").

`check_*` validates the input and the person's right to act and then calls `do_*`, which
re-reads the case under a row lock, re-checks its state, makes the change, and writes one
audit event, all in one transaction. Notifications go to the outbox in the same transaction.
A caller may pass the `version` it last saw; a case changed since is refused as a conflict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.cases import causes, search
from banchengshi.cases.access import require
from banchengshi.cases.clocks import (
    case_policy,
    due_in_workdays,
    limit_clock,
    new_clock,
    policy_version_in_force,
    shift_due,
)
from banchengshi.cases.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.cases.models import (
    MAX_ID,
    NO_DUE,
    Case,
    CaseUnit,
    Category,
    Clock,
    ClockKind,
    ClockRequest,
    CoHandlingTask,
    Complexity,
    ContactMethod,
    ContactRecord,
    ReturnVisit,
    Satisfaction,
    State,
    Supervision,
    TrackingSequence,
    WorkItem,
    WorkKind,
)
from banchengshi.cases.registration import Registration, clean_registration
from banchengshi.cases.states import Act, require_state
from banchengshi.catalog.models import Matter
from banchengshi.notify.outbox import enqueue, text_petitioner
from banchengshi.org.models import Role, Unit, UnitKind
from banchengshi.org.scope import scope_for
from banchengshi.policy.deadlines import local_date
from banchengshi.workdays.calendar import UnknownYearError
from banchengshi.workdays.registry import current_calendar

MAX_TEXT = 5000
TRACKED_FIELDS = (
    "state",
    "owner_unit_id",
    "handling_unit_id",
    "round",
    "returns_count",
    "category",
    "complexity",
    "cause_code",
    "cause_side",
    "satisfaction",
    "solved",
    "suspended_at",
    "closed_at",
    "on_the_spot",
)


# --- shared pieces -------------------------------------------------------------------------


def _text(value: str, field: str, *, required: bool = True, minimum: int = 2) -> str:
    value = (value or "").strip()
    if required and len(value) < minimum:
        raise InvalidInput({field: [_("This field is required.")]})
    if len(value) > MAX_TEXT:
        raise InvalidInput({field: [_("The text is too long (at most 5000 characters).")]})
    return value


def _days(value: int, field: str, maximum: int = 60) -> int:
    if not isinstance(value, int) or not 1 <= value <= maximum:
        raise InvalidInput(
            {field: [_("Give a number of working days from 1 to %(max)s.") % {"max": maximum}]}
        )
    return value


def actor_label(actor: User) -> str:
    """A person's name as Chinese writes it: surname first, no space."""
    return f"{actor.last_name}{actor.first_name}".strip() or actor.get_username()


def _is_id(value: int | None) -> bool:
    """A number that can name a row: larger ones the databases refuse as parameters."""
    return value is not None and 1 <= value <= MAX_ID


# How the audit trail names a petitioner who filed or rated on a public page themselves.
PETITIONER_LABEL = "反映人"


def _label(actor: User | None) -> str:
    return actor_label(actor) if actor is not None else PETITIONER_LABEL


def _snapshot(case: Case) -> dict[str, Any]:
    return {name: getattr(case, name) for name in TRACKED_FIELDS}


@dataclass
class Change:
    """A case being changed under its row lock, and what the audit event will say. `actor`
    None: the petitioner, on a public page, proven by an access code or a signed link."""

    actor: User | None
    case: Case
    action: str
    before: dict[str, Any]
    now: dt.datetime
    payload: dict[str, Any] = field(default_factory=dict)


def _deadline_error(exc: UnknownYearError) -> InvalidInput:
    return InvalidInput({"deadline": [str(exc)]})


@contextmanager
def changing_case(actor: User, case_id: int, act: Act, version: int | None) -> Iterator[Change]:
    """The frame of every change to a case (here and in cases.attachments): the row locked,
    the person's right, the state and the version checked; the caller changes `change.case`,
    and leaving the block saves it, bumps the version and appends the audit event."""

    def authorise(case: Case) -> None:
        scope = scope_for(actor)
        require(scope, Act.VIEW, case)
        if version is not None and case.version != version:
            raise Conflict(_("Someone else changed this case meanwhile; reload it and try again."))
        require(scope, act, case)

    with _locked_change(actor, case_id, act, authorise) as change:
        yield change


@contextmanager
def changing_case_as_petitioner(case_id: int, act: Act) -> Iterator[Change]:
    """The same frame for what the petitioner does on a public page (rating the reply): the
    caller has proven who they are for this case (intake.tracking), so no role is checked."""
    with _locked_change(None, case_id, act, lambda case: None) as change:
        yield change


@contextmanager
def _locked_change(
    actor: User | None, case_id: int, act: Act, authorise: Callable[[Case], None]
) -> Iterator[Change]:
    try:
        with transaction.atomic():
            case = (
                Case.objects.select_for_update(of=("self",))
                .select_related("policy")
                .filter(pk=case_id)
                .first()
            )
            if case is None:
                raise NotFound(_("No case with this number is within your reach."))
            authorise(case)
            require_state(act, case.state)
            change = Change(actor, case, act.value, _snapshot(case), timezone.now())
            yield change
            _save(change)
    except UnknownYearError as exc:
        raise _deadline_error(exc) from None


def _save(change: Change) -> None:
    case = change.case
    case.version += 1
    case.save()
    after = _snapshot(case)
    changed = [name for name in TRACKED_FIELDS if after[name] != change.before[name]]
    append_events(
        [
            PendingEvent(
                case_id=case.pk,
                actor_id=change.actor.pk if change.actor is not None else None,
                actor_label=_label(change.actor),
                action=change.action,
                at=change.now,
                before={name: change.before[name] for name in changed},
                after={name: after[name] for name in changed},
                payload=change.payload,
            )
        ]
    )


def _link(case: Case, unit_id: int, relation: str) -> None:
    CaseUnit.objects.bulk_create(
        [CaseUnit(case=case, unit_id=unit_id, relation=relation)], ignore_conflicts=True
    )


def _work(case: Case, kind: WorkKind, unit_id: int, due: dt.datetime | None, **kw: Any) -> None:
    WorkItem.objects.create(case=case, kind=kind, unit_id=unit_id, due=due or NO_DUE, **kw)


def _clear_work(case: Case, *kinds: WorkKind) -> None:
    items = WorkItem.objects.filter(case=case)
    if kinds:
        items = items.filter(kind__in=kinds)
    items.delete()


def _running(case: Case, *kinds: ClockKind) -> list[Clock]:
    return list(
        Clock.objects.filter(case=case, kind__in=kinds, stopped_at__isnull=True, task__isnull=True)
    )


def _stop(case: Case, now: dt.datetime, *kinds: ClockKind) -> None:
    Clock.objects.filter(
        case=case, kind__in=kinds, stopped_at__isnull=True, task__isnull=True
    ).update(stopped_at=now)


HANDLING_CLOCKS = (ClockKind.CONTACT, ClockKind.CAUSE_ANALYSIS, ClockKind.REPLY)
# Units a case can be handled by; the office, hub and inspectorate only oversee.
HANDLING_KINDS = (
    UnitKind.DEPARTMENT,
    UnitKind.CENTER,
    UnitKind.SUBCENTER,
    UnitKind.SERVICE_POINT,
)
# Where a petitioner goes to get business done (and where it can fail): not the departments.
PLACE_KINDS = tuple(kind for kind in HANDLING_KINDS if kind != UnitKind.DEPARTMENT)


def _refresh_handle_due(case: Case) -> None:
    """The handler's work item sorts by the nearest deadline still running."""
    dues = [c.due for c in _running(case, *HANDLING_CLOCKS) if c.paused_at is None]
    WorkItem.objects.filter(case=case, kind=WorkKind.HANDLE).update(
        due=min(dues) if dues else NO_DUE
    )


def hub_unit() -> Unit:
    unit = Unit.objects.filter(kind=UnitKind.HUB, is_active=True).order_by("id").first()
    if unit is None:
        raise InvalidState(_("No dispatch hub is configured; an administrator must create one."))
    return unit


def _next_tracking_no(received_at: dt.datetime) -> str:
    prefix = settings.BANCHENGSHI_DISTRICT_CODE
    year = local_date(received_at).year
    last = _advance_sequence(prefix, year)
    if last is None:
        try:
            with transaction.atomic():
                TrackingSequence.objects.create(prefix=prefix, year=year, last=1)
            last = 1
        except IntegrityError:  # created by a concurrent registration meanwhile
            last = _advance_sequence(prefix, year)
    assert last is not None
    return f"{prefix}-{year}-{last:06d}"


def _advance_sequence(prefix: str, year: int) -> int | None:
    """The next number of the year's sequence, or None if the year has none yet. One
    UPDATE … RETURNING (PostgreSQL, SQLite ≥ 3.35): the row lock it takes serialises
    concurrent registrations, and no second statement reads the number back."""
    table = connection.ops.quote_name(TrackingSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE prefix = %s AND year = %s RETURNING last",
            [prefix, year],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


# --- register, screen, resolve on the spot ---------------------------------------------------


def check_register_case(actor: User, data: Registration) -> Case:
    """Register an appeal from any channel. Window staff register at their own center; the hub
    and external systems (a person with the dispatcher role) register anywhere."""
    scope = scope_for(actor)
    data = clean_registration(data)
    if data.registered_unit_id is None:
        if scope.has_role({Role.DISPATCHER}):
            # The scope found the hub already for a person holding a hub role.
            data = _with_unit(data, scope.hub_unit_id or hub_unit().pk)
        else:
            units = scope.units_with_role({Role.WINDOW_CLERK, Role.WINDOW_HEAD})
            if len(units) != 1:
                raise InvalidInput({"registered_unit_id": [_("Choose the center registering.")]})
            data = _with_unit(data, units[0])
    unit_id = data.registered_unit_id
    assert unit_id is not None
    if not (
        scope.has_role({Role.WINDOW_CLERK, Role.WINDOW_HEAD}, unit_id)
        or scope.has_role({Role.DISPATCHER})
    ):
        raise Forbidden(_("You may register appeals only at a window of your own center."))
    return do_register_case(actor, data, registration_references(data))


def _with_unit(data: Registration, unit_id: int) -> Registration:
    return replace(data, registered_unit_id=unit_id)


@dataclass(frozen=True)
class References:
    """The rows a registration names, read once: checked here, and given to the new case so
    that the answer needs no second read of them."""

    units: dict[int, Unit]
    matter: Matter | None


def registration_references(data: Registration) -> References:
    """The matter and the units a registration names (one query each), or InvalidInput when
    one does not exist or cannot take a case."""
    unit_ids = {data.registered_unit_id, data.department_id, data.failed_at_unit_id}
    units = Unit.objects.in_bulk([unit_id for unit_id in unit_ids if _is_id(unit_id)])
    errors: dict[str, list[Any]] = {}
    for field_name in ("department_id", "failed_at_unit_id"):
        unit = units.get(getattr(data, field_name))
        if getattr(data, field_name) is not None and (
            unit is None or not unit.is_active or unit.kind not in HANDLING_KINDS
        ):
            errors[field_name] = [_("Choose a department or service center.")]
    if data.registered_unit_id not in units:
        errors["registered_unit_id"] = [_("Choose the center registering.")]
    matter = None
    if data.matter_id is not None:
        matter = (
            Matter.objects.filter(pk=data.matter_id).first() if _is_id(data.matter_id) else None
        )
        if matter is None:
            errors["matter_id"] = [_("There is no such service matter.")]
    if errors:
        raise InvalidInput(errors)
    return References(units, matter)


def do_register_case(actor: User | None, data: Registration, refs: References) -> Case:
    """`actor` None: the petitioner filed it on a public page (portal, phone, kiosk)."""
    received_at = data.received_at or timezone.now()
    unit_id = data.registered_unit_id
    assert unit_id is not None, "check_register_case fills in the registering unit"
    try:
        with transaction.atomic():
            case = Case(
                tracking_no=_next_tracking_no(received_at),
                state=State.REGISTERED,
                channel=data.channel,
                received_at=received_at,
                registered_unit=refs.units[unit_id],
                window=data.window,
                registered_by=actor,
                petitioner_type=data.petitioner_type,
                petitioner_name=data.petitioner_name,
                phone=data.phone,
                id_number=data.id_number,
                enterprise_name=data.enterprise_name,
                credit_code=data.credit_code,
                matter=refs.matter,
                matter_text=data.matter_text,
                department=refs.units.get(data.department_id or 0),
                failed_at_unit=refs.units.get(data.failed_at_unit_id or 0),
                online_application_no=data.online_application_no,
                visits_count=data.visits_count,
                description=data.description,
                request=data.request,
                category=data.category,
                complexity=data.complexity,
                policy=policy_version_in_force(),
                external_source=data.external_source,
                external_id=data.external_id,
            )
            case.save()
            search.index_case(case)
            link = CaseUnit.objects.create(
                case=case, unit_id=unit_id, relation=CaseUnit.Relation.REGISTERED
            )
            _work(case, WorkKind.SCREEN, unit_id, None)
            events = append_events(
                [
                    PendingEvent(
                        case_id=case.pk,
                        actor_id=actor.pk if actor is not None else None,
                        actor_label=_label(actor),
                        action="register",
                        at=timezone.now(),
                        before={},
                        after={"state": case.state, "tracking_no": case.tracking_no},
                        payload={"channel": case.channel},
                    )
                ]
            )
    except UnknownYearError as exc:
        raise _deadline_error(exc) from None
    # What a read of the new case would find, so that answering with it costs no query.
    case._prefetched_objects_cache = {"unit_links": [link], "events": events}  # type: ignore[attr-defined]
    return case


def check_screen_case(
    actor: User,
    case_id: int,
    *,
    admissible: bool,
    category: str = "",
    complexity: str = "",
    reason: str = "",
    version: int | None = None,
) -> Case:
    """Accept (and dispatch automatically), or refuse as not admissible with the reason."""
    if admissible:
        if category and category not in Category.values:
            raise InvalidInput({"category": [_("Unknown category.")]})
        if complexity and complexity not in Complexity.values:
            raise InvalidInput({"complexity": [_("Unknown complexity.")]})
    else:
        reason = _text(reason, "reason", minimum=5)
    return do_screen_case(actor, case_id, admissible, category, complexity, reason, version)


def do_screen_case(
    actor: User,
    case_id: int,
    admissible: bool,
    category: str,
    complexity: str,
    reason: str,
    version: int | None,
) -> Case:
    with changing_case(actor, case_id, Act.SCREEN, version) as change:
        case = change.case
        _clear_work(case, WorkKind.SCREEN)
        policy = case_policy(case)
        if not admissible:
            case.state = State.NOT_ADMISSIBLE
            case.not_admissible_reason = reason
            change.action = "screen_not_admissible"
            change.payload = {"reason": reason}
            limit = policy.clock_limit("not_admissible_reply")
            due = None
            if limit is not None:
                clock = limit_clock(case, ClockKind.NOT_ADMISSIBLE_REPLY, limit, case.received_at)
                clock.save()
                due = clock.due
            _work(case, WorkKind.REPLY_REASONS, case.registered_unit_id, due)
            return case
        case.category = category or case.category
        case.complexity = complexity or case.complexity
        change.action = "screen_accept"
        change.payload = {"category": case.category, "complexity": case.complexity}
        clocks = [
            limit_clock(
                case,
                ClockKind.REPLY,
                policy.reply_limit(complexity=case.complexity),
                case.received_at,
            )
        ]
        cause_limit = policy.clock_limit("cause_analysis")
        if cause_limit is not None:
            clocks.append(
                limit_clock(case, ClockKind.CAUSE_ANALYSIS, cause_limit, case.received_at)
            )
        Clock.objects.bulk_create(clocks)
        target = auto_dispatch_target(case)
        if target is None:
            case.state = State.AWAITING_DISPATCH
            _work(case, WorkKind.DISPATCH, hub_unit().pk, clocks[0].due)
        else:
            _dispatch_to(change, target, automatic=True)
    return change.case


def auto_dispatch_target(case: Case) -> Unit | None:
    """R-DIS-1: the matter's owning department, else the department named on the form, else the
    place where the matter is handled; None sends the case to the hub's manual queue."""
    matter = case.matter
    if matter is not None and matter.owning_department_id:
        return matter.owning_department
    if case.department_id:
        return case.department
    if case.failed_at_unit_id:
        return case.failed_at_unit
    if matter is not None:
        centers = list(matter.handling_centers.filter(is_active=True)[:2])
        if len(centers) == 1:
            return centers[0]
    return None


def _dispatch_to(change: Change, unit: Unit, *, automatic: bool) -> None:
    case = change.case
    case.state = State.DISPATCHED
    case.handling_unit = unit
    _link(case, unit.pk, CaseUnit.Relation.HANDLING)
    reply = _running(case, ClockKind.REPLY)
    _work(case, WorkKind.RECEIVE, unit.pk, reply[0].due if reply else None)
    policy = case_policy(case)
    contact = policy.clock_limit("contact")
    if contact is not None and not _running(case, ClockKind.CONTACT):
        limit_clock(case, ClockKind.CONTACT, contact, change.now).save()
    change.payload.update({"unit": unit.code, "automatic": automatic})


def check_resolve_on_spot(
    actor: User, case_id: int, *, reply: str, category: str = "", version: int | None = None
) -> Case:
    reply = _text(reply, "reply", minimum=5)
    return do_resolve_on_spot(actor, case_id, reply, category, version)


def do_resolve_on_spot(
    actor: User, case_id: int, reply: str, category: str, version: int | None
) -> Case:
    """R-IN-6: solved at the window, registered and closed in one step."""
    with changing_case(actor, case_id, Act.RESOLVE_ON_SPOT, version) as change:
        case = change.case
        _clear_work(case)
        case.state = State.CLOSED
        case.on_the_spot = True
        case.category = category or case.category
        case.reply_text = reply
        case.replied_at = case.closed_at = change.now
        case.owner_unit_id = case.handling_unit_id = case.registered_unit_id
        _link(case, case.registered_unit_id, CaseUnit.Relation.OWNER)
        _link(case, case.registered_unit_id, CaseUnit.Relation.HANDLING)
        change.payload = {"reply": reply}
    return change.case


# --- dispatch, receive, return, downward dispatch --------------------------------------------


def check_dispatch_case(
    actor: User, case_id: int, unit_id: int, version: int | None = None
) -> Case:
    unit = Unit.objects.filter(pk=unit_id, is_active=True, kind__in=HANDLING_KINDS).first()
    if unit is None:
        raise InvalidInput({"unit_id": [_("Choose a department or service center.")]})
    return do_dispatch_case(actor, case_id, unit, version)


def do_dispatch_case(actor: User, case_id: int, unit: Unit, version: int | None) -> Case:
    with changing_case(actor, case_id, Act.DISPATCH, version) as change:
        _clear_work(change.case, WorkKind.DISPATCH)
        _dispatch_to(change, unit, automatic=False)
    return change.case


def check_receive_case(actor: User, case_id: int, version: int | None = None) -> Case:
    return do_receive_case(actor, case_id, version)


def do_receive_case(actor: User, case_id: int, version: int | None) -> Case:
    """签收. The first unit to receive owns the case to the end (首受负责制, R-DIS-3)."""
    with changing_case(actor, case_id, Act.RECEIVE, version) as change:
        case = change.case
        _clear_work(case, WorkKind.RECEIVE)
        case.state = State.IN_PROGRESS
        if case.owner_unit_id is None:
            case.owner_unit_id = case.handling_unit_id
            assert case.owner_unit_id is not None
            _link(case, case.owner_unit_id, CaseUnit.Relation.OWNER)
        assert case.handling_unit_id is not None
        _work(case, WorkKind.HANDLE, case.handling_unit_id, None)
        _refresh_handle_due(case)
    return change.case


def check_return_case(actor: User, case_id: int, reason: str, version: int | None = None) -> Case:
    reason = _text(reason, "reason", minimum=5)
    return do_return_case(actor, case_id, reason, version)


def do_return_case(actor: User, case_id: int, reason: str, version: int | None) -> Case:
    """退回: not this unit's business; back to the hub for re-dispatch (R-DIS-2)."""
    with changing_case(actor, case_id, Act.RETURN, version) as change:
        case = change.case
        if case.owner_unit_id and case.owner_unit_id != case.handling_unit_id:
            raise InvalidState(_("A case passed down by its owner goes back to the owner."))
        _clear_work(case, WorkKind.RECEIVE, WorkKind.HANDLE)
        returned_by = case.handling_unit_id
        case.state = State.AWAITING_DISPATCH
        case.returns_count += 1
        case.owner_unit_id = None
        case.handling_unit_id = None
        reply = _running(case, ClockKind.REPLY)
        _work(case, WorkKind.DISPATCH, hub_unit().pk, reply[0].due if reply else None)
        _stop(case, change.now, ClockKind.CONTACT)
        change.payload = {"reason": reason, "returned_by": returned_by}
    return change.case


def check_dispatch_down(
    actor: User, case_id: int, unit_id: int, version: int | None = None
) -> Case:
    return do_dispatch_down(actor, case_id, unit_id, version)


def do_dispatch_down(actor: User, case_id: int, unit_id: int, version: int | None) -> Case:
    """向下派单: the owner passes the handling to a unit below it and keeps oversight."""
    with changing_case(actor, case_id, Act.DISPATCH_DOWN, version) as change:
        case = change.case
        owner = Unit.objects.get(pk=case.owner_unit_id or 0)
        unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
        if unit is None or unit.pk == owner.pk or not unit.path.startswith(owner.path):
            raise InvalidInput({"unit_id": [_("Choose a unit below the responsible unit.")]})
        WorkItem.objects.filter(case=case, kind=WorkKind.HANDLE).update(unit=unit)
        case.handling_unit = unit
        _link(case, unit.pk, CaseUnit.Relation.HANDLING)
        change.payload = {"unit": unit.code}
    return change.case


# --- co-handling ---------------------------------------------------------------------------


def check_request_cohandling(
    actor: User, case_id: int, unit_id: int, request: str, days: int, version: int | None = None
) -> CoHandlingTask:
    request = _text(request, "request", minimum=5)
    days = _days(days, "days", 30)
    unit = Unit.objects.filter(pk=unit_id, is_active=True, kind__in=HANDLING_KINDS).first()
    if unit is None:
        raise InvalidInput({"unit_id": [_("Choose a department or service center.")]})
    return do_request_cohandling(actor, case_id, unit, request, days, version)


def do_request_cohandling(
    actor: User, case_id: int, unit: Unit, request: str, days: int, version: int | None
) -> CoHandlingTask:
    """协办: another unit gets its own task, deadline and answer; the owner still replies."""
    with changing_case(actor, case_id, Act.REQUEST_COHANDLING, version) as change:
        case = change.case
        if unit.pk in (case.owner_unit_id, case.handling_unit_id):
            raise InvalidInput({"unit_id": [_("The case is already with this unit.")]})
        due = due_in_workdays(days, change.now)
        task = CoHandlingTask.objects.create(
            case=case,
            unit=unit,
            request=request,
            due=due,
            requested_by=actor,
            requested_at=change.now,
        )
        clock = new_clock(case, ClockKind.COHANDLING, change.now, due)
        clock.task = task
        clock.save()
        _link(case, unit.pk, CaseUnit.Relation.COHANDLING)
        _work(case, WorkKind.COHANDLE, unit.pk, due, task=task)
        change.payload = {"task": task.pk, "unit": unit.code, "days": days}
    return task


def check_answer_cohandling(
    actor: User, case_id: int, task_id: int, answer: str, version: int | None = None
) -> CoHandlingTask:
    answer = _text(answer, "answer", minimum=5)
    return do_answer_cohandling(actor, case_id, task_id, answer, version)


def do_answer_cohandling(
    actor: User, case_id: int, task_id: int, answer: str, version: int | None
) -> CoHandlingTask:
    with changing_case(actor, case_id, Act.ANSWER_COHANDLING, version) as change:
        task = (
            CoHandlingTask.objects.select_for_update()
            .filter(pk=task_id, case_id=case_id, state=CoHandlingTask.TaskState.OPEN)
            .first()
        )
        if task is None:
            raise NotFound(_("There is no open co-handling task with this number."))
        if not scope_for(actor).has_role({Role.UNIT_HANDLER, Role.UNIT_LEADER}, task.unit_id):
            raise Forbidden(_("Only the unit asked may answer this task."))
        task.state = CoHandlingTask.TaskState.ANSWERED
        task.answer = answer
        task.answered_by = actor
        task.answered_at = change.now
        task.save()
        Clock.objects.filter(task=task).update(stopped_at=change.now)
        WorkItem.objects.filter(task=task).delete()
        change.payload = {"task": task.pk}
    return task


# --- contact, cause --------------------------------------------------------------------------


def check_record_contact(
    actor: User,
    case_id: int,
    method: str,
    outcome: str,
    contacted_at: dt.datetime | None = None,
    version: int | None = None,
) -> ContactRecord:
    if method not in ContactMethod.values:
        raise InvalidInput({"method": [_("Choose phone, SMS, visit or in person.")]})
    outcome = _text(outcome, "outcome")
    now = timezone.now()
    contacted_at = contacted_at or now
    if timezone.is_naive(contacted_at) or contacted_at > now + dt.timedelta(minutes=5):
        raise InvalidInput({"contacted_at": [_("The contact time cannot be in the future.")]})
    return do_record_contact(actor, case_id, method, outcome, contacted_at, version)


def do_record_contact(
    actor: User,
    case_id: int,
    method: str,
    outcome: str,
    contacted_at: dt.datetime,
    version: int | None,
) -> ContactRecord:
    """R-DIS-7; the first contact stops the contact clock."""
    with changing_case(actor, case_id, Act.RECORD_CONTACT, version) as change:
        if contacted_at < change.case.received_at:
            raise InvalidInput(
                {"contacted_at": [_("The contact time cannot be before the case was received.")]}
            )
        record = ContactRecord.objects.create(
            case=change.case, contacted_at=contacted_at, method=method, by=actor, outcome=outcome
        )
        _stop(change.case, contacted_at, ClockKind.CONTACT)
        _refresh_handle_due(change.case)
        change.payload = {"method": method, "contacted_at": contacted_at.isoformat()}
    return record


def check_record_cause(
    actor: User,
    case_id: int,
    code: str,
    note: str,
    side: str = "",
    version: int | None = None,
) -> Case:
    cause = causes.get(code)
    if cause is None:
        raise InvalidInput({"code": [_("Choose a cause from the list.")]})
    if cause.side == "either":
        if side not in ("petitioner", "department"):
            raise InvalidInput(
                {"side": [_("Say whether the cause lies with the petitioner or a department.")]}
            )
    else:
        side = cause.side
    note = _text(note, "note", minimum=5)
    return do_record_cause(actor, case_id, code, side, note, version)


def do_record_cause(
    actor: User, case_id: int, code: str, side: str, note: str, version: int | None
) -> Case:
    """R-DIS-5. Under a policy whose reply limit depends on the cause's side (liuzhou), the
    reply deadline is recomputed from receipt under the limit that side selects."""
    with changing_case(actor, case_id, Act.RECORD_CAUSE, version) as change:
        case = change.case
        case.cause_code, case.cause_side, case.cause_note = code, side, note
        _stop(case, change.now, ClockKind.CAUSE_ANALYSIS)
        policy = case_policy(case)
        if policy.reply.by == "cause_side":
            limit = policy.reply_limit(cause_side=side)
            for clock in _running(case, ClockKind.REPLY):
                if clock.limit_name != limit.name and clock.round == 1:
                    fresh = limit_clock(case, ClockKind.REPLY, limit, case.received_at)
                    clock.limit_name = limit.name
                    clock.due = shift_due(fresh.due, clock.extra_workdays)
                    clock.save(update_fields=["limit_name", "due"])
        _refresh_handle_due(case)
        change.payload = {"code": code, "side": side}
    return change.case


# --- extension and suspension -----------------------------------------------------------------


def check_request_extension(
    actor: User, case_id: int, days: int, reason: str, version: int | None = None
) -> ClockRequest:
    days = _days(days, "days", 30)
    reason = _text(reason, "reason", minimum=5)
    return do_request_clock_change(
        actor, case_id, ClockRequest.Kind.EXTENSION, reason, days, version
    )


def check_request_suspension(
    actor: User, case_id: int, reason: str, version: int | None = None
) -> ClockRequest:
    reason = _text(reason, "reason", minimum=5)
    return do_request_clock_change(
        actor, case_id, ClockRequest.Kind.SUSPENSION, reason, None, version
    )


def _extended_due(case: Case, days: int) -> dt.datetime:
    """The reply deadline after an extension, refused beyond the policy's cap (R-SLA-5)."""
    reply = _running(case, ClockKind.REPLY)
    if not reply:
        raise InvalidState(_("No reply deadline is running."))
    new_due = shift_due(reply[0].due, days)
    cap = case_policy(case).clock_limit("extension_cap")
    if cap is not None and case.round == 1:
        cap_due = limit_clock(case, ClockKind.REPLY, cap, case.received_at).due
        if new_due > cap_due:
            raise InvalidInput(
                {
                    "days": [
                        _("This would pass the limit of %(limit)s from receipt (%(date)s).")
                        % {"limit": cap.describe(), "date": local_date(cap_due).isoformat()}
                    ]
                }
            )
    return new_due


def do_request_clock_change(
    actor: User, case_id: int, kind: str, reason: str, days: int | None, version: int | None
) -> ClockRequest:
    act = Act.REQUEST_EXTENSION if kind == ClockRequest.Kind.EXTENSION else Act.REQUEST_SUSPENSION
    with changing_case(actor, case_id, act, version) as change:
        case = change.case
        if case.clock_requests.filter(decision=ClockRequest.Decision.PENDING).exists():
            raise InvalidState(_("A request is already waiting for a decision."))
        if kind == ClockRequest.Kind.SUSPENSION and case.suspended_at is not None:
            raise InvalidState(_("The case is already suspended."))
        if days is not None:
            _extended_due(case, days)
        request = ClockRequest.objects.create(
            case=case,
            kind=kind,
            reason=reason,
            days=days,
            requested_by=actor,
            requested_at=change.now,
        )
        _work(case, WorkKind.APPROVE, hub_unit().pk, change.now)
        change.action = f"request_{kind}"
        change.payload = {"request": request.pk, "days": days, "reason": reason}
    return request


def check_decide_request(
    actor: User,
    case_id: int,
    request_id: int,
    approve: bool,
    note: str = "",
    version: int | None = None,
) -> ClockRequest:
    note = _text(note, "note", required=not approve)
    return do_decide_request(actor, case_id, request_id, approve, note, version)


def do_decide_request(
    actor: User, case_id: int, request_id: int, approve: bool, note: str, version: int | None
) -> ClockRequest:
    with changing_case(actor, case_id, Act.DECIDE_REQUEST, version) as change:
        case = change.case
        request = case.clock_requests.filter(
            pk=request_id, decision=ClockRequest.Decision.PENDING
        ).first()
        if request is None:
            raise NotFound(_("There is no pending request with this number."))
        request.decision = (
            ClockRequest.Decision.APPROVED if approve else ClockRequest.Decision.REFUSED
        )
        request.decided_by = actor
        request.decided_at = change.now
        request.decision_note = note
        request.save()
        _clear_work(case, WorkKind.APPROVE)
        change.action = f"{'approve' if approve else 'refuse'}_{request.kind}"
        change.payload = {"request": request.pk, "note": note}
        if approve and request.kind == ClockRequest.Kind.EXTENSION:
            assert request.days is not None
            new_due = _extended_due(case, request.days)
            Clock.objects.filter(case=case, kind=ClockKind.REPLY, stopped_at__isnull=True).update(
                due=new_due, extra_workdays=F("extra_workdays") + request.days
            )
            change.payload["due"] = new_due.isoformat()
            due_date = local_date(new_due).isoformat()
            text_petitioner(case, "extension", {"due": due_date})
            # R-SLA-5: the window where the appeal was registered is told as well.
            enqueue(
                "notice",
                str(case.registered_unit_id),
                "extension",
                {"tracking_no": case.tracking_no, "due": due_date},
                case.pk,
            )
        elif approve:
            case.suspended_at = change.now
            Clock.objects.filter(case=case, stopped_at__isnull=True).update(paused_at=change.now)
            WorkItem.objects.filter(case=case).update(due=NO_DUE)
        _refresh_handle_due(case)
    return request


def check_resume_case(actor: User, case_id: int, version: int | None = None) -> Case:
    return do_resume_case(actor, case_id, version)


def do_resume_case(actor: User, case_id: int, version: int | None) -> Case:
    """End a suspension: every paused deadline moves by the working days spent suspended."""
    with changing_case(actor, case_id, Act.RESUME, version) as change:
        case = change.case
        if case.suspended_at is None:
            raise InvalidState(_("The case is not suspended."))
        calendar = current_calendar()
        lost = calendar.workdays_between(local_date(case.suspended_at), local_date(change.now))
        for clock in Clock.objects.filter(case=case, paused_at__isnull=False):
            clock.due = shift_due(clock.due, lost)
            clock.paused_at = None
            clock.extra_workdays += lost
            clock.save(update_fields=["due", "paused_at", "extra_workdays"])
            if clock.task_id is not None:
                WorkItem.objects.filter(task_id=clock.task_id).update(due=clock.due)
                CoHandlingTask.objects.filter(pk=clock.task_id).update(due=clock.due)
        case.clock_requests.filter(
            kind=ClockRequest.Kind.SUSPENSION, decision=ClockRequest.Decision.APPROVED
        ).update(decision=ClockRequest.Decision.ENDED)
        case.suspended_at = None
        _refresh_handle_due(case)
        change.payload = {"workdays_suspended": lost}
    return change.case


# --- reply, return visit, supervision, close ---------------------------------------------------


def check_reply_case(
    actor: User, case_id: int, text: str, channel: str = "sms", version: int | None = None
) -> Case:
    text = _text(text, "text", minimum=5)
    if channel not in ("sms", "phone", "email", "in_person", "letter"):
        raise InvalidInput({"channel": [_("Choose how the reply was given.")]})
    return do_reply_case(actor, case_id, text, channel, version)


def do_reply_case(actor: User, case_id: int, text: str, channel: str, version: int | None) -> Case:
    """The final answer (R-DIS-6, R-DIS-8). A not-admissible case is closed by the reply."""
    with changing_case(actor, case_id, Act.REPLY, version) as change:
        case = change.case
        if case.state == State.IN_PROGRESS:
            if case.suspended_at is not None:
                raise InvalidState(_("Resume the case before replying."))
            if not case.cause_code:
                raise InvalidState(_("Record the cause analysis before replying."))
            if case.cohandling_tasks.filter(state=CoHandlingTask.TaskState.OPEN).exists():
                raise InvalidState(_("Co-handling tasks are still open."))
            if case.clock_requests.filter(decision=ClockRequest.Decision.PENDING).exists():
                raise InvalidState(_("An extension or suspension request awaits a decision."))
            case.state = State.REPLIED
            _stop(case, change.now, *HANDLING_CLOCKS)
            _clear_work(case, WorkKind.HANDLE)
            assert case.handling_unit_id is not None
            _work(case, WorkKind.RETURN_VISIT, hub_unit().pk, None)
        else:
            case.state = State.CLOSED
            case.closed_at = change.now
            _stop(case, change.now, ClockKind.NOT_ADMISSIBLE_REPLY)
            _clear_work(case)
        case.reply_text = text
        case.replied_at = change.now
        change.payload = {"channel": channel, "text": text}
        # The round tells the SMS which answer its rating link is for (notify.messages).
        text_petitioner(case, "reply", {"channel": channel, "round": case.round})
    return change.case


def _opinion(satisfaction: int, comment: str) -> str:
    if satisfaction not in Satisfaction.values:
        raise InvalidInput({"satisfaction": [_("Choose one of the five satisfaction levels.")]})
    return _text(comment, "comment", required=False)


def check_return_visit(
    actor: User,
    case_id: int,
    satisfaction: int,
    solved: bool,
    comment: str = "",
    version: int | None = None,
) -> ReturnVisit:
    comment = _opinion(satisfaction, comment)
    return do_return_visit(actor, case_id, satisfaction, solved, comment, version)


def do_return_visit(
    actor: User, case_id: int, satisfaction: int, solved: bool, comment: str, version: int | None
) -> ReturnVisit:
    """回访 (R-RV-1)."""
    with changing_case(actor, case_id, Act.RETURN_VISIT, version) as change:
        scope = scope_for(actor)
        by = (
            ReturnVisit.By.HUB
            if scope.has_role({Role.DISPATCHER, Role.OFFICE_ADMIN})
            else (ReturnVisit.By.UNIT)
        )
        visit = _record_opinion(change, satisfaction, solved, comment, by=by, visited_by=actor)
        change.payload = {"by": by, "satisfaction": satisfaction, "solved": solved}
    return visit


def _record_opinion(
    change: Change, satisfaction: int, solved: bool, comment: str, **who: Any
) -> ReturnVisit:
    """An opinion of the current answer (`who`: by whom, and how), and what it leads to at the
    hub: dissatisfied (不满意 or worse) or unsolved puts the case on the supervision list
    (R-RV-3); otherwise a replied case may be closed. The latest opinion is the case's."""
    case = change.case
    visit = ReturnVisit.objects.create(
        case=case,
        round=case.round,
        visited_at=change.now,
        satisfaction=satisfaction,
        solved=solved,
        comment=comment,
        **who,
    )
    case.satisfaction, case.solved = visit.satisfaction, visit.solved
    _clear_work(case, WorkKind.RETURN_VISIT, WorkKind.SUPERVISE, WorkKind.CLOSE)
    if not visit.solved or visit.satisfaction <= Satisfaction.DISSATISFIED:
        _work(case, WorkKind.SUPERVISE, hub_unit().pk, change.now)
    elif case.state == State.REPLIED:
        _work(case, WorkKind.CLOSE, hub_unit().pk, None)
    return visit


MAX_RATING_COMMENT = 500
# What may prove that a rating is the petitioner's (intake.tracking): the access code or the
# reply SMS's link, which no member of the staff ever sees; never the phone's last digits,
# which stand in every masked number (138****5678) and would let a unit rate its own answer.
PROOFS_TO_RATE = frozenset({"access_code", "sms_link"})


def check_rate_case(
    case_id: int,
    satisfaction: int,
    solved: bool,
    comment: str,
    channel: str,
    proof: str,
    answer_round: int | None = None,
) -> ReturnVisit:
    """The petitioner rates the answer (R-RV-2) through the link in the reply's SMS, the
    tracking page or a kiosk, having proven the appeal theirs by `proof`; once per round,
    after the answer. A link names the round of the answer it came with (`answer_round`), so
    an old link cannot rate a later answer."""
    if proof not in PROOFS_TO_RATE:
        raise Forbidden(
            _(
                "To rate the answer, open the link in the SMS that brought it, or enter the "
                "access code you were given."
            )
        )
    comment = _opinion(satisfaction, comment)
    if len(comment) > MAX_RATING_COMMENT:
        raise InvalidInput({"comment": [_("The comment is too long (at most 500 characters).")]})
    if channel not in ReturnVisit.Channel.values:
        raise InvalidInput({"channel": [_("Unknown channel.")]})
    return do_rate_case(case_id, satisfaction, solved, comment, channel, proof, answer_round)


def do_rate_case(
    case_id: int,
    satisfaction: int,
    solved: bool,
    comment: str,
    channel: str,
    proof: str,
    answer_round: int | None,
) -> ReturnVisit:
    """A rating counts as the round's return visit: the hub may close on it, or supervise."""
    with changing_case_as_petitioner(case_id, Act.RATE) as change:
        case = change.case
        if answer_round is not None and answer_round != case.round:
            raise InvalidState(
                _("This link is for an earlier answer; use the link sent with the latest one.")
            )
        if case.handling_unit_id is None:
            raise InvalidState(
                _("This appeal was not handled by a unit; there is nothing to rate.")
            )
        if case.return_visits.filter(by=ReturnVisit.By.PETITIONER, round=case.round).exists():
            raise InvalidState(_("You have already rated this answer. Thank you."))
        visit = _record_opinion(
            change, satisfaction, solved, comment, by=ReturnVisit.By.PETITIONER, channel=channel
        )
        change.payload = {
            "satisfaction": satisfaction,
            "solved": solved,
            "channel": channel,
            "proof": proof,
        }
    return visit


def check_supervise_case(
    actor: User, case_id: int, reason: str, days: int, version: int | None = None
) -> Supervision:
    reason = _text(reason, "reason", minimum=5)
    days = _days(days, "days", 30)
    return do_supervise_case(actor, case_id, reason, days, version)


def do_supervise_case(
    actor: User, case_id: int, reason: str, days: int, version: int | None
) -> Supervision:
    """督办 (R-RV-3): reopen with a new deadline and a round number; the unit is notified."""
    with changing_case(actor, case_id, Act.SUPERVISE, version) as change:
        case = change.case
        if case.handling_unit_id is None:
            raise InvalidState(_("This case was never with a unit; it cannot be supervised."))
        _clear_work(case)
        case.round += 1
        case.state = State.IN_PROGRESS
        case.closed_at = None
        due = due_in_workdays(days, change.now)
        supervision = Supervision.objects.create(
            case=case, round=case.round, reason=reason, due=due, by=actor, at=change.now
        )
        new_clock(case, ClockKind.REPLY, change.now, due).save()
        _work(case, WorkKind.HANDLE, case.handling_unit_id, due)
        enqueue(
            "notice",
            str(case.handling_unit_id),
            "supervision",
            {"tracking_no": case.tracking_no, "round": case.round, "due": due.isoformat()},
            case.pk,
        )
        change.payload = {"reason": reason, "round": case.round, "due": due.isoformat()}
    return supervision


def check_close_case(actor: User, case_id: int, version: int | None = None) -> Case:
    return do_close_case(actor, case_id, version)


def do_close_case(actor: User, case_id: int, version: int | None) -> Case:
    with changing_case(actor, case_id, Act.CLOSE, version) as change:
        case = change.case
        if not case.return_visits.filter(round=case.round).exists():
            raise InvalidState(_("Record a return visit before closing."))
        case.state = State.CLOSED
        case.closed_at = change.now
        _clear_work(case)
    return change.case


# --- registration at a window: register and deal with the appeal in one step -----------------

# What the clerk does with an appeal registered at the window (R-IN-4, R-IN-6, R-DIS-1).
ON_THE_SPOT = "on_the_spot"
NOT_ADMISSIBLE = "not_admissible"
ACCEPT = "accept"


def window_units(actor: User) -> list[int]:
    """The units where the person registers appeals at a window; refused for anyone else (the
    hub registers through the API, not at a window)."""
    units = scope_for(actor).units_with_role({Role.WINDOW_CLERK, Role.WINDOW_HEAD})
    if not units:
        raise Forbidden(_("Only window clerks and window heads register appeals at a window."))
    return units


def validate_window_registration(
    data: Registration, outcome: str, *, reason: str = "", reply: str = ""
) -> Registration:
    """Every problem of the window's form at once: the registration's fields and the text the
    chosen outcome needs, so the clerk corrects them in one pass."""
    errors: dict[str, list[Any]] = {}
    try:
        data = clean_registration(data)
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        if outcome == ON_THE_SPOT:
            _text(reply, "reply", minimum=5)
        elif outcome == NOT_ADMISSIBLE:
            _text(reason, "reason", minimum=5)
        elif outcome != ACCEPT:
            raise InvalidInput({"outcome": [_("Choose how the appeal is dealt with.")]})
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    return data


def check_register_at_window(
    actor: User, data: Registration, outcome: str, *, reason: str = "", reply: str = ""
) -> Case:
    """Register an appeal and, in the same transaction, resolve it on the spot, refuse it as not
    admissible with the explanation, or accept it (dispatched automatically, R-DIS-1). If the
    second step is refused, the registration is rolled back with it: no case is left
    registered but not dealt with."""
    window_units(actor)
    validate_window_registration(data, outcome, reason=reason, reply=reply)
    with transaction.atomic():
        case = check_register_case(actor, data)
        if outcome == ON_THE_SPOT:
            return check_resolve_on_spot(actor, case.pk, reply=reply, category=data.category)
        return check_screen_case(
            actor,
            case.pk,
            admissible=outcome == ACCEPT,
            category=data.category,
            complexity=data.complexity,
            reason=reason,
        )
