"""Next year's schedule, before it is loaded: from a configurable day of the year
(`BANCHENGSHI_CALENDAR_WARN_FROM`, 1 November by default) the system administrators and the
office's administrators are reminded, by a banner on the workbench and a daily notice
(`workdays.jobs`), until the year is loaded (R-SLA-1)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from banchengshi.org.models import Role
from banchengshi.workdays.registry import current_calendar

# Who loads a year, or has it loaded: the banner and the notice are for them.
REMINDED_ROLES = frozenset({Role.SYSADMIN, Role.OFFICE_ADMIN})


def warn_from(year: int) -> dt.date:
    """The day of `year` from which a missing next year is announced."""
    value = str(settings.BANCHENGSHI_CALENDAR_WARN_FROM)
    try:
        month, day = (int(part) for part in value.split("-"))
        return dt.date(year, month, day)
    except ValueError:
        raise ImproperlyConfigured(
            f"BANCHENGSHI_CALENDAR_WARN_FROM must be a day of the year as MM-DD such as 11-01, "
            f"got {value!r}"
        ) from None


def missing_next_year(today: dt.date) -> int | None:
    """Next year, when from `today` on it should be loaded and is not; else None."""
    if today < warn_from(today.year):
        return None
    following = today.year + 1
    return None if current_calendar().knows(following) else following
