"""举一反三 and hot spots (R-KB-3): similar open cases, groups answered together, alerts.
No personal data: a case is shown by its number, state, matter and what failed (excerpt)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from banchengshi.api.schemas.base import Id, In, LocalTime, Out, SafeStr
from banchengshi.api.schemas.catalog import MatterRef
from banchengshi.cases.models import MAX_TEXT
from banchengshi.knowledge.hotspots.actions import MAX_LINKED, GroupAnswer
from banchengshi.knowledge.hotspots.models import HotspotAlert
from banchengshi.knowledge.hotspots.selectors import subject_label
from banchengshi.knowledge.hotspots.similar import SimilarOpen


class CaseRefOut(Out):
    id: int
    tracking_no: str
    state: str
    received_at: LocalTime
    matter: MatterRef | None


class SimilarOut(BaseModel):
    case: CaseRefOut
    excerpt: str
    overlap_percent: int = Field(description="share of the description's bigrams in common")
    same_matter: bool
    same_cause: bool
    group_id: int | None = Field(description="the group the case is already in")

    @classmethod
    def of(cls, found: SimilarOpen) -> SimilarOut:
        similar = found.similar
        return cls(
            case=CaseRefOut.model_validate(similar.case),
            excerpt=similar.excerpt,
            overlap_percent=similar.overlap_percent,
            same_matter=similar.same_matter,
            same_cause=found.same_cause,
            group_id=found.group_id,
        )


class SimilarListOut(BaseModel):
    group_id: int | None = Field(description="the group this case is in")
    items: list[SimilarOut]


class LinkIn(In):
    case_ids: list[Id] = Field(
        min_length=1, max_length=MAX_LINKED, description="open cases to link to this one"
    )


class GroupOut(BaseModel):
    id: int
    cases: list[CaseRefOut]
    hidden: int = Field(description="members outside your reach, not shown")
    reply_text: str
    answered_at: LocalTime | None


class GroupAnswerIn(In):
    text: SafeStr = Field(max_length=MAX_TEXT, examples=["已统一材料清单，请按新清单补交"])
    channel: Literal["sms", "phone", "email", "in_person", "letter"] = "sms"


class RefusalOut(BaseModel):
    case_id: int
    tracking_no: str
    reason: str


class GroupAnswerOut(BaseModel):
    sent: list[CaseRefOut]
    refused: list[RefusalOut] = Field(description="cases whose reply was refused, with why")

    @classmethod
    def of(cls, answer: GroupAnswer) -> GroupAnswerOut:
        return cls(
            sent=[CaseRefOut.model_validate(case) for case in answer.sent],
            refused=[RefusalOut(**vars(r)) for r in answer.refused],
        )


class HotspotOut(BaseModel):
    id: int
    dimension: str = Field(description="matter, department or cause")
    subject_key: str = Field(description="the matter's or unit's id, or the cause's code")
    subject: str
    period_start: dt.date
    period_end: dt.date
    threshold: int
    count: int
    raised_at: LocalTime
    cases: list[CaseRefOut] = Field(description="the newest cases behind it (at most 200)")

    @classmethod
    def of(cls, alert: HotspotAlert) -> HotspotOut:
        return cls(
            id=alert.pk,
            dimension=alert.dimension,
            subject_key=alert.subject_key,
            subject=subject_label(alert),
            period_start=alert.period_start,
            period_end=alert.period_end,
            threshold=alert.threshold,
            count=alert.count,
            raised_at=alert.raised_at,
            cases=[CaseRefOut.model_validate(case) for case in alert.cases.all()],
        )


class HotspotListOut(BaseModel):
    items: list[HotspotOut]
    limit: int
    offset: int
