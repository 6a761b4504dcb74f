"""Screening a new appeal, dispatching it to the unit responsible (automatically or by the
hub), the unit's receipt, its return to the hub, and passing it down to a unit below."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.actions.common import (
    Change,
    add_work,
    changing_case,
    clear_work,
    handling_unit_or_refuse,
    hub_unit,
    is_id,
    link_unit,
    refresh_handle_due,
    running_clocks,
    stop_clocks,
    text_value,
)
from banchengshi.cases.clocks import case_policy, limit_clock
from banchengshi.cases.events import CaseEvent
from banchengshi.cases.models import (
    Case,
    CaseUnit,
    Category,
    Clock,
    ClockKind,
    Complexity,
    State,
    WorkItem,
    WorkKind,
)
from banchengshi.cases.states import Act
from banchengshi.errors import InvalidInput
from banchengshi.notify.inbox import notify, people_of
from banchengshi.notify.models import NotificationKind
from banchengshi.org.models import Unit


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
        return do_accept_case(
            actor, case_id, category=category, complexity=complexity, version=version
        )
    reason = text_value(reason, field="reason", label=_("The reason"), minimum=5)
    return do_refuse_case(actor, case_id, reason=reason, version=version)


def do_refuse_case(actor: User, case_id: int, *, reason: str, version: int | None) -> Case:
    """Not admissible (R-IN-4): the window owes the petitioner its reasons, within the
    policy's limit where it sets one."""
    with changing_case(actor, case_id, Act.SCREEN, version=version) as change:
        case = change.case
        clear_work(case, WorkKind.SCREEN)
        case.state = State.NOT_ADMISSIBLE
        case.not_admissible_reason = reason
        change.event = CaseEvent.SCREEN_NOT_ADMISSIBLE
        change.payload = {"reason": reason}
        limit = case_policy(case).clock_limit("not_admissible_reply")
        due = None
        if limit is not None:
            clock = limit_clock(case, ClockKind.NOT_ADMISSIBLE_REPLY, limit, case.received_at)
            clock.save()
            due = clock.due
        add_work(case, WorkKind.REPLY_REASONS, case.registered_unit_id, due)
    return change.case


def do_accept_case(
    actor: User, case_id: int, *, category: str, complexity: str, version: int | None
) -> Case:
    """Accepted: the reply and cause-analysis clocks start from receipt, and the case goes to
    the unit the engine finds (R-DIS-1) or to the hub's manual queue."""
    with changing_case(actor, case_id, Act.SCREEN, version=version) as change:
        case = change.case
        clear_work(case, WorkKind.SCREEN)
        policy = case_policy(case)
        case.category = category or case.category
        case.complexity = complexity or case.complexity
        change.event = CaseEvent.SCREEN_ACCEPT
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
            add_work(case, WorkKind.DISPATCH, hub_unit().pk, clocks[0].due)
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
    link_unit(case, unit.pk, CaseUnit.Relation.HANDLING)
    reply = running_clocks(case, ClockKind.REPLY)
    add_work(case, WorkKind.RECEIVE, unit.pk, reply[0].due if reply else None)
    contact = case_policy(case).clock_limit("contact")
    if contact is not None and not running_clocks(case, ClockKind.CONTACT):
        limit_clock(case, ClockKind.CONTACT, contact, change.now).save()
    change.payload.update({"unit": unit.code, "automatic": automatic})
    _tell_unit(case, unit)


def _tell_unit(case: Case, unit: Unit) -> None:
    notify(
        user_ids=people_of([unit.pk]),
        kind=NotificationKind.CASE_DISPATCHED,
        case_id=case.pk,
        params={"unit": unit.name},
    )


def check_resolve_on_spot(
    actor: User, case_id: int, *, reply: str, category: str = "", version: int | None = None
) -> Case:
    reply = text_value(reply, field="reply", label=_("The reply"), minimum=5)
    return do_resolve_on_spot(actor, case_id, reply=reply, category=category, version=version)


