"""Periodic jobs of the working-day calendar (scheduler.registry)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from banchengshi.notify.inbox import notify, people_with
from banchengshi.notify.models import Notification, NotificationKind
from banchengshi.scheduler.registry import periodic
from banchengshi.workdays.calendar import local_date
from banchengshi.workdays.missing import REMINDED_ROLES, missing_next_year


@periodic(name="calendar.missing_year", daily_at=dt.time(8, 0))
def remind_missing_year(slot: dt.datetime) -> None:
    """From the configured day, tell the administrators that next year's schedule is missing;
    one notice per person and year while they have not read the last one (so a run again for
    the slot, or the next day's, adds nothing to an unread notice)."""
    year = missing_next_year(local_date(slot))
    if year is None:
        return
    with transaction.atomic():
        people = people_with(REMINDED_ROLES)
        unread = set(
            Notification.objects.filter(
                user_id__in=people,
                read_at__isnull=True,
                kind=NotificationKind.CALENDAR_MISSING_YEAR,
                params__year=year,
            ).values_list("user_id", flat=True)
        )
        notify(
            user_ids=[person for person in people if person not in unread],
            kind=NotificationKind.CALENDAR_MISSING_YEAR,
            params={"year": year},
        )
