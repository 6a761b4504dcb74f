"""What every action shares: the frame of a change (`changing_case`), input checks, and the
small writes to work items, unit links and clocks that several areas make."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.cases.access import require
from banchengshi.cases.clocks import provisional, stop_where
from banchengshi.cases.events import CaseEvent
from banchengshi.cases.models import (
    MAX_TEXT,
    NO_DUE,
    Case,
    CaseUnit,
    Clock,
    ClockKind,
    WorkItem,
    WorkKind,
)
from banchengshi.cases.preconditions import CaseFacts, require_possible
from banchengshi.cases.signals import tell_if_past
from banchengshi.cases.states import Act, require_state
from banchengshi.errors import Conflict, InvalidInput, InvalidState, NotFound
from banchengshi.ids import MAX_ID
from banchengshi.org.models import HANDLING_KINDS, Unit, UnitKind
from banchengshi.org.names import full_name
from banchengshi.org.scope import scope_for
from banchengshi.workdays.calendar import UnknownYearError

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
HANDLING_CLOCKS = (ClockKind.CONTACT, ClockKind.CAUSE_ANALYSIS, ClockKind.REPLY)
# How the audit trail names a petitioner who filed or rated on a public page themselves.
PETITIONER_LABEL = "反映人"


# --- input -----------------------------------------------------------------------------------


def text_value(value: str, *, field: str, label: Promise, minimum: int = 2) -> str:
    """A required text of at least `minimum` characters, stripped; the refusal says so in
    words, naming the field by `label`."""
    value = (value or "").strip()
    if not value:
        raise InvalidInput({field: [_("This field is required.")]})
    if len(value) < minimum:
        raise InvalidInput(
            {
                field: [
                    _("%(label)s needs at least %(count)d characters.")
                    % {"label": label, "count": minimum}
                ]
            }
        )
    return optional_text(value, field=field)


def optional_text(value: str, *, field: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise InvalidInput(
            {field: [_("The text is too long (at most %(limit)d characters).") % {"limit": limit}]}
        )
    return value


def workdays_value(value: int, *, field: str, maximum: int) -> int:
    if not isinstance(value, int) or not 1 <= value <= maximum:
        raise InvalidInput(
            {field: [_("Give a number of working days from 1 to %(max)s.") % {"max": maximum}]}
        )
    return value


def is_id(value: int | None) -> bool:
    """A number that can name a row: larger ones the databases refuse as parameters."""
    return value is not None and 1 <= value <= MAX_ID


def handling_unit_or_refuse(unit_id: int, *, field: str = "unit_id") -> Unit:
    """An active unit that can handle a case, or a refusal of the field that named it."""
    unit = (
        Unit.objects.filter(pk=unit_id, is_active=True, kind__in=HANDLING_KINDS).first()
        if is_id(unit_id)
        else None
    )
    if unit is None:
        raise InvalidInput({field: [_("Choose a department or service center.")]})
    return unit


def actor_label(actor: User | None) -> str:
    return full_name(actor) if actor is not None else PETITIONER_LABEL


# --- the frame of a change -------------------------------------------------------------------


@dataclass
class Change:
    """A case being changed under its row lock, and what the audit event will say. `actor`
    None: the petitioner, on a public page, proven by an access code or a signed link.
    `event` is preset for an action that has one event; one that decides between several
    (screening, a request's decision) sets it."""

    actor: User | None
    case: Case
    facts: CaseFacts
    event: CaseEvent | None
    before: dict[str, Any]
    now: dt.datetime
    payload: dict[str, Any] = field(default_factory=dict)


def deadline_error(exc: UnknownYearError) -> InvalidInput:
    return InvalidInput({"deadline": [exc.user_message]})


@contextmanager
def changing_case(actor: User, case_id: int, act: Act, *, version: int | None) -> Iterator[Change]:
    """The frame of every change to a case by a member of the staff: the row locked, the
    person's right, the version, the state and the action's precondition checked; the caller
    changes `change.case`, and leaving the block saves it, bumps the version and appends the
    audit event."""

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


def _event_of(act: Act) -> CaseEvent | None:
    try:
        return CaseEvent(act.value)
    except ValueError:
        return None


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
            facts = CaseFacts(case)
            require_possible(act, facts)
            before = {name: getattr(case, name) for name in TRACKED_FIELDS}
            change = Change(actor, case, facts, _event_of(act), before, timezone.now())
            yield change
            _save(change)
    except UnknownYearError as exc:
        raise deadline_error(exc) from None


def _save(change: Change) -> None:
    case = change.case
    assert change.event is not None, "an action that decides its event must set it"
    case.version += 1
    case.save()
    after = {name: getattr(case, name) for name in TRACKED_FIELDS}
    changed = [name for name in TRACKED_FIELDS if after[name] != change.before[name]]
    append_events(
        [
            PendingEvent(
                case_id=case.pk,
                actor_id=change.actor.pk if change.actor is not None else None,
                actor_label=actor_label(change.actor),
                action=change.event,
                at=change.now,
                before={name: change.before[name] for name in changed},
                after={name: after[name] for name in changed},
                payload=change.payload,
            )
        ]
    )


# --- rows that hang off a case -----------------------------------------------------------------


def link_unit(case: Case, unit_id: int, relation: str) -> None:
    CaseUnit.objects.bulk_create(
        [CaseUnit(case=case, unit_id=unit_id, relation=relation)], ignore_conflicts=True
    )
    # A unit's intake counts the cases linked to it by the day they were received. For a past
    # day this locks the dashboard's IntakeVersion row: call it before the action appends its
    # audit events (AuditHead's lock), the order every writer keeps, so that none deadlocks.
    tell_if_past(case.received_at, district=False)


def add_work(case: Case, kind: WorkKind, unit_id: int, due: dt.datetime | None, **kw: Any) -> None:
    flag = due is not None and provisional(timezone.now(), due)
    WorkItem.objects.create(
        case=case,
        kind=kind,
        unit_id=unit_id,
        due=due or NO_DUE,
        provisional=flag,
        fast=case.fast_channel,
        **kw,
    )


def clear_work(case: Case, *kinds: WorkKind) -> None:
    items = WorkItem.objects.filter(case=case)
    if kinds:
        items = items.filter(kind__in=kinds)
    items.delete()


def running_clocks(case: Case, *kinds: ClockKind) -> list[Clock]:
    return list(
        Clock.objects.filter(case=case, kind__in=kinds, stopped_at__isnull=True, task__isnull=True)
    )


def stop_clocks(case: Case, now: dt.datetime, *kinds: ClockKind) -> None:
    stop_where(
        Clock.objects.filter(case=case, kind__in=kinds, stopped_at__isnull=True, task__isnull=True),
        now,
    )


def refresh_handle_due(case: Case) -> None:
    """The handler's work item sorts by the nearest deadline still running."""
    clocks = [c for c in running_clocks(case, *HANDLING_CLOCKS) if c.paused_at is None]
    nearest = min(clocks, key=lambda c: c.due, default=None)
    WorkItem.objects.filter(case=case, kind=WorkKind.HANDLE).update(
        due=nearest.due if nearest else NO_DUE,
        provisional=nearest.provisional if nearest else False,
    )


def hub_unit() -> Unit:
    unit = Unit.objects.filter(kind=UnitKind.HUB, is_active=True).order_by("id").first()
    if unit is None:
        raise InvalidState(_("No dispatch hub is configured; an administrator must create one."))
    return unit
