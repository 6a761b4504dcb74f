"""Remote virtual window sessions (R-NB-2): a period's sessions and their counts per point
and per center. The petitioner's phone is masked unless the caller is one of the session's two
sides or a dispatcher (neighborhood.sessions.access); the ID number is not given."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from banchengshi.api.schemas.base import LocalTime, Out, Overlay
from banchengshi.api.schemas.catalog import MatterRef
from banchengshi.neighborhood.sessions.selectors import SessionCount, SessionRow


class UnitRef(Out):
    id: int
    name: str


class SessionOut(Out):
    id: int
    point: UnitRef = Field(description="the service point's unit")
    center: UnitRef = Field(description="the acceptance center it connected to")
    started_at: LocalTime
    ended_at: LocalTime
    matter: MatterRef
    petitioner_name: str
    phone: str = Field(description="masked unless the caller serves the session")
    outcome: str = Field(description="done, accepted, referred or failed")
    circulation: str = Field(
        description="the materials: none, listed, scanned, sent, received or returned"
    )
    case_tracking_no: str | None = Field(description="the case a failed session became")

    @classmethod
    def of(cls, row: SessionRow) -> SessionOut:
        session = row.session
        return cls.model_validate(
            Overlay(
                session,
                point=session.point.unit,
                phone=row.phone,
                case_tracking_no=session.case.tracking_no if session.case else None,
            )
        )


class CountOut(Out):
    unit_id: int
    name: str
    total: int
    done: int
    accepted: int
    referred: int
    failed: int
    cases: int = Field(description="failed sessions registered as cases")


class SessionCountsOut(BaseModel):
    by_point: list[CountOut]
    by_center: list[CountOut]

    @classmethod
    def of(cls, by_point: list[SessionCount], by_center: list[SessionCount]) -> SessionCountsOut:
        return cls(
            by_point=[CountOut.model_validate(row) for row in by_point],
            by_center=[CountOut.model_validate(row) for row in by_center],
        )


class SessionListOut(BaseModel):
    start: dt.date
    end: dt.date
    items: list[SessionOut]
    total: int = Field(description="sessions in the period, counted up to total_cap")
    total_cap: int
    page: int
    per_page: int
    counts: SessionCountsOut
