"""The journey of one demo case: the steps its plan asks for, at instants drawn in office
hours, taken through a `Driver`.

Two drivers take the same steps: `simulation.Simulation` changes rows in memory for the bulk
writer (fast, for volume and benchmarks), `replay.ActionDriver` calls the engine's actions
under a clock frozen at each step's instant (the showcase of `make run`). Both draw from the
same random stream in the same order, and the drive reads the case back from the driver after
every step, so a driver that disagrees with the engine makes a different case, which
tests/demo/test_replay.py compares row by row.

The drive stops at the first step that would happen after now, so old cases are mostly closed
while recent ones are open at every stage; a planned stall stops it at a chosen step.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from typing import Any, Protocol

from django.contrib.auth.models import User

from banchengshi.cases import causes
from banchengshi.cases.models import Channel, ReturnVisit
from banchengshi.demo import texts
from banchengshi.demo.plans import IMMEDIATE_CHANNELS, Draft, Generator, Plan
from banchengshi.policy.deadlines import local_date


class Stop(Exception):
    """The drive of one case ends here (the next step lies after now, or a planned stall)."""


class Driver(Protocol):
    """Takes the steps of a journey. `case` is the case as it stands (the draft's row before
    registration); a step the engine would refuse returns None or False where the journey
    can go on without it, and raises otherwise."""

    case: Any

    def reply_due(self) -> dt.datetime | None: ...

    def register(self, at: dt.datetime, actor: User) -> None: ...

    def screen_accept(
        self,
        at: dt.datetime,
        actor: User,
        *,
        category: str,
        complexity: str,
        target: int | None,
    ) -> None: ...

    def screen_not_admissible(self, at: dt.datetime, actor: User, reason: str) -> None: ...

    def resolve_on_spot(self, at: dt.datetime, actor: User, reply: str) -> None: ...

    def dispatch(self, at: dt.datetime, actor: User, unit_id: int) -> None: ...

    def receive(self, at: dt.datetime, actor: User) -> None: ...

    def return_case(self, at: dt.datetime, actor: User, reason: str) -> None: ...

    def dispatch_down(self, at: dt.datetime, actor: User, unit_id: int) -> None: ...

    def request_cohandling(
        self, at: dt.datetime, actor: User, *, unit_id: int, request: str, days: int
    ) -> Any | None: ...

    def answer_cohandling(self, at: dt.datetime, actor: User, task: Any, answer: str) -> None: ...

    def record_contact(
        self, at: dt.datetime, actor: User, *, method: str, outcome: str
    ) -> None: ...

    def record_cause(
        self, at: dt.datetime, actor: User, *, code: str, side: str, note: str
    ) -> None: ...

    def request_extension(
        self, at: dt.datetime, actor: User, reason: str, days: int
    ) -> Any | None: ...

    def request_suspension(self, at: dt.datetime, actor: User, reason: str) -> Any: ...

    def decide(
        self, at: dt.datetime, actor: User, request: Any, *, approve: bool, note: str
    ) -> None: ...

    def resume(self, at: dt.datetime, actor: User) -> None: ...

    def reply(self, at: dt.datetime, actor: User, *, text: str, channel: str) -> None: ...

    def return_visit(
        self,
        at: dt.datetime,
        actor: User,
        *,
        by: str,
        satisfaction: int,
        solved: bool,
        comment: str,
    ) -> bool: ...

    def supervise(self, at: dt.datetime, actor: User, *, reason: str, days: int) -> bool: ...

    def close(self, at: dt.datetime, actor: User) -> None: ...


def drive(g: Generator, draft: Draft, sim: Driver, plan: Plan) -> None:
    """Take the case through its plan, up to now or its planned stall."""
    with suppress(Stop):
        _drive(g, draft, sim, plan)


def _drive(g: Generator, draft: Draft, sim: Driver, plan: Plan) -> None:
    rng, d, now = g.rng, g.d, g.now
    case = draft.case  # what the drive reads before registration; sim.case after it
    matter = draft.matter
    last = [plan.received_at]

    def step(instant: dt.datetime) -> dt.datetime:
        if instant <= last[0]:
            instant = last[0] + dt.timedelta(minutes=rng.uniform(1, 5))
        if instant >= now:
            if not plan.forced:
                raise Stop
            instant = last[0] + (now - last[0]) * rng.uniform(0.2, 0.5)
        last[0] = instant
        return instant

    def stall(point: str) -> None:
        if plan.stall == point:
            raise Stop

    received = plan.received_at
    window = plan.channel == Channel.WINDOW
    if window:
        clerk = d.clerk_for[case.registered_unit_id]
        registered_at = received + dt.timedelta(minutes=rng.uniform(2, 15))
    elif plan.channel in IMMEDIATE_CHANNELS:
        clerk = d.dispatcher
        registered_at = received + dt.timedelta(seconds=rng.uniform(3, 90))
    else:
        clerk = d.dispatcher
        registered_at = g.later(received, 20, 240)
    if registered_at >= now:  # a case always exists once received
        registered_at = received + (now - received) * 0.5
    last[0] = registered_at
    sim.register(registered_at, clerk)
    stall("register")
    matter_name = matter.name if matter else sim.case.matter_text
    if plan.on_spot:
        at = step(received + dt.timedelta(minutes=rng.uniform(8, 45)))
        sim.resolve_on_spot(at, clerk, texts.on_spot_reply(rng, matter_name, sim.case.category))
        return
    at = step(g.later(last[0], 10, 240))
    if plan.not_admissible:
        sim.screen_not_admissible(at, clerk, texts.not_admissible_reason(rng))
        stall("na_screen")
        late = rng.random() < 0.08
        at = step(g.workdays_later(at, rng.randint(4, 5) if late else rng.randint(0, 2)))
        sim.reply(
            at,
            clerk,
            text=texts.not_admissible_reply(rng),
            channel=rng.choice(("phone", "sms", "letter")),
        )
        return
    category, complexity = "", ""
    if rng.random() < 0.15:
        category = g.pick(g.categories)
    if rng.random() < 0.15 and not plan.complexity:
        complexity = g.pick(g.complexities)
    sim.screen_accept(
        at, clerk, category=category, complexity=complexity, target=g.auto_target(case, matter)
    )
    stall("screen")
    dispatcher = d.dispatcher
    if plan.returned:
        if sim.case.handling_unit_id is None:
            at = step(g.later(at, 30, 480))
            sim.dispatch(at, dispatcher, g.manual_target(draft, None))
        wrong = sim.case.handling_unit_id
        assert wrong is not None
        at = step(g.later(at, 60, 1440))
        sim.return_case(at, g.handler(wrong), texts.return_reason(rng))
        stall("return")
        at = step(g.later(at, 30, 600))
        sim.dispatch(at, dispatcher, g.manual_target(draft, wrong))
    elif sim.case.handling_unit_id is None:
        at = step(g.later(at, 30, 600))
        sim.dispatch(at, dispatcher, g.manual_target(draft, None))
    stall("dispatch")
    handling = sim.case.handling_unit_id
    assert handling is not None
    slow = rng.random() < 0.1
    at = step(g.workdays_later(at, rng.randint(1, 3)) if slow else g.later(at, 20, 600))
    sim.receive(at, g.handler(handling))
    stall("receive")
    child = g._child_of_owner(matter) if matter else None
    if plan.dispatch_down and child and matter and handling == matter.owner_id:
        at = step(g.later(at, 10, 240))
        sim.dispatch_down(at, g.d.leader_for.get(handling, g.handler(handling)), child)
        handling = child
    actor = g.handler(handling)
    method = rng.choices(("phone", "sms", "in_person", "visit"), weights=(70, 15, 10, 5))[0]
    at = step(g.later(at, 5, 300))
    sim.record_contact(at, actor, method=method, outcome=texts.contact_outcome(rng, method))
    stall("contact")
    code = g.pick(g.causes)
    if sim.case.category == "complaint" and rng.random() < 0.6:
        code = "staff_conduct"
    elif sim.case.category == "suggestion":
        code = rng.choice(("process", "implementation_list", "policy", "other"))
    elif sim.case.category == "consultation" and code in ("staff_conduct", "system_fault"):
        code = rng.choice(("policy", "implementation_list"))
    cause = causes.get(code)
    assert cause is not None
    side = cause.side if cause.side != "either" else rng.choice(("petitioner", "department"))
    at = step(g.later(at, 10, 180))
    sim.record_cause(at, actor, code=code, side=side, note=texts.cause_note(rng, code))
    stall("cause")
    if plan.cohandling:
        others = [u.pk for u in d.departments if u.pk not in (sim.case.owner_unit_id, handling)]
        unit = rng.choice(others)
        days = rng.choice((2, 3, 5))
        at = step(g.later(at, 30, 480))
        task = sim.request_cohandling(
            at, actor, unit_id=unit, request=texts.cohandling_request(rng, matter_name), days=days
        )
        if task is not None:
            stall("cohandling_open")
            late = rng.random() < 0.1
            answer_days = days + rng.randint(1, 3) if late else rng.randint(0, days)
            at = step(g.workdays_later(at, answer_days))
            sim.answer_cohandling(at, g.handler(unit), task, texts.cohandling_answer(rng))
    if plan.extension and sim.case.complexity in ("complex", "special"):
        at = step(g.workdays_later(at, rng.randint(0, 2)))
        reason = texts.extension_reason(rng)
        # The first number of days the engine allows (the policy may cap extensions).
        request = None
        for extra in rng.sample(range(1, 6), 5):
            request = sim.request_extension(at, actor, reason, extra)
            if request is not None:
                break
        if request is not None:
            stall("extension_pending")
            approve = plan.stall == "extended" or rng.random() < 0.85
            at = step(g.later(at, 30, 360))
            approver = dispatcher if rng.random() < 0.8 else d.officeadmin
            note = texts.decision_note(rng, approve)
            sim.decide(at, approver, request, approve=approve, note=note)
            stall("extended")
    if plan.suspension:
        at = step(g.later(at, 60, 1440))
        request = sim.request_suspension(at, actor, texts.suspension_reason(rng))
        at = step(g.later(at, 30, 360))
        sim.decide(at, dispatcher, request, approve=True, note=texts.decision_note(rng, True))
        stall("suspended")
        at = step(g.workdays_later(at, rng.randint(2, 8)))
        sim.resume(at, actor)
    at = step(_reply_time(g, sim, at))
    sim.reply(
        at,
        actor,
        text=texts.reply(rng, code, matter_name, sim.case.category),
        channel=rng.choice(("sms", "phone", "phone")),
    )
    stall("reply")
    satisfaction, solved = _satisfaction(g, plan)
    if plan.unit_visit and not plan.unhappy:
        at = step(g.later(at, 120, 1440))
        sim.return_visit(
            at,
            actor,
            by=ReturnVisit.By.UNIT.value,
            satisfaction=satisfaction,
            solved=solved,
            comment=texts.visit_comment(rng, satisfaction),
        )
    at = step(g.workdays_later(at, rng.randint(1, 3)))
    unhappy = sim.return_visit(
        at,
        dispatcher,
        by=ReturnVisit.By.HUB.value,
        satisfaction=satisfaction,
        solved=solved,
        comment=texts.visit_comment(rng, satisfaction),
    )
    if not unhappy:
        stall("visit")
    if unhappy:
        stall("unhappy_visit")
        if plan.supervise or (plan.stall is None and rng.random() < 0.75):
            at = step(g.later(at, 60, 2880))
            reason = texts.supervision_reason(rng)
            if sim.supervise(at, dispatcher, reason=reason, days=rng.choice((3, 5))):
                stall("supervise")
                at = step(g.later(at, 60, 1440))
                outcome = texts.contact_outcome(rng, "phone")
                sim.record_contact(at, actor, method="phone", outcome=outcome)
                at = step(_reply_time(g, sim, at))
                text = texts.reply(rng, code, matter_name, sim.case.category)
                sim.reply(at, actor, text=text, channel="phone")
                satisfaction = rng.choice((3, 4, 4, 5))
                at = step(g.workdays_later(at, rng.randint(1, 2)))
                sim.return_visit(
                    at,
                    dispatcher,
                    by=ReturnVisit.By.HUB.value,
                    satisfaction=satisfaction,
                    solved=True,
                    comment=texts.visit_comment(rng, satisfaction),
                )
    at = step(g.workdays_later(at, rng.randint(0, 2)))
    sim.close(at, dispatcher)


def _reply_time(g: Generator, sim: Driver, after: dt.datetime) -> dt.datetime:
    """Most replies come before the reply deadline; about one in eight is late."""
    rng = g.rng
    soon = g.later(after, 30, 240)
    due = sim.reply_due()
    if due is None:
        return g.workdays_later(after, rng.randint(1, 4))
    if rng.random() < 0.12:
        return max(soon, g.workdays_later(due, rng.randint(1, 4)))
    if soon >= due:
        return soon
    target = g.office(after + (due - after) * rng.uniform(0.05, 0.9))
    if target > due:
        target = g.at_minute(local_date(due), 540 + rng.randrange(480))
    return max(soon, target) if target > after else soon


def _satisfaction(g: Generator, plan: Plan) -> tuple[int, bool]:
    rng = g.rng
    if plan.unhappy:
        return rng.choice((1, 2, 2)), rng.random() < 0.3
    satisfaction = rng.choices((5, 4, 3, 2, 1), weights=(55, 25, 12, 6, 2))[0]
    solved = rng.random() < (0.95 if satisfaction >= 3 else 0.4)
    return satisfaction, solved
