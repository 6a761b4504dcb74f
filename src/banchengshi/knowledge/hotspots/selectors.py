"""Reads of groups and hot-spot alerts, cut to what the person may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from banchengshi.cases import causes
from banchengshi.cases.access import visible_cases
from banchengshi.cases.models import Case
from banchengshi.errors import Forbidden, NotFound
from banchengshi.ids import MAX_ID
from banchengshi.knowledge.hotspots.models import CaseGroup, CaseGroupMember, HotspotAlert
from banchengshi.org.scope import Scope

ALERTS_SHOWN = 50


def may_see_hotspots(scope: Scope) -> bool:
    """Hot spots are the district's: the office, the hub, inspectors and administrators, who
    see every case, see them."""
    return scope.sees_all


def _require_hotspots(scope: Scope) -> None:
    if not may_see_hotspots(scope):
        raise Forbidden(_("Hot spots are shown to the office and the dispatch hub."))


def subject_label(alert: HotspotAlert) -> str:
    """The cause in the reader's language; a matter's or unit's name as stored."""
    if alert.dimension == "cause":
        cause = causes.get(alert.subject_key)
        if cause is not None:
            return cause.label
    return alert.subject


def alerts_page(scope: Scope, *, offset: int = 0, limit: int = ALERTS_SHOWN) -> list[HotspotAlert]:
    """The newest alerts first (the index on the time raised), each with its cases."""
    _require_hotspots(scope)
    alerts = HotspotAlert.objects.order_by("-raised_at", "-id")[offset : offset + limit]
    return list(alerts.prefetch_related(_cases_of_alert()))


def _cases_of_alert() -> Prefetch:
    return Prefetch(
        "cases", queryset=Case.objects.select_related("matter").order_by("-received_at", "-id")
    )


def alert_detail(scope: Scope, alert_id: int) -> HotspotAlert:
    _require_hotspots(scope)
    alert = (
        HotspotAlert.objects.prefetch_related(_cases_of_alert()).filter(pk=alert_id).first()
        if 1 <= alert_id <= MAX_ID
        else None
    )
    if alert is None:
        raise NotFound(_("No such hot-spot alert."))
    return alert


@dataclass(frozen=True)
class GroupView:
    group: CaseGroup
    cases: list[Case]  # the members the person may see, by number
    hidden: int  # members outside the person's reach: counted, never shown


def group_members(scope: Scope, group: CaseGroup) -> QuerySet[Case]:
    members = CaseGroupMember.objects.filter(group=group).values("case_id")
    return visible_cases(scope).filter(id__in=members)


def group_view(scope: Scope, group_id: int) -> GroupView:
    """A group the person sees a case of; otherwise not found, as a case would be."""
    group = CaseGroup.objects.filter(pk=group_id).first() if 1 <= group_id <= MAX_ID else None
    if group is None:
        raise NotFound(_("No such group of cases."))
    cases = list(group_members(scope, group).select_related("matter").order_by("id"))
    if not cases:
        raise NotFound(_("No such group of cases."))
    total = CaseGroupMember.objects.filter(group=group).count()
    return GroupView(group, cases, total - len(cases))


def group_of(case_id: int) -> int | None:
    """The group a case is in (the unique index on the member's case)."""
    return (
        CaseGroupMember.objects.filter(case_id=case_id).values_list("group_id", flat=True).first()
    )
