"""Reads of remote sessions (R-NB-2): a period's page of sessions, one session with its
materials and steps, and the counts per point or center that the list shows and the reports
read (`session_counts`). Every read goes through `access.visible_sessions`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.queues import Bounded, page_of
from banchengshi.catalog.models import Matter
from banchengshi.errors import NotFound
from banchengshi.identifiers import mask_id_number, mask_phone
from banchengshi.ids import MAX_ID
from banchengshi.neighborhood.sessions.access import (
    STAFF,
    at_center,
    at_point,
    points_of,
    sees_personal_data,
    visible_sessions,
)
from banchengshi.neighborhood.sessions.actions import next_step, side_of
from banchengshi.neighborhood.sessions.models import (
    Circulation,
    CirculationStep,
    Outcome,
    RemoteSession,
    SessionMaterial,
    Side,
)
from banchengshi.org.models import Membership
from banchengshi.org.names import full_name
from banchengshi.org.scope import Scope
from banchengshi.workdays.calendar import SHANGHAI

PER_PAGE = 25


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants of a period of whole days in Asia/Shanghai, `end` included."""
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=SHANGHAI),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI),
    )


def _in_period(sessions: QuerySet[RemoteSession], start: dt.date, end: dt.date) -> QuerySet:
    low, high = period_bounds(start, end)
    return sessions.filter(started_at__gte=low, started_at__lt=high)


# --- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    session: RemoteSession
    phone: str


def sessions_page(scope: Scope, *, start: dt.date, end: dt.date, page: int) -> Bounded[SessionRow]:
    """The period's sessions the person sees, newest first, with what each row shows joined
    in (one query for the page, one count)."""
    sessions = (
        _in_period(visible_sessions(scope), start, end)
        .select_related("point__unit", "center", "matter", "case")
        .order_by("-started_at", "-id")
    )
    found = page_of(sessions, page, per_page=PER_PAGE)
    return found.with_rows([SessionRow(s, _phone(scope, s)) for s in found.rows])


def _phone(scope: Scope, session: RemoteSession) -> str:
    return session.phone if sees_personal_data(scope, session) else mask_phone(session.phone)


# --- counts -----------------------------------------------------------------------------------


# What a row of the counts is grouped by: the point's unit or the center.
GROUPS = {
    Side.POINT: ("point__unit_id", "point__unit__name"),
    Side.CENTER: ("center_id", "center__name"),
}


@dataclass(frozen=True)
class SessionCount:
    unit_id: int
    name: str
    total: int
    done: int
    accepted: int
    referred: int
    failed: int
    cases: int


def session_counts(
    period_start: dt.date, period_end: dt.date, *, by: Side, scope: Scope | None = None
) -> list[SessionCount]:
    """Sessions per point or per center that started in the period (days in Asia/Shanghai,
    both ends included), by outcome and how many became cases: one GROUP BY. Without a
    scope every session counts (the reports); with one, those the person sees."""
    sessions = visible_sessions(scope) if scope is not None else RemoteSession.objects.all()
    unit, name = GROUPS[by]
    rows = (
        _in_period(sessions, period_start, period_end)
        .values(unit, name)
        .annotate(
            total=Count("id"),
            **{outcome.value: Count("id", filter=Q(outcome=outcome)) for outcome in Outcome},
            cases=Count("case_id"),
        )
        .order_by("-total", unit)
    )
    return [
        SessionCount(
            unit_id=row[unit],
            name=row[name],
            total=row["total"],
            done=row[Outcome.DONE.value],
            accepted=row[Outcome.ACCEPTED.value],
            referred=row[Outcome.REFERRED.value],
            failed=row[Outcome.FAILED.value],
            cases=row["cases"],
        )
        for row in rows
    ]


# --- one session ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionView:
    session: RemoteSession
    materials: list[SessionMaterial]
    steps: list[CirculationStep]
    phone: str
    id_number: str
    # The step the person may record now, if any.
    step: Circulation | None
    may_register_case: bool


def session_view(scope: Scope, session_id: int) -> SessionView:
    session = (
        visible_sessions(scope)
        .select_related("point__unit", "center", "matter", "case", "point_staff", "center_staff")
        .filter(pk=session_id)
        .first()
        if 1 <= session_id <= MAX_ID
        else None
    )
    if session is None:
        raise NotFound(_("No such remote session."))
    materials = list(session.materials.all())
    steps = list(session.steps.select_related("actor"))
    unmasked = sees_personal_data(scope, session)
    point_side, center_side = at_point(scope, session), at_center(scope, session)
    step = next_step(session, has_originals=any(m.original for m in materials))
    if step is not None and not (point_side if side_of(step) is Side.POINT else center_side):
        step = None
    return SessionView(
        session=session,
        materials=materials,
        steps=steps,
        phone=session.phone if unmasked else mask_phone(session.phone),
        id_number=session.id_number if unmasked else mask_id_number(session.id_number),
        step=step,
        may_register_case=(
            session.outcome == Outcome.FAILED
            and session.case_id is None
            and (point_side or center_side)
        ),
    )


# --- what the new-session form offers ---------------------------------------------------------


@dataclass(frozen=True)
class FormChoices:
    points: list[tuple[int, str]]
    staff: list[tuple[int, str]]
    matters: list[tuple[int, str]]


def form_choices(scope: Scope) -> FormChoices:
    """The person's points, the staff of those points' centers, the matters served remotely:
    one query each."""
    points = list(points_of(scope).select_related("unit", "center").order_by("unit__path"))
    centers = {point.center_id: point.center.name for point in points}
    members = (
        Membership.objects.filter(unit_id__in=centers, role__in=STAFF, user__is_active=True)
        .select_related("user")
        .order_by("unit_id", "user__username")
    )
    matters = Matter.objects.filter(remote=True, is_active=True).order_by("code")
    return FormChoices(
        points=[(point.pk, point.unit.name) for point in points],
        staff=[(m.user_id, f"{full_name(m.user)} · {centers[m.unit_id]}") for m in members],
        matters=[(matter.pk, f"{matter.name} · {matter.code}") for matter in matters],
    )
