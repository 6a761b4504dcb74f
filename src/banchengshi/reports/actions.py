"""Keeping report files: built once per period, scope and format; built again, the newer file
replaces the older (a month's figures grow truer as its cases finish)."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from banchengshi.notify.inbox import notify, people_with
from banchengshi.notify.models import NotificationKind
from banchengshi.org.models import Role
from banchengshi.reports.build import Format, build_report
from banchengshi.reports.models import StoredReport
from banchengshi.reports.periods import Period
from banchengshi.reports.scopes import ReportScope

# Who is told that the district's reports are ready.
TOLD = (Role.OFFICE_ADMIN,)


def do_store_report(
    kind: str, period: str, scope: ReportScope, fmt: Format, *, by: User | None = None
) -> StoredReport:
    built = build_report(kind, period, scope, fmt.value)
    with transaction.atomic():
        old = (
            StoredReport.objects.select_for_update()
            .filter(
                kind=kind,
                period=built.figures.period.label,
                unit=scope.unit,
                units_below=scope.below,
                format=fmt.value,
            )
            .first()
        )
        stored = old or StoredReport(
            kind=kind,
            period=built.figures.period.label,
            unit=scope.unit,
            units_below=scope.below,
            format=fmt.value,
        )
        replaced = old.file.name if old else None
        stored.size = len(built.content)
        stored.sha256 = hashlib.sha256(built.content).hexdigest()
        stored.built_at = timezone.now()
        stored.built_by = by
        stored.file.save(built.filename, ContentFile(built.content), save=False)
        stored.save()
        if replaced:
            storage = stored.file.storage
            transaction.on_commit(lambda: storage.delete(replaced))
    return stored


def do_store_district_reports(kind: str, period: Period) -> list[StoredReport]:
    """The district's report of `period` in every format, and a notice to the office."""
    stored = [
        do_store_report(kind, period.label, ReportScope(), fmt)
        for fmt in (Format.PDF, Format.DOCX, Format.XLSX, Format.JSON)
    ]
    notify(
        user_ids=people_with(TOLD),
        kind=NotificationKind.REPORT_READY,
        params={"kind": kind, "period": period.label},
    )
    return stored
