"""The ledger (台账, R-RV-4): every case of a period and scope, one row each, with every
registration field, the date of each step, the answer, the rating and the cause.

Rows stream from one query (a server-side cursor on PostgreSQL, chunked reads on SQLite)
through `iterator()`, so memory does not grow with the number of cases; the first dates of
acceptance, signing for, contact and return visit are correlated subqueries served by indexes
that start with the case. Phone, ID number and credit code are masked unless the person may see them
(the hub's dispatchers) and asked for them; each export is an audit event saying who, what
and whether it was unmasked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.audit.models import AuditEvent
from banchengshi.audit.personal_data import do_log_personal_data_view
from banchengshi.cases.access import DISPATCHERS
from banchengshi.cases.events import CaseEvent
from banchengshi.cases.models import (
    Category,
    CauseSide,
    Channel,
    Complexity,
    ContactRecord,
    ReturnVisit,
    Satisfaction,
    State,
)
from banchengshi.errors import Forbidden
from banchengshi.identifiers import mask_id_number, mask_phone
from banchengshi.org.names import full_name
from banchengshi.org.scope import scope_for
from banchengshi.reports.metrics import cohort
from banchengshi.reports.periods import Period
from banchengshi.reports.scopes import ReportScope
from banchengshi.workdays.calendar import SHANGHAI

EXPORTED = "ledger.exported"
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    field: str
    words: str | Promise


COLUMNS = (
    Column("tracking_no", gettext_lazy("tracking number")),
    Column("received_at", gettext_lazy("received at")),
    Column("channel", gettext_lazy("channel")),
    Column("registered_unit__name", gettext_lazy("registered at")),
    Column("window", gettext_lazy("window")),
    Column("petitioner_type", gettext_lazy("petitioner")),
    Column("petitioner_name", gettext_lazy("name")),
    Column("phone", gettext_lazy("phone")),
    Column("id_number", gettext_lazy("ID number")),
    Column("enterprise_name", gettext_lazy("enterprise name")),
    Column("credit_code", gettext_lazy("unified social credit code")),
    Column("matter__name", gettext_lazy("service matter")),
    Column("matter_text", gettext_lazy("matter (free text)")),
    Column("department__name", gettext_lazy("department")),
    Column("failed_at_unit__name", gettext_lazy("where it failed")),
    Column("online_application_no", gettext_lazy("online application number")),
    Column("visits_count", gettext_lazy("times already come")),
    Column("description", gettext_lazy("what failed")),
    Column("request", gettext_lazy("what the person asks for")),
    Column("category", gettext_lazy("category")),
    Column("complexity", gettext_lazy("complexity")),
    Column("state", gettext_lazy("state")),
    Column("owner_unit__name", gettext_lazy("responsible unit")),
    Column("handling_unit__name", gettext_lazy("handling unit")),
    Column("accepted_at", gettext_lazy("accepted at")),
    Column("signed_at", gettext_lazy("signed for by the unit at")),
    Column("contacted_at", gettext_lazy("first contact at")),
    Column("on_the_spot", gettext_lazy("resolved on the spot")),
    Column("not_admissible_reason", gettext_lazy("why not admissible")),
    Column("returns_count", gettext_lazy("returns")),
    Column("round", gettext_lazy("round")),
    Column("cause_code", gettext_lazy("cause")),
    Column("cause_side", gettext_lazy("cause side")),
    Column("cause_note", gettext_lazy("cause analysis")),
    Column("reply_text", gettext_lazy("reply")),
    Column("replied_at", gettext_lazy("replied at")),
    Column("visited_at", gettext_lazy("first return visit at")),
    Column("satisfaction", gettext_lazy("satisfaction")),
    Column("solved", gettext_lazy("solved")),
    Column("closed_at", gettext_lazy("closed at")),
    Column("external_source", gettext_lazy("external source")),
    Column("external_id", gettext_lazy("external id")),
)
MASKED = {"phone": mask_phone, "id_number": mask_id_number, "credit_code": mask_id_number}
CHOICES: dict[str, Any] = {
    "channel": Channel,
    "category": Category,
    "complexity": Complexity,
    "state": State,
    "cause_side": CauseSide,
}


def _first_event(action: CaseEvent) -> Subquery:
    """When the case's trail first records `action` (the audit index on case and sequence)."""
    return Subquery(
        AuditEvent.objects.filter(case_id=OuterRef("pk"), action=action)
        .order_by("seq")
        .values("at")[:1]
    )


