"""Rectification items (R-KB-2): the list a person sees, one item, and its transitions."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import P, QueryEx, Router

from banchengshi.api.auth import actor
from banchengshi.api.schemas.base import ERRORS, RecordId
from banchengshi.api.schemas.rectification import (
    DoneIn,
    EntryLinkIn,
    RectificationDetailOut,
    RectificationListOut,
    RectificationOut,
    SendBackIn,
    VerifyIn,
)
from banchengshi.ids import MAX_ID
from banchengshi.knowledge.rectification.actions import (
    check_link_entry,
    check_report_done,
    check_send_back,
    check_verify,
)
from banchengshi.knowledge.rectification.selectors import ListStatus, item_detail, items
from banchengshi.org.scope import scope_for

router = Router(tags=["rectification"])

MAX_OFFSET = 10_000


@router.get(
    "/rectifications", response={200: RectificationListOut, **ERRORS}, summary="Rectifications"
)
def list_rectifications(
    request: HttpRequest,
    status: QueryEx[ListStatus, P(description="open (default), overdue, done, verified")] = (
        ListStatus.OPEN
    ),
    unit: QueryEx[int | None, P(ge=1, le=MAX_ID, description="the owner unit")] = None,
    limit: QueryEx[int, P(ge=1, le=100)] = 25,
    offset: QueryEx[int, P(ge=0, le=MAX_OFFSET)] = 0,
) -> RectificationListOut:
    """The items the caller sees (the office: all; others: their units'), earliest deadline
    first, so the overdue come first."""
    now = timezone.now()
    rows = items(scope_for(actor(request)), status=status, unit_id=unit, now=now)
    return RectificationListOut(
        items=[RectificationOut.of(item, now) for item in rows[offset : offset + limit]],
        limit=limit,
        offset=offset,
    )


@router.get(
    "/rectifications/{item_id}",
    response={200: RectificationDetailOut, **ERRORS},
    summary="One rectification",
)
def get_rectification(request: HttpRequest, item_id: RecordId) -> RectificationDetailOut:
    now = timezone.now()
    return RectificationDetailOut.of_detail(
        item_detail(scope_for(actor(request)), item_id, now=now), now
    )


def _answer(request: HttpRequest, item_id: int) -> RectificationDetailOut:
    return get_rectification(request, item_id)


@router.post(
    "/rectifications/{item_id}/done",
    response={200: RectificationDetailOut, **ERRORS},
    summary="Report a rectification done",
)
def report_done(request: HttpRequest, item_id: RecordId, body: DoneIn) -> RectificationDetailOut:
    check_report_done(actor(request), item_id, evidence=body.evidence)
    return _answer(request, item_id)


@router.post(
    "/rectifications/{item_id}/verify",
    response={200: RectificationDetailOut, **ERRORS},
    summary="Verify a rectification (the office)",
)
def verify(request: HttpRequest, item_id: RecordId, body: VerifyIn) -> RectificationDetailOut:
    check_verify(actor(request), item_id, note=body.note)
    return _answer(request, item_id)


@router.post(
    "/rectifications/{item_id}/send-back",
    response={200: RectificationDetailOut, **ERRORS},
    summary="Send a rectification back (the office)",
)
def send_back(request: HttpRequest, item_id: RecordId, body: SendBackIn) -> RectificationDetailOut:
    check_send_back(actor(request), item_id, reason=body.reason)
    return _answer(request, item_id)


@router.post(
    "/rectifications/{item_id}/entry",
    response={200: RectificationDetailOut, **ERRORS},
    summary="Link the knowledge entry recording the fix",
)
def link_entry(
    request: HttpRequest, item_id: RecordId, body: EntryLinkIn
) -> RectificationDetailOut:
    check_link_entry(actor(request), item_id, entry_id=body.entry_id)
    return _answer(request, item_id)
