"""举一反三 and hot spots (R-KB-3): a case's similar open cases and linking them, a group and
its answer sent to each case, the office's hot-spot alerts. Each handler calls one action or
selector of knowledge.hotspots."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import P, QueryEx, Router

from banchengshi.api.auth import actor
from banchengshi.api.schemas.base import ERRORS, RecordId
from banchengshi.api.schemas.hotspots import (
    CaseRefOut,
    GroupAnswerIn,
    GroupAnswerOut,
    GroupOut,
    HotspotListOut,
    HotspotOut,
    LinkIn,
    SimilarListOut,
    SimilarOut,
)
from banchengshi.cases.selectors import find_case
from banchengshi.knowledge.hotspots.actions import check_answer_group, check_link_cases
from banchengshi.knowledge.hotspots.selectors import (
    ALERTS_SHOWN,
    alert_detail,
    alerts_page,
    group_of,
    group_view,
)
from banchengshi.knowledge.hotspots.similar import similar_open_cases
from banchengshi.org.scope import scope_for

router = Router(tags=["hotspots"])

MAX_OFFSET = 10_000


@router.get(
    "/cases/{case_id}/similar",
    response={200: SimilarListOut, **ERRORS},
    summary="Similar open cases of a case",
)
def similar(request: HttpRequest, case_id: RecordId) -> SimilarListOut:
    """Open cases of the same matter, cause or similar text, most alike first; only those
    the caller may see, without personal data."""
    scope = scope_for(actor(request))
    case = find_case(scope, case_id)
    return SimilarListOut(
        group_id=group_of(case.pk),
        items=[SimilarOut.of(found) for found in similar_open_cases(scope, case)],
    )


@router.post(
    "/cases/{case_id}/similar/link",
    response={200: GroupOut, **ERRORS},
    summary="Link similar open cases to a case",
)
def link(request: HttpRequest, case_id: RecordId, payload: LinkIn) -> GroupOut:
    """All or nothing: a case that cannot be linked refuses the link, naming it."""
    person = actor(request)
    group = check_link_cases(person, case_id, others=payload.case_ids)
    return _group(request, group.pk)


@router.get("/groups/{group_id}", response={200: GroupOut, **ERRORS}, summary="A group")
def get_group(request: HttpRequest, group_id: RecordId) -> GroupOut:
    return _group(request, group_id)


@router.post(
    "/groups/{group_id}/answer",
    response={200: GroupAnswerOut, **ERRORS},
    summary="Answer a group's cases together",
)
def answer(request: HttpRequest, group_id: RecordId, payload: GroupAnswerIn) -> GroupAnswerOut:
    """One reply sent to each case through its own reply action; a refused case is listed
    with its reason while the others go through."""
    group_view(scope_for(actor(request)), group_id)  # not found unless a member is visible
    result = check_answer_group(
        actor(request), group_id, text=payload.text, channel=payload.channel
    )
    return GroupAnswerOut.of(result)


@router.get("/hotspots", response={200: HotspotListOut, **ERRORS}, summary="Hot-spot alerts")
def hotspots(
    request: HttpRequest,
    limit: QueryEx[int, P(ge=1, le=ALERTS_SHOWN)] = 20,
    offset: QueryEx[int, P(ge=0, le=MAX_OFFSET)] = 0,
) -> HotspotListOut:
    """The newest alerts first, each with the cases behind it; for the office and the hub."""
    alerts = alerts_page(scope_for(actor(request)), offset=offset, limit=limit)
    return HotspotListOut(
        items=[HotspotOut.of(alert) for alert in alerts], limit=limit, offset=offset
    )


@router.get(
    "/hotspots/{alert_id}", response={200: HotspotOut, **ERRORS}, summary="A hot-spot alert"
)
def hotspot(request: HttpRequest, alert_id: RecordId) -> HotspotOut:
    return HotspotOut.of(alert_detail(scope_for(actor(request)), alert_id))


def _group(request: HttpRequest, group_id: int) -> GroupOut:
    view = group_view(scope_for(actor(request)), group_id)
    return GroupOut(
        id=view.group.pk,
        cases=[CaseRefOut.model_validate(case) for case in view.cases],
        hidden=view.hidden,
        reply_text=view.group.reply_text,
        answered_at=view.group.answered_at,
    )
