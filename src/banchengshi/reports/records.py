"""The report's figures beyond the cases: rectification items, knowledge entries, service
evaluations (好差评), remote window sessions and door-to-door requests of the period, each one
aggregate over its time index."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from banchengshi.evaluation.models import BAD_LEVELS, Evaluation, HandlingStatus
from banchengshi.knowledge.models import Entry, RectificationItem, RectificationStatus
from banchengshi.knowledge.rectification.selectors import overdue
from banchengshi.neighborhood.assistance.models import AssistanceRequest, Stage
from banchengshi.neighborhood.sessions.models import RemoteSession
from banchengshi.reports import compiled
from banchengshi.reports.compiled import Instants
from banchengshi.reports.scopes import ReportScope


def _in_period(
    queryset: QuerySet[Any], instant: str, at: Instants, units: object, in_units: Q
) -> QuerySet[Any]:
    """The records whose `instant` falls in the period, those of the scope's units if any."""
    found = queryset.filter(**{f"{instant}__gte": at.start_at, f"{instant}__lt": at.end_at})
    return found if units is None else found.filter(in_units)


def record_counts(scope: ReportScope, instants: Instants) -> dict[str, int]:
    units = scope.unit_ids()

    def rectification(at: Instants) -> dict[str, Any]:
        items = _in_period(
            RectificationItem.objects.all(), "opened_at", at, units, Q(unit__in=units)
        )
        return items.aggregate(
            rectification_opened=Count("pk"),
            rectification_done=Count("pk", filter=Q(done_at__isnull=False)),
            rectification_verified=Count("pk", filter=Q(status=RectificationStatus.VERIFIED)),
            rectification_overdue=Count("pk", filter=overdue(at.now)),
        )

    def entries(at: Instants) -> dict[str, Any]:
        added = _in_period(Entry.objects.all(), "created_at", at, units, Q(units__in=units))
        # An entry of several of the scope's units is one entry.
        return added.aggregate(knowledge_entries_added=Count("pk", distinct=True))

    def evaluations(at: Instants) -> dict[str, Any]:
        counted = Evaluation.objects.filter(excluded=False)
        rated = _in_period(counted, "evaluated_at", at, units, Q(unit__in=units))
        bad = Q(level__in=BAD_LEVELS)
        return rated.aggregate(
            evaluations=Count("pk"),
            bad_reviews=Count("pk", filter=bad),
            bad_reviews_closed=Count("pk", filter=bad & Q(handling__status=HandlingStatus.CLOSED)),
        )

    def sessions(at: Instants) -> dict[str, Any]:
        at_units = Q(point__unit__in=units) | Q(center__in=units)
        held = _in_period(RemoteSession.objects.all(), "started_at", at, units, at_units)
        return held.aggregate(remote_sessions=Count("pk"))

    def requests(at: Instants) -> dict[str, Any]:
        registered = _in_period(
            AssistanceRequest.objects.all(), "registered_at", at, units, Q(street__in=units)
        )
        return registered.aggregate(
            door_to_door_requests=Count("pk"),
            door_to_door_done=Count("pk", filter=Q(stage=Stage.DONE)),
        )

    counts: dict[str, int] = {}
    for build in (rectification, entries, evaluations, sessions, requests):
        counts.update(compiled.row(build, (scope.shape,), instants))
    return counts
