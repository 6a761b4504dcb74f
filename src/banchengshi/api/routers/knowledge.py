"""The case library and knowledge base: search and list, write by hand or draft from a closed
case. Published entries are listed with their published text; staff (a person, or a token
of a person, holding any role) see internal entries too, everyone else the public ones."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import P, QueryEx, Router, Status

from banchengshi.api.auth import actor
from banchengshi.api.schemas.base import ERRORS, NO_NUL, Overlay, RecordId
from banchengshi.api.schemas.knowledge import EntryIn, EntryListOut, EntryOut
from banchengshi.cases.selectors import COUNT_CAP
from banchengshi.knowledge.actions import (
    check_create_entry,
    check_draft_from_case,
    check_publish_entry,
    check_withdraw_entry,
)
from banchengshi.knowledge.models import Entry
from banchengshi.knowledge.selectors import listed_entries, published_texts
from banchengshi.org.scope import scope_for

router = Router(tags=["knowledge"])


def entry_out(entry: Entry, published: object | None = None) -> EntryOut:
    """The entry with `published` (its last published text) instead of the working copy."""
    texts = {}
    if published is not None:
        texts = {
            name: getattr(published, name) for name in ("problem", "solution", "tags", "cause_code")
        }
    return EntryOut.model_validate(
        Overlay(
            entry,
            matter_ids=[m.pk for m in entry.matters.all()],
            unit_ids=[u.pk for u in entry.units.all()],
            source_case_ids=[c.pk for c in entry.source_cases.all()],
            **texts,
        )
    )


@router.get("/knowledge", response={200: EntryListOut, **ERRORS}, summary="Search the library")
def list_entries(
    request: HttpRequest,
    q: QueryEx[
        str, P(max_length=100, pattern=NO_NUL, description="words, 1 character or more")
    ] = "",
    limit: QueryEx[int, P(ge=1, le=100)] = 25,
    offset: QueryEx[int, P(ge=0, le=10_000)] = 0,
) -> EntryListOut:
    """Published entries; with `q`, those it finds, found in the problem first, then in the
    tags, then elsewhere, each the latest written first; without, the latest published first."""
    staff = bool(scope_for(actor(request)).roles)
    entries = listed_entries(text=q, internal=staff)
    page = entries[offset : offset + limit]
    texts = published_texts(page)
    return EntryListOut(
        items=[entry_out(entry, texts.get(entry.pk)) for entry in page],
        total=entries.count(),
        total_cap=COUNT_CAP,
        limit=limit,
        offset=offset,
    )


@router.post(
    "/knowledge", response={201: EntryOut, **ERRORS}, summary="Write an entry or draft from a case"
)
def create_entry(request: HttpRequest, payload: EntryIn) -> Status[EntryOut]:
    """201 with the new draft; a reviewer (office administrator, dispatcher) publishes it."""
    person = actor(request)
    if payload.case_id is not None:
        entry = check_draft_from_case(person, payload.case_id)
    else:
        entry = check_create_entry(person, payload.fields())
    return Status(201, entry_out(entry))


@router.post(
    "/knowledge/{entry_id}/publish", response={200: EntryOut, **ERRORS}, summary="Publish a draft"
)
def publish_entry(request: HttpRequest, entry_id: RecordId) -> EntryOut:
    """A reviewer (office administrator, dispatcher) publishes the draft as the entry's next
    version; searches and, for a public entry, the FAQ show it from now on."""
    return entry_out(check_publish_entry(actor(request), entry_id))


@router.post(
    "/knowledge/{entry_id}/withdraw", response={200: EntryOut, **ERRORS}, summary="Withdraw"
)
def withdraw_entry(request: HttpRequest, entry_id: RecordId) -> EntryOut:
    """A reviewer takes the entry out of searches and the FAQ; its versions stay."""
    return entry_out(check_withdraw_entry(actor(request), entry_id))
