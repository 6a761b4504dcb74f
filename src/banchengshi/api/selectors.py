"""Reads the API adds to cases.selectors.case_detail: the records hanging off a case."""

from __future__ import annotations

from dataclasses import dataclass

from banchengshi.cases.models import (
    Case,
    ClockRequest,
    CoHandlingTask,
    ContactRecord,
    ReturnVisit,
    Supervision,
)


@dataclass(frozen=True)
class CaseRecords:
    tasks: list[CoHandlingTask]
    contacts: list[ContactRecord]
    clock_requests: list[ClockRequest]
    return_visits: list[ReturnVisit]
    supervisions: list[Supervision]

    @classmethod
    def none(cls) -> CaseRecords:
        return cls([], [], [], [], [])


def case_records(case: Case) -> CaseRecords:
    """One query per kind of record, people and units joined in; call it only for a case the
    person may see (after case_detail)."""
    return CaseRecords(
        tasks=list(
            CoHandlingTask.objects.filter(case=case)
            .select_related("unit", "requested_by", "answered_by")
            .order_by("requested_at", "id")
        ),
        contacts=list(
            ContactRecord.objects.filter(case=case)
            .select_related("by")
            .order_by("contacted_at", "id")
        ),
        clock_requests=list(
            ClockRequest.objects.filter(case=case)
            .select_related("requested_by", "decided_by")
            .order_by("requested_at", "id")
        ),
        return_visits=list(
            ReturnVisit.objects.filter(case=case)
            .select_related("visited_by")
            .order_by("visited_at", "id")
        ),
        supervisions=list(
            Supervision.objects.filter(case=case).select_related("by").order_by("at", "id")
        ),
    )
