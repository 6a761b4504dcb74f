"""The caller's own notices: the list newest first, marking one or all read. Another person's
notice is not found (404), whoever asks."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import P, QueryEx, Router

from banchengshi.api.auth import actor
from banchengshi.api.schemas.base import ERRORS, RecordId
from banchengshi.api.schemas.notifications import MarkedOut, NotificationListOut, NotificationOut
from banchengshi.notify.actions import check_mark_read, do_mark_all_read
from banchengshi.notify.selectors import (
    MAX_OFFSET,
    TOTAL_CAP,
    NoticeView,
    bounded_total,
    inbox_page,
)

router = Router(tags=["notifications"])


@router.get("/notifications", response={200: NotificationListOut, **ERRORS}, summary="My notices")
def list_notifications(
    request: HttpRequest,
    unread: QueryEx[bool, P(description="only the unread ones")] = False,
    limit: QueryEx[int, P(ge=1, le=100)] = 25,
    offset: QueryEx[int, P(ge=0, le=MAX_OFFSET)] = 0,
) -> NotificationListOut:
    """The caller's notices, newest first, each worded in the request's language."""
    user_id = actor(request).pk
    page = inbox_page(user_id, offset=offset, limit=limit, unread_only=unread)
    return NotificationListOut(
        items=[NotificationOut.of(notice) for notice in page.items],
        total=bounded_total(user_id, unread_only=unread, cap=TOTAL_CAP),
        total_cap=TOTAL_CAP,
        unread=bounded_total(user_id, unread_only=True, cap=TOTAL_CAP),
        limit=limit,
        offset=offset,
    )


@router.post(
    "/notifications/read",
    response={200: MarkedOut, **ERRORS},
    summary="Mark all my notices read",
)
def read_all(request: HttpRequest) -> MarkedOut:
    return MarkedOut(marked=do_mark_all_read(actor(request)))


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    summary="Mark one of my notices read",
)
def read_one(request: HttpRequest, notification_id: RecordId) -> NotificationOut:
    """Reading a notice read before changes nothing."""
    notice = check_mark_read(actor(request), notification_id)
    return NotificationOut.of(NoticeView.of(notice))
