"""Appeals as public service requests: status, the filters of GET requests, what is shown.

What is public (R-Q-3): the tracking number (service_request_id), the service, the status
and a note naming our state, the responsible unit's name (never a person's), and the times.
Free text and places that a petitioner or a clerk wrote may carry personal data (a home
address, a name, a photo of an ID card), so the description, address, coordinates and media
link are shown only for requests filed through Open311 itself, whose senders file into a
public tracker by the protocol's design; even then phone numbers, ID numbers, credit codes,
e-mail addresses and the petitioner's name are blanked out of the description. Names, phone
and ID numbers of petitioners are never shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from banchengshi.cases.models import Case, Channel, Clock, ClockKind, State
from banchengshi.intake.models import Open311Request
from banchengshi.intake.redaction import redact

# "open: it has been reported; closed: it has been resolved" (GeoReport v2). A replied case
# has its answer, a not-admissible one its refusal with reasons: both are resolved for the
# person, even while a return visit or the reasons' letter is still to come. Supervision
# reopens a case (in progress again), and so the status.
STATUS = {
    State.REGISTERED: "open",
    State.AWAITING_DISPATCH: "open",
    State.DISPATCHED: "open",
    State.IN_PROGRESS: "open",
    State.REPLIED: "closed",
    State.NOT_ADMISSIBLE: "closed",
    State.CLOSED: "closed",
}
STATUSES = ("open", "closed")
MAX_RESULTS = 1000
MAX_SPAN = dt.timedelta(days=90)


@dataclass(frozen=True)
class RequestQuery:
    """GET requests: either a list of ids (which overrides the rest), or a window of
    requested times with optional services and statuses."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: tuple[str, ...] = ()


def _cases() -> QuerySet[Case]:
    reply_clocks = Clock.objects.filter(kind=ClockKind.REPLY, task__isnull=True).order_by(
        "-round", "-started_at"
    )
    return Case.objects.select_related(
        "matter", "handling_unit", "owner_unit", "registered_unit", "open311"
    ).prefetch_related(Prefetch("clocks", queryset=reply_clocks, to_attr="reply_clocks"))


def find_requests(query: RequestQuery) -> list[Case]:
    """At most 1000, newest first."""
    cases = _cases()
    if query.ids:
        cases = cases.filter(tracking_no__in=query.ids)
    else:
        if query.start is not None:
            cases = cases.filter(received_at__gte=query.start)
        if query.end is not None:
            cases = cases.filter(received_at__lte=query.end)
        if query.service_codes:
            cases = cases.filter(matter__code__in=query.service_codes, matter__is_public=True)
        if query.statuses:
            cases = cases.filter(
                state__in=[state for state, status in STATUS.items() if status in query.statuses]
            )
    return list(cases.order_by("-received_at", "-id")[:MAX_RESULTS])


def find_request(tracking_no: str) -> Case | None:
    return _cases().filter(tracking_no=tracking_no).first()


def _w3c(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _filed_here(case: Case) -> Open311Request | None:
    if case.channel != Channel.OPEN311:
        return None
    try:
        return case.open311
    except Open311Request.DoesNotExist:
        return None


def public_request(case: Case) -> dict[str, Any]:
    status = STATUS[State(case.state)]
    matter = case.matter if case.matter is not None and case.matter.is_public else None
    unit = case.handling_unit or case.owner_unit or case.registered_unit
    reply: list[Clock] = getattr(case, "reply_clocks", [])
    filed = _filed_here(case)
    closed_at = case.closed_at or case.replied_at
    return {
        "service_request_id": case.tracking_no,
        "status": status,
        "status_notes": str(case.get_state_display()),
        "service_name": matter.name if matter else None,
        "service_code": matter.code if matter else None,
        "description": (
            redact(case.description, (case.petitioner_name,)) if filed is not None else None
        ),
        "agency_responsible": unit.name,
        "service_notice": None,
        "requested_datetime": _w3c(case.received_at),
        "updated_datetime": _w3c(
            closed_at if status == "closed" and closed_at else case.updated_at
        ),
        "expected_datetime": _w3c(reply[0].due) if reply else None,
        # The place of the problem is public, but people put their contact in it too.
        "address": (redact(filed.address, (case.petitioner_name,)) or None) if filed else None,
        "address_id": (filed.address_id or None) if filed else None,
        "zipcode": None,
        "lat": filed.lat if filed else None,
        "long": filed.long if filed else None,
        "media_url": (filed.media_url or None) if filed else None,
    }
