"""The report's figures beyond the cases: rectification items, knowledge entries, service
evaluations (好差评), remote window sessions and door-to-door requests of the period, each one
aggregate over its time index."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from banchengshi.evaluation.models import BAD_LEVELS, Evaluation, HandlingStatus
from banchengshi.knowledge.models import Entry, RectificationItem, RectificationStatus
from banchengshi.knowledge.rectification.selectors import overdue
from banchengshi.neighborhood.assistance.models import AssistanceRequest, Stage
from banchengshi.neighborhood.sessions.models import RemoteSession
from banchengshi.reports import compiled
from banchengshi.reports.compiled import Instants
from banchengshi.reports.scopes import ReportScope


def record_counts(scope: ReportScope, instants: Instants) -> dict[str, int]:
    units = scope.unit_ids()

    def rectification(at: Instants) -> dict[str, Any]:
        items = RectificationItem.objects.filter(
            opened_at__gte=at.start_at, opened_at__lt=at.end_at
        )
        if units is not None:
            items = items.filter(unit__in=units)
        return items.aggregate(
            rectification_opened=Count("pk"),
            rectification_done=Count("pk", filter=Q(done_at__isnull=False)),
            rectification_verified=Count("pk", filter=Q(status=RectificationStatus.VERIFIED)),
            rectification_overdue=Count("pk", filter=overdue(at.now)),
        )

    def entries(at: Instants) -> dict[str, Any]:
        added = Entry.objects.filter(created_at__gte=at.start_at, created_at__lt=at.end_at)
        if units is not None:
            added = added.filter(units__in=units)
        # An entry of several of the scope's units is one entry.
        return added.aggregate(knowledge_entries_added=Count("pk", distinct=True))

    def evaluations(at: Instants) -> dict[str, Any]:
        rated = Evaluation.objects.filter(
            evaluated_at__gte=at.start_at, evaluated_at__lt=at.end_at, excluded=False
        )
        if units is not None:
            rated = rated.filter(unit__in=units)
        bad = Q(level__in=BAD_LEVELS)
        return rated.aggregate(
            evaluations=Count("pk"),
            bad_reviews=Count("pk", filter=bad),
            bad_reviews_closed=Count("pk", filter=bad & Q(handling__status=HandlingStatus.CLOSED)),
        )

    def sessions(at: Instants) -> dict[str, Any]:
        held = RemoteSession.objects.filter(started_at__gte=at.start_at, started_at__lt=at.end_at)
        if units is not None:
            held = held.filter(Q(point__unit__in=units) | Q(center__in=units))
        return held.aggregate(remote_sessions=Count("pk"))

    def requests(at: Instants) -> dict[str, Any]:
        registered = AssistanceRequest.objects.filter(
            registered_at__gte=at.start_at, registered_at__lt=at.end_at
        )
        if units is not None:
            registered = registered.filter(street__in=units)
        return registered.aggregate(
            door_to_door_requests=Count("pk"),
            door_to_door_done=Count("pk", filter=Q(stage=Stage.DONE)),
        )

    counts: dict[str, int] = {}
    for build in (rectification, entries, evaluations, sessions, requests):
        counts.update(compiled.row(build, (scope.shape,), instants))
    return counts
