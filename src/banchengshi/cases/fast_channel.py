"""The fast channel's figures (绿色通道, seed 004) for the reports: cases received in a period
on the fast channel, per registering unit, with how many were of each special group. One
GROUP BY over the partial index case_fast_channel (only the fast channel's cases)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from banchengshi.cases.models import Case
from banchengshi.cases.special_groups import SpecialGroup
from banchengshi.policy.deadlines import SHANGHAI


@dataclass(frozen=True)
class FastChannelCount:
    """In the order of SpecialGroup after the unit and the cases."""

    unit_id: int
    cases: int
    elderly: int
    disabled: int
    limited_mobility: int


def fast_channel_counts(
    *, since: dt.date, until: dt.date, unit_ids: list[int] | None = None
) -> list[FastChannelCount]:
    """Days `since` to `until` inclusive, Asia/Shanghai; every registering unit, or those
    given. A case of two groups counts once in `cases` and once in each group."""
    start = dt.datetime.combine(since, dt.time.min, tzinfo=SHANGHAI)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)
    cases = Case.objects.filter(fast_channel=True, received_at__gte=start, received_at__lt=end)
    if unit_ids is not None:
        cases = cases.filter(registered_unit_id__in=unit_ids)
    groups = {group.value: Count("id", filter=Q(**{group.value: True})) for group in SpecialGroup}
    rows = (
        cases.order_by()
        .values_list("registered_unit_id")
        .annotate(cases=Count("id"), **groups)
        .order_by("registered_unit_id")
    )
    return [FastChannelCount(*row) for row in rows]
