"""The demo's rectifications (R-KB-2). The showcase cases go through the engine, so each
department-side cause they record opens (or joins) an item through the knowledge listener, as
in production. Here a deterministic share of those items moves on through the real actions,
each under a clock frozen between the item's opening and now: of the items in order of
opening, every third stays open (the oldest first, so some are overdue), the next is reported
done with evidence by the owner unit's leader or handler, the one after is also verified by
the office. So the workbench's list shows open, overdue, done and verified items."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.utils import timezone

from banchengshi.demo.district import District
from banchengshi.demo.replay import frozen_clock
from banchengshi.knowledge.models import FixTarget, RectificationItem, RectificationStatus
from banchengshi.knowledge.rectification.actions import check_report_done, check_verify

# What each kind of fix did, in the words a unit would report it.
EVIDENCE = {
    FixTarget.IMPLEMENTATION_LIST: "已对照实施清单补齐事项要素，修订后的清单已在网上公布",
    FixTarget.PROCESS: "已精简办理流程，取消重复提交材料的环节，窗口人员已完成培训",
    FixTarget.SERVICE_GUIDE: "已修订办事指南，补充材料说明和示例样表，网上与窗口同步更新",
    FixTarget.SYSTEM: "已协调系统运维单位修复故障，并增加异常情况下的人工兜底办理",
    FixTarget.CONDUCT: "已对相关人员批评教育，并在科室内开展服务规范专题学习",
}
VERIFY_NOTE = "经抽查近期同类办件，问题已不再出现"
# Apart from the case generator's stream: the same items settle the same way whatever the
# number of cases asked for.
STREAM = 12


def settle_rectifications(
    district: District, *, seed: int, now: dt.datetime | None = None
) -> Counter[str]:
    """Move the open items on (see the module); the items by status afterwards, "overdue"
    counting the open ones past their deadline."""
    now = now or timezone.now()
    rng = random.Random(seed * 100 + STREAM)
    items = list(
        RectificationItem.objects.filter(status=RectificationStatus.OPEN).order_by(
            "opened_at", "id"
        )
    )
    for index, item in enumerate(items):
        step = index % 3
        reporter = district.leader_for.get(item.unit_id) or district.handler_for.get(item.unit_id)
        if step == 0 or reporter is None:
            continue
        done_at = _between(rng, item.opened_at, min(item.due, now))
        with frozen_clock(done_at):
            check_report_done(reporter, item.pk, evidence=EVIDENCE[FixTarget(item.target)])
        if step == 2:
            with frozen_clock(_between(rng, done_at, now)):
                check_verify(district.officeadmin, item.pk, note=VERIFY_NOTE)
    counts: Counter[str] = Counter(
        RectificationItem.objects.values_list("status", flat=True).order_by()
    )
    counts["overdue"] = RectificationItem.objects.filter(
        status=RectificationStatus.OPEN, due__lt=now
    ).count()
    return counts


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """An instant in the later part of start..end, to the minute; `start` when there is none."""
    if end <= start:
        return start
    span = (end - start).total_seconds()
    return (start + dt.timedelta(seconds=span * rng.uniform(0.4, 0.9))).replace(
        second=0, microsecond=0
    )
