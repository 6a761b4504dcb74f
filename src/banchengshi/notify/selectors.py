"""Reading a person's inbox: the unread count (the bell) and a page of notices, newest first,
worded in the reader's language. Each is one query on an index that starts with the person
(notification_inbox, notification_unread): its cost follows the page, not the notices kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from banchengshi.notify.models import Notification
from banchengshi.notify.wording import notice_text

# The bell and the lists count up to here ("99+"): counting a forgotten inbox of thousands
# would cost every page that shows the bell.
UNREAD_CAP = 99
# The API's totals count up to here.
TOTAL_CAP = 1_000
PER_PAGE = 25
# Pages end here (offset paging reads the rows it skips).
MAX_OFFSET = 10_000


@dataclass(frozen=True)
class NoticeView:
    id: int
    kind: str
    case_id: int | None
    tracking_no: str | None
    text: str
    created_at: dt.datetime
    read: bool

    @classmethod
    def of(cls, notice: Notification) -> NoticeView:
        tracking_no = notice.case.tracking_no if notice.case is not None else None
        return cls(
            id=notice.pk,
            kind=notice.kind,
            case_id=notice.case_id,
            tracking_no=tracking_no,
            text=notice_text(notice.kind, notice.params, tracking_no),
            created_at=notice.created_at,
            read=notice.read_at is not None,
        )


@dataclass(frozen=True)
class InboxPage:
    items: list[NoticeView]
    offset: int
    limit: int
    has_next: bool


def _notices(user_id: int, *, unread_only: bool) -> QuerySet[Notification]:
    notices = Notification.objects.filter(user_id=user_id)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices


def unread_count(user_id: int) -> int:
    """Unread notices, counted up to UNREAD_CAP + 1 (so that "99+" can be told from 99)."""
    return _notices(user_id, unread_only=True)[: UNREAD_CAP + 1].count()


def bounded_total(user_id: int, *, unread_only: bool, cap: int) -> int:
    return _notices(user_id, unread_only=unread_only)[:cap].count()


def inbox_page(user_id: int, *, offset: int, limit: int, unread_only: bool = False) -> InboxPage:
    """Notices newest first from `offset`; one more row is read to tell whether a next page
    exists without counting them all."""
    rows = list(
        _notices(user_id, unread_only=unread_only)
        .select_related("case")
        .only("id", "kind", "params", "created_at", "read_at", "case_id", "case__tracking_no")
        .order_by("-id")[offset : offset + limit + 1]
    )
    return InboxPage(
        items=[NoticeView.of(notice) for notice in rows[:limit]],
        offset=offset,
        limit=limit,
        has_next=len(rows) > limit,
    )