@dataclass(frozen=True)
class Ledger:
    period: Period
    scope: ReportScope
    unmasked: bool
    rows: int

    def header(self) -> list[str]:
        return [str(column.words) for column in COLUMNS]

    def lines(self) -> Iterator[list[Any]]:
        """Each case as a list of cells (text, numbers, local times), in order received."""
        cases = (
            cohort(self.period, self.scope)
            .annotate(
                accepted_at=_first_event(CaseEvent.SCREEN_ACCEPT),
                signed_at=_first_event(CaseEvent.RECEIVE),
                contacted_at=Subquery(
                    ContactRecord.objects.filter(case=OuterRef("pk"))
                    .values("case")
                    .annotate(first=Min("contacted_at"))
                    .values("first")
                ),
                visited_at=Subquery(
                    ReturnVisit.objects.filter(case=OuterRef("pk"))
                    .values("case")
                    .annotate(first=Min("visited_at"))
                    .values("first")
                ),
            )
            .order_by("received_at", "pk")
            .values_list(*(column.field for column in COLUMNS))
        )
        labels = {
            name: {value: str(label) for value, label in enum.choices}
            for name, enum in CHOICES.items()
        }
        levels = {level.value: str(level.label) for level in Satisfaction}
        fields = [column.field for column in COLUMNS]
        for values in cases.iterator(chunk_size=CHUNK):
            yield [
                self._cell(field, value, labels, levels)
                for field, value in zip(fields, values, strict=True)
            ]

    def _cell(
        self,
        field: str,
        value: Any,
        labels: dict[str, dict[str, str]],
        levels: dict[int, str],
    ) -> Any:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if field in MASKED and not self.unmasked:
            return MASKED[field](value)
        if field in labels:
            return labels[field].get(value, value)
        if field == "satisfaction":
            return levels.get(value, value)
        return value


def check_open_ledger(
    user: User, period: Period, scope: ReportScope, *, unmasked: bool, fmt: str, path: str
) -> Ledger:
    """The ledger `user` asked for (the scope already checked by reports.access), with the
    export written to the audit trail before a row leaves."""
    if unmasked and not scope_for(user).has_role(DISPATCHERS):
        raise Forbidden(
            _("Only the hub's dispatchers may export full phone and ID numbers; export masked.")
        )
    return do_open_ledger(user, period, scope, unmasked=unmasked, fmt=fmt, path=path)


def do_open_ledger(
    user: User | None,
    period: Period,
    scope: ReportScope,
    *,
    unmasked: bool,
    fmt: str,
    path: str,
) -> Ledger:
    """`path`: the page or API path of the export, or the command that made it."""
    rows = cohort(period, scope).count()
    with transaction.atomic():
        append_events(
            [
                PendingEvent(
                    case_id=None,
                    actor_id=user.pk if user else None,
                    actor_label=full_name(user) if user else "",
                    action=EXPORTED,
                    at=timezone.now(),
                    before={},
                    after={},
                    payload={
                        "period": period.label,
                        "unit": scope.unit.pk if scope.unit else None,
                        "units_below": scope.below,
                        "format": fmt,
                        "unmasked": unmasked,
                        "rows": rows,
                    },
                )
            ]
        )
        if unmasked:
            do_log_personal_data_view(
                user,
                path=path,
                subject=f"ledger {period.label}",
                fields=list(MASKED),
                rows=rows,
            )
    return Ledger(period, scope, unmasked, rows)
