"""The log of every look at unmasked personal data (R-Q-3, 等保2.0 audit of access to
personal information): each page or API answer that shows a full phone, ID number or credit
code writes one row, and a ledger export with full numbers one row for all its rows.

Callers pass what they actually showed unmasked and non-empty, so a masked page or a case
without an ID number logs nothing for it. The row is written in the request's own
transaction: a page that fails to render after the write still was a look."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from banchengshi.audit.models import PersonalDataView
from banchengshi.audit.selectors import require_audit_reader
from banchengshi.org.scope import Scope


class _Case(Protocol):
    @property
    def pk(self) -> int: ...

    @property
    def tracking_no(self) -> str: ...


class ShownCase(Protocol):
    """What a case page or API answer showed (cases.selectors.CaseDetail), named here without
    importing cases: cases depends on audit."""

    @property
    def case(self) -> _Case: ...

    @property
    def personal_data_visible(self) -> bool: ...

    @property
    def phone(self) -> str: ...

    @property
    def id_number(self) -> str: ...

    @property
    def credit_code(self) -> str: ...


FIELDS = ("phone", "id_number", "credit_code")
PAGE_SIZE = 50


def do_log_personal_data_view(
    user: User | None,
    *,
    path: str,
    subject: str,
    fields: list[str],
    case_id: int | None = None,
    rows: int = 1,
) -> None:
    if not fields:
        return
    PersonalDataView.objects.create(
        at=timezone.now(),
        user=user,
        user_label=(user.get_full_name() or user.get_username()) if user is not None else "",
        case_id=case_id,
        subject=subject[:64],
        fields=",".join(fields),
        path=path[:300],
        rows=rows,
    )


def shown_fields(unmasked: bool, **values: str) -> list[str]:
    """The names of the non-empty values a page showed in full."""
    return [name for name, value in values.items() if value] if unmasked else []


def log_case_view(request: HttpRequest, detail: ShownCase) -> None:
    """Log a case page's or API answer's look at the case's personal data, if unmasked."""
    log_request_view(
        request,
        subject=detail.case.tracking_no,
        case_id=detail.case.pk,
        unmasked=detail.personal_data_visible,
        phone=detail.phone,
        id_number=detail.id_number,
        credit_code=detail.credit_code,
    )


def log_request_view(
    request: HttpRequest,
    *,
    subject: str,
    unmasked: bool,
    case_id: int | None = None,
    **values: str,
) -> None:
    """Log the request's look at `values` (phone=…, id_number=…) if it showed them in full."""
    user = request.user if request.user.is_authenticated else None
    do_log_personal_data_view(
        user,
        path=request.get_full_path(),
        subject=subject,
        fields=shown_fields(unmasked, **values),
        case_id=case_id,
    )


def log_list_view(request: HttpRequest, *, subject: str, fields: list[str], rows: int) -> None:
    """Log a list page's look at `rows` rows whose `fields` it showed in full (none: no row)."""
    if rows:
        user = request.user if request.user.is_authenticated else None
        do_log_personal_data_view(
            user,
            path=request.get_full_path(),
            subject=subject,
            fields=fields,
            rows=rows,
        )


@dataclass(frozen=True)
class ViewFilters:
    user: str = ""
    subject: str = ""
    field: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def personal_data_views(scope: Scope, filters: ViewFilters) -> QuerySet[PersonalDataView]:
    """The log, newest first, for an inspector or office administrator; each filter is
    served by an index (at, user then at, subject then at)."""
    require_audit_reader(scope)
    rows = PersonalDataView.objects.select_related("user")
    if filters.user:
        rows = rows.filter(user__username=filters.user)
    if filters.subject:
        rows = rows.filter(subject=filters.subject)
    if filters.field in FIELDS:
        rows = rows.filter(fields__contains=filters.field)
    if filters.since is not None:
        rows = rows.filter(at__gte=filters.since)
    if filters.until is not None:
        rows = rows.filter(at__lt=filters.until)
    return rows.order_by("-at", "-id")
