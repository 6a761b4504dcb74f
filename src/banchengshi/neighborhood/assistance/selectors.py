"""Reads of door-to-door requests and the service list, cut to the person's streets."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from banchengshi.neighborhood.assistance.access import (
    is_district,
    may_see,
    may_see_all,
    streets_of,
)
from banchengshi.neighborhood.assistance.models import (
    AssistanceEvent,
    AssistanceRequest,
    ServiceItem,
    Stage,
)
from banchengshi.org.models import Unit, UnitKind
from banchengshi.org.scope import Scope

PAGE_SIZE = 25


def visible_requests(scope: Scope) -> QuerySet[AssistanceRequest]:
    requests = AssistanceRequest.objects.all()
    if not may_see_all(scope):
        requests = requests.filter(street_id__in=streets_of(scope))
    return requests


def request_page(scope: Scope, *, stage: str, page: int) -> Page[AssistanceRequest]:
    """Newest first, one stage or all (index assistance_street or assistance_stage)."""
    requests = visible_requests(scope)
    if stage in Stage.values:
        requests = requests.filter(stage=stage)
    requests = requests.select_related("street", "service__matter", "assigned_to").order_by("-id")
    return Paginator(requests, PAGE_SIZE).get_page(page)


def request_for(scope: Scope, request_id: int) -> AssistanceRequest | None:
    request = (
        AssistanceRequest.objects.select_related(
            "street", "service__matter", "assigned_to", "registered_by"
        )
        .filter(pk=request_id)
        .first()
    )
    if request is None or not may_see(scope, request.street_id):
        return None
    return request


def history(request: AssistanceRequest) -> list[AssistanceEvent]:
    return list(request.events.select_related("actor").order_by("id"))


@dataclass(frozen=True)
class ServiceList:
    district: list[ServiceItem]
    streets: dict[Unit, list[ServiceItem]]


def services_for(street_id: int) -> QuerySet[ServiceItem]:
    """What a street's requests may name: the district's list and the street's own."""
    return (
        ServiceItem.objects.filter(Q(street=None) | Q(street_id=street_id), is_active=True)
        .select_related("matter")
        .order_by("matter__code")
    )


def service_list(scope: Scope) -> ServiceList:
    """The district's list and, per street the person sees, what it adds (all streets for
    whoever sees every request); taken-off services too, marked."""
    items = ServiceItem.objects.select_related("matter", "street").order_by("matter__code")
    district = list(items.filter(street=None))
    own = items.exclude(street=None)
    if not may_see_all(scope):
        own = own.filter(street_id__in=streets_of(scope))
    streets: dict[Unit, list[ServiceItem]] = {}
    for item in own.order_by("street__code", "matter__code"):
        assert item.street is not None
        streets.setdefault(item.street, []).append(item)
    return ServiceList(district, streets)


def streets_for(scope: Scope) -> QuerySet[Unit]:
    """The streets the person may register requests for or add services to."""
    streets = Unit.objects.filter(kind=UnitKind.CENTER, is_active=True).order_by("code")
    return streets if is_district(scope) else streets.filter(pk__in=streets_of(scope))
