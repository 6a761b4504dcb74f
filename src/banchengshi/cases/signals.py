"""What the case engine tells the apps above it. The reports read the cases and the case engine
imports nothing of them, so it reaches them through this signal instead.

`past_intake_changed(sender=Case, day, district)` is sent inside the transaction of an action
that changes what was received on a past local day `day` (Asia/Shanghai): a case registered
with an earlier received_at (`district` True: every count of that day changes), or a case
received on an earlier day linked to another unit (`district` False: only the counts of the
units' scopes change). The dashboard's kept intake (reports.intake) forgets its counts from
that day on; a receiver that raises rolls the action back.

`case_registered(sender=Case, case)` is sent inside the transaction of every registration,
with the saved case (its matter and units in hand), before its audit event: the knowledge app
keeps the case's proposal there without reading the case again, and before the registration
takes the audit chain's head row, which every audited action of the district waits for. The
case has no tracking number yet (a placeholder starting with "~" stands in until the year's
sequence is advanced, last): a receiver must not store or send it.
"""

from __future__ import annotations

import datetime as dt

from django.dispatch import Signal
from django.utils import timezone

from banchengshi.cases.models import Case
from banchengshi.workdays.calendar import local_date

past_intake_changed = Signal()
case_registered = Signal()


def tell_if_past(received_at: dt.datetime, *, district: bool) -> None:
    """Send past_intake_changed when `received_at` is on a local day before today's."""
    day = local_date(received_at)
    if day < local_date(timezone.now()):
        past_intake_changed.send(sender=Case, day=day, district=district)