def do_resolve_on_spot(
    actor: User, case_id: int, *, reply: str, category: str, version: int | None
) -> Case:
    """R-IN-6: solved at the window, registered and closed in one step."""
    with changing_case(actor, case_id, Act.RESOLVE_ON_SPOT, version=version) as change:
        case = change.case
        clear_work(case)
        case.state = State.CLOSED
        case.on_the_spot = True
        case.category = category or case.category
        case.reply_text = reply
        case.replied_at = case.closed_at = change.now
        case.owner_unit_id = case.handling_unit_id = case.registered_unit_id
        link_unit(case, case.registered_unit_id, CaseUnit.Relation.OWNER)
        link_unit(case, case.registered_unit_id, CaseUnit.Relation.HANDLING)
        change.payload = {"reply": reply}
    return change.case


def check_dispatch_case(
    actor: User, case_id: int, *, unit_id: int, version: int | None = None
) -> Case:
    unit = handling_unit_or_refuse(unit_id)
    return do_dispatch_case(actor, case_id, unit=unit, version=version)


def do_dispatch_case(actor: User, case_id: int, *, unit: Unit, version: int | None) -> Case:
    with changing_case(actor, case_id, Act.DISPATCH, version=version) as change:
        clear_work(change.case, WorkKind.DISPATCH)
        _dispatch_to(change, unit, automatic=False)
    return change.case


def do_receive_case(actor: User, case_id: int, *, version: int | None = None) -> Case:
    """签收. The first unit to receive owns the case to the end (首受负责制, R-DIS-3)."""
    with changing_case(actor, case_id, Act.RECEIVE, version=version) as change:
        case = change.case
        clear_work(case, WorkKind.RECEIVE)
        case.state = State.IN_PROGRESS
        if case.owner_unit_id is None:
            case.owner_unit_id = case.handling_unit_id
            assert case.owner_unit_id is not None
            link_unit(case, case.owner_unit_id, CaseUnit.Relation.OWNER)
        assert case.handling_unit_id is not None
        add_work(case, WorkKind.HANDLE, case.handling_unit_id, None)
        refresh_handle_due(case)
    return change.case


def check_return_case(
    actor: User, case_id: int, *, reason: str, version: int | None = None
) -> Case:
    reason = text_value(reason, field="reason", label=_("The reason"), minimum=5)
    return do_return_case(actor, case_id, reason=reason, version=version)


def do_return_case(actor: User, case_id: int, *, reason: str, version: int | None) -> Case:
    """退回: not this unit's business; back to the hub for re-dispatch (R-DIS-2)."""
    with changing_case(actor, case_id, Act.RETURN, version=version) as change:
        case = change.case
        clear_work(case, WorkKind.RECEIVE, WorkKind.HANDLE)
        returned_by = case.handling_unit_id
        case.state = State.AWAITING_DISPATCH
        case.returns_count += 1
        case.owner_unit_id = None
        case.handling_unit_id = None
        reply = running_clocks(case, ClockKind.REPLY)
        add_work(case, WorkKind.DISPATCH, hub_unit().pk, reply[0].due if reply else None)
        stop_clocks(case, change.now, ClockKind.CONTACT)
        change.payload = {"reason": reason, "returned_by": returned_by}
    return change.case


def do_dispatch_down(
    actor: User, case_id: int, *, unit_id: int, version: int | None = None
) -> Case:
    """向下派单: the owner passes the handling to a unit below it and keeps oversight."""
    with changing_case(actor, case_id, Act.DISPATCH_DOWN, version=version) as change:
        case = change.case
        owner = Unit.objects.get(pk=case.owner_unit_id or 0)
        unit = Unit.objects.filter(pk=unit_id, is_active=True).first() if is_id(unit_id) else None
        if unit is None or unit.pk == owner.pk or not unit.path.startswith(owner.path):
            raise InvalidInput({"unit_id": [_("Choose a unit below the responsible unit.")]})
        WorkItem.objects.filter(case=case, kind=WorkKind.HANDLE).update(unit=unit)
        case.handling_unit = unit
        link_unit(case, unit.pk, CaseUnit.Relation.HANDLING)
        change.payload = {"unit": unit.code}
        _tell_unit(case, unit)
    return change.case
