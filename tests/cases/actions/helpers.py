"""What the tests of the case actions share: the rows of a case as plain values, and the
refusal an action raises."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import (
    Case,
    CaseUnit,
    Clock,
    WorkItem,
)
from banchengshi.errors import ActionRefused
from banchengshi.notify.models import Notification, OutboxMessage

NOW_JSON = "2026-11-20T02:00:00Z"  # NOW as the audit trail's JSON writes it (UTC)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def events(case: Case) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(case=case).order_by("seq"))


def last_event(case: Case) -> AuditEvent:
    event = AuditEvent.objects.filter(case=case).order_by("-seq").first()
    assert event is not None
    return event


def work(case: Case) -> list[tuple[str, int, dt.datetime]]:
    return sorted(WorkItem.objects.filter(case=case).values_list("kind", "unit_id", "due"))


def clocks(case: Case) -> dict[tuple[str, int], Clock]:
    """Clocks by (kind, round); co-handling clocks are looked up through their task."""
    return {(c.kind, c.round): c for c in Clock.objects.filter(case=case, task__isnull=True)}


def links(case: Case) -> set[tuple[int, str]]:
    return set(CaseUnit.objects.filter(case=case).values_list("unit_id", "relation"))


def outbox(case: Case) -> list[tuple[str, str, str, dict[str, Any]]]:
    return list(
        OutboxMessage.objects.filter(case=case)
        .order_by("id")
        .values_list("channel", "recipient", "template", "payload")
    )


def notices(case: Case) -> list[tuple[str, str, dict[str, Any]]]:
    """The staff notices about the case: (username, kind, params), in the order written."""
    return list(
        Notification.objects.filter(case=case)
        .order_by("id")
        .values_list("user__username", "kind", "params")
    )


def refused(call: Callable[[], Any]) -> ActionRefused:
    with pytest.raises(ActionRefused) as info:
        call()
    return info.value
