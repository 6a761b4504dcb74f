"""What the rectification endpoints take and answer (R-KB-2)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from banchengshi.api.schemas.base import In, LocalTime, SafeStr
from banchengshi.knowledge.models import RectificationItem
from banchengshi.knowledge.rectification.selectors import ItemDetail, is_overdue


class RectificationOut(BaseModel):
    id: int
    unit_id: int
    unit: str = Field(description="the owner unit's name")
    cause_code: str
    target: str = Field(
        description="what to fix: implementation_list, process, service_guide, system, conduct"
    )
    status: str = Field(description="open, done or verified")
    overdue: bool = Field(description="open past its deadline")
    opened_at: LocalTime
    due: LocalTime
    provisional: bool = Field(description="the deadline assumed a year nobody loaded")
    evidence: str
    done_at: LocalTime | None
    verified_at: LocalTime | None
    knowledge_entry_id: int | None = Field(description="the knowledge entry recording the fix")

    @classmethod
    def of(cls, item: RectificationItem, now: dt.datetime) -> RectificationOut:
        return cls(
            id=item.pk,
            unit_id=item.unit_id,
            unit=item.unit.name,
            cause_code=item.cause_code,
            target=item.target,
            status=item.status,
            overdue=is_overdue(item, now),
            opened_at=item.opened_at,
            due=item.due,
            provisional=item.provisional,
            evidence=item.evidence,
            done_at=item.done_at,
            verified_at=item.verified_at,
            knowledge_entry_id=item.knowledge_entry_id,
        )


class RectificationListOut(BaseModel):
    items: list[RectificationOut]
    limit: int
    offset: int


class RectificationCaseOut(BaseModel):
    id: int
    tracking_no: str


class RectificationDetailOut(RectificationOut):
    cases: list[RectificationCaseOut]

    @classmethod
    def of_detail(cls, detail: ItemDetail, now: dt.datetime) -> RectificationDetailOut:
        base = RectificationOut.of(detail.item, now).model_dump()
        cases = [RectificationCaseOut(id=c.id, tracking_no=c.tracking_no) for c in detail.cases]
        return cls(**base, cases=cases)


class DoneIn(In):
    evidence: SafeStr = Field(max_length=4000, description="what was fixed (at least 5 characters)")


class VerifyIn(In):
    note: SafeStr = Field("", max_length=4000)


class SendBackIn(In):
    reason: SafeStr = Field(max_length=4000, description="why (at least 5 characters)")


class EntryLinkIn(In):
    entry_id: int | None = Field(
        description="a draft or published knowledge entry; null unlinks the one linked"
    )
