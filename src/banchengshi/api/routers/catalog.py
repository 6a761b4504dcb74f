"""Reference data: units, the catalogue of service matters, the coded causes; and who I am."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import P, QueryEx, Router

from banchengshi.api.auth import actor
from banchengshi.api.schemas.base import ERRORS, NO_NUL
from banchengshi.api.schemas.catalog import CauseOut, MatterListOut, MatterOut, MeOut, UnitOut
from banchengshi.cases.causes import CAUSES
from banchengshi.cases.selectors import bounded_count
from banchengshi.catalog.selectors import search_matters
from banchengshi.org.models import Unit
from banchengshi.org.scope import scope_for

router = Router(tags=["reference"])
SearchText = QueryEx[
    str, P(max_length=100, pattern=NO_NUL, description="part of the name, or a code prefix")
]


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The caller and their roles")
def me(request: HttpRequest) -> MeOut:
    """Also sets the csrftoken cookie a web page needs for POST requests with its session."""
    get_token(request)
    user = actor(request)
    return MeOut.of(user, scope_for(user))


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Active units")
def units(request: HttpRequest) -> list[Unit]:
    return list(Unit.objects.filter(is_active=True).order_by("path"))


@router.get("/matters", response={200: MatterListOut, **ERRORS}, summary="Service matters")
def matters(
    request: HttpRequest,
    q: SearchText = "",
    limit: QueryEx[int, P(ge=1, le=100)] = 50,
    offset: QueryEx[int, P(ge=0, le=100_000)] = 0,
) -> MatterListOut:
    found = search_matters(q)
    return MatterListOut(
        items=[MatterOut.model_validate(m) for m in found[offset : offset + limit]],
        total=bounded_count(found),
        limit=limit,
        offset=offset,
    )


@router.get("/causes", response={200: list[CauseOut], **ERRORS}, summary="Coded causes")
def cause_list(request: HttpRequest) -> list[CauseOut]:
    return [CauseOut.model_validate(cause) for cause in CAUSES.values()]
