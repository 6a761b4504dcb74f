"""Service evaluations for the demo district (好差评, R-NB-4): a few hundred ratings from every
channel over the last three months, through the real actions under a frozen clock, so that
their events, deadlines and reminders are what the engine makes. The 差评 are handled so that
each handling state shows (some overdue), and two are appealed: one upheld, one rejected.
Deterministic for a seed."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from banchengshi.cases.models import Satisfaction
from banchengshi.demo.district import District
from banchengshi.demo.people import mobile
from banchengshi.demo.replay import frozen_clock
from banchengshi.evaluation.actions.appeals import check_appeal, check_decide
from banchengshi.evaluation.actions.common import NewEvaluation
from banchengshi.evaluation.actions.handling import (
    check_answer,
    check_close,
    check_rectify,
    check_verify,
)
from banchengshi.evaluation.actions.invites import check_rate_invite, invite_by_sms
from banchengshi.evaluation.actions.recording import check_record, do_keep_external
from banchengshi.evaluation.actions.tablet import check_push, check_rate_push
from banchengshi.evaluation.models import (
    Evaluation,
    EvaluationChannel,
    HandlingStatus,
    SubjectKind,
)
from banchengshi.notify.models import OutboxMessage
from banchengshi.workdays.calendar import SHANGHAI

DAYS = 90
# Mostly good, as the district's real figures are; about one in twelve a 差评.
LEVEL_WEIGHTS = {5: 55, 4: 25, 3: 12, 2: 5, 1: 3}
GOOD_WORDS = ("办事效率高", "窗口人员很耐心", "一次就办好了", "指引清楚", "")
SMS_TEMPLATES = ("evaluation_invite", "evaluation_answer")
BAD_WORDS = ("排队时间太长", "材料要求说得不清楚", "跑了两次还没办好", "工作人员态度生硬")


@dataclass
class DemoEvaluations:
    ratings: int = 0
    bad: int = 0


def generate_evaluations(district: District, *, seed: int, count: int = 300) -> DemoEvaluations:
    """`count` ratings, none if the district has some already."""
    result = DemoEvaluations()
    if Evaluation.objects.exists():
        return result
    rng = random.Random(seed * 7919 + 13)
    now = timezone.now()
    windows = _windows(district)
    for index in range(count):
        at = _office_instant(rng, now - dt.timedelta(days=DAYS), now)
        level = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
        comment = rng.choice(BAD_WORDS if level <= 2 else GOOD_WORDS)
        with frozen_clock(at):
            evaluation = _rate(district, rng, windows, index, level, comment, at)
        result.ratings += 1
        if evaluation.is_bad:
            result.bad += 1
    _handle_bad_reviews(district, rng, now)
    # The numbers are invented: nothing of it waits in the outbox (as for the showcase).
    OutboxMessage.objects.filter(template__in=SMS_TEMPLATES).delete()
    return result


def _windows(district: District) -> list[tuple[int, User]]:
    """The window centers and a clerk of each."""
    return [(unit_id, clerk) for unit_id, clerk in sorted(district.clerk_for.items())]


def _office_instant(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    while True:
        moment = start + (end - start) * rng.random()
        local = moment.astimezone(SHANGHAI)
        if local.weekday() < 5 and 9 <= local.hour < 17:
            return moment


def _rate(
    district: District,
    rng: random.Random,
    windows: list[tuple[int, User]],
    index: int,
    level: int,
    comment: str,
    at: dt.datetime,
) -> Evaluation:
    channel = rng.choices(list(EvaluationChannel), weights=[45, 20, 10, 10, 15])[0]
    unit_id, clerk = rng.choice(windows)
    matters = [m.id for m in district.matters if unit_id in m.center_ids] or [
        district.matters[0].id
    ]
    if channel is EvaluationChannel.WINDOW_TABLET:
        pushed = check_push(clerk, unit_id=unit_id, matter_id=rng.choice(matters))
        return check_rate_push(clerk, pushed.pk, level=level, comment=comment)
    if channel is EvaluationChannel.SMS_LINK:
        kind = rng.choice((SubjectKind.REMOTE_SESSION, SubjectKind.DOOR_TO_DOOR))
        sent = invite_by_sms(
            clerk,
            subject_kind=kind,
            subject_id=f"{index + 1}",
            unit_id=unit_id,
            mobile=mobile(rng),
            staff_id=clerk.pk,
        )
        return check_rate_invite(sent.token, level=level, comment=comment)
    department = rng.choice(district.departments)
    if channel is EvaluationChannel.REVIEW_PLATFORM:
        evaluation, _ = do_keep_external(
            None,
            NewEvaluation(
                level=Satisfaction(level),
                subject_kind=SubjectKind.OTHER,
                channel=channel,
                unit_id=department.pk,
                evaluated_at=at,
                comment=comment,
                mobile=mobile(rng),
                external_source="review_platform",
                external_id=f"HCP-DEMO-{index + 1:05d}",
            ),
        )
        return evaluation
    return check_record(
        district.officeadmin,
        channel=channel,
        unit_id=unit_id if channel is EvaluationChannel.PAPER else department.pk,
        level=level,
        subject_kind=SubjectKind.WINDOW_TRANSACTION
        if channel is EvaluationChannel.PAPER
        else SubjectKind.OTHER,
        comment=comment,
        evaluated_at=at,
    )


# The newest 差评 stop at these numbers of steps (0 to verify … 3 to close), genuine or not:
# every handling state is on the demo's list.
NEWEST_STEPS = ((0, True), (1, True), (2, True), (2, False), (3, True), (1, False))
CLOSED = 4


def _handle_bad_reviews(district: District, rng: random.Random, now: dt.datetime) -> None:
    """Older 差评 closed, but every sixth left at its answer (overdue); the newest in each
    state; the first two of units with a leader or window head appealed, one upheld."""
    bad = list(
        Evaluation.objects.filter(handling__isnull=False)
        .select_related("handling")
        .order_by("evaluated_at", "id")
    )
    older = len(bad) - len(NEWEST_STEPS)
    for position, evaluation in enumerate(bad):
        if position >= older:
            steps, genuine = NEWEST_STEPS[position - older]
        else:
            steps, genuine = (1 if position % 6 == 5 else CLOSED), rng.random() < 0.7
        handler = (
            district.handler_for.get(evaluation.unit_id)
            or district.leader_for.get(evaluation.unit_id)
            or district.officeadmin
        )
        opened = evaluation.handling.opened_at
        for step in range(steps):
            # Spread over the time since it arrived: every step before now.
            with frozen_clock(opened + (now - opened) * (step + 1) / (steps + 2)):
                _step(handler, evaluation.pk, genuine)
    _appeal(district, bad, now)


def _appealer(district: District, unit_id: int) -> User | None:
    if unit_id == district.hall.pk:
        return district.users["windowhead"]
    return district.leader_for.get(unit_id)


def _appeal(district: District, bad: list[Evaluation], now: dt.datetime) -> None:
    appealed = [e for e in bad if _appealer(district, e.unit_id) is not None][:2]
    for evaluation, upheld in zip(appealed, (True, False), strict=False):
        person = _appealer(district, evaluation.unit_id)
        assert person is not None
        with frozen_clock(now - dt.timedelta(days=2)):
            appeal = check_appeal(
                person,
                evaluation.pk,
                reason="mistaken" if upheld else "malicious",
                explanation="评价人办理的并非本单位业务，评价对象有误，请求核销。"
                if upheld
                else "评价人当日多次提交相同差评，疑为恶意评价。",
            )
        with frozen_clock(now - dt.timedelta(days=1)):
            check_decide(
                district.officeadmin,
                appeal.pk,
                upheld=upheld,
                decision="经调取录像核实，属误评，不计入统计。"
                if upheld
                else "经核实评价有据，驳回申诉。",
            )


def _step(handler: User, evaluation_id: int, genuine: bool) -> None:
    task = Evaluation.objects.get(pk=evaluation_id).handling
    if task.status == HandlingStatus.TO_VERIFY:
        finding = "经核实，情况属实。" if genuine else "经核实，评价人所述与事实不符。"
        check_verify(handler, evaluation_id, genuine=genuine, finding=finding)
    elif task.status == HandlingStatus.TO_ANSWER:
        check_answer(handler, evaluation_id, answer="已电话联系评价人说明情况并致歉。")
    elif task.status == HandlingStatus.TO_RECTIFY:
        check_rectify(handler, evaluation_id, note="已对窗口人员开展一次性告知培训。")
    elif task.status == HandlingStatus.TO_CLOSE:
        check_close(handler, evaluation_id, note="")
