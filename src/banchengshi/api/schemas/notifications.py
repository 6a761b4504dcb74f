"""What the notifications endpoints answer."""

from __future__ import annotations

from pydantic import BaseModel, Field

from banchengshi.api.schemas.base import LocalTime
from banchengshi.notify.selectors import NoticeView


class NotificationOut(BaseModel):
    id: int
    kind: str = Field(description="what it is about, e.g. reminder.before_yellow, case.dispatched")
    case_id: int | None = Field(description="null for a notice about no case")
    tracking_no: str | None
    text: str = Field(description="the notice in the request's language")
    created_at: LocalTime
    read: bool

    @classmethod
    def of(cls, notice: NoticeView) -> NotificationOut:
        return cls(
            id=notice.id,
            kind=notice.kind,
            case_id=notice.case_id,
            tracking_no=notice.tracking_no,
            text=notice.text,
            created_at=notice.created_at,
            read=notice.read,
        )


class NotificationListOut(BaseModel):
    items: list[NotificationOut]
    total: int = Field(description="counted up to total_cap; 'at least' when capped")
    total_cap: int
    unread: int = Field(description="the caller's unread notices, counted up to total_cap")
    limit: int
    offset: int


class MarkedOut(BaseModel):
    marked: int = Field(description="how many notices were unread and are now read")
