"""Reads for the reports pages: the units a person may choose, the periods offered."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from banchengshi.org.models import Unit
from banchengshi.org.scope import scope_for
from banchengshi.reports.access import DISTRICT_READERS, UNIT_READERS
from banchengshi.reports.models import Interview, StoredReport
from banchengshi.reports.periods import Period, PeriodKind, containing


def readable_units(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Unit]:
    scope = scope_for(user)
    units = Unit.objects.filter(is_active=True).order_by("path")
    if scope.has_role(DISTRICT_READERS):
        return units
    paths = Unit.objects.filter(pk__in=scope.units_with_role(UNIT_READERS)).values_list(
        "path", flat=True
    )
    below = Q(pk__in=[])
    for path in paths:
        below |= Q(path__startswith=path)
    return units.filter(below)


def last_complete(kind: PeriodKind, today: dt.date) -> Period:
    """The period a report page opens on: the last month, quarter or year that has ended."""
    return containing(kind, today).previous()


STORED_SHOWN = 50


def stored_reports(user: AbstractBaseUser | AnonymousUser) -> QuerySet[StoredReport]:
    """The newest kept files the person may read (the district's for district readers, their
    units' for the others), at most STORED_SHOWN; one query on the newest-first index."""
    stored = StoredReport.objects.select_related("unit").order_by("-built_at", "-id")
    if not scope_for(user).has_role(DISTRICT_READERS):
        stored = stored.filter(unit__in=readable_units(user))
    return stored[:STORED_SHOWN]


def interviews_of(period: Period) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(period=period.label)
        .select_related("unit", "recorded_by", "rectification")
        .order_by("-held_on", "-id")
    )
