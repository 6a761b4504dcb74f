"""The demo driver that goes through the engine (journey.Driver): every step is the real
`check_*` action, under a clock frozen at the step's instant, so the showcase cases of
`make run` are made exactly as people would make them, audit chain included.
The case is read back after every step, so the journey continues from what the engine did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.utils import timezone

from banchengshi.cases.actions.answer import (
    check_reply_case,
    check_return_visit,
    check_supervise_case,
    do_close_case,
)
from banchengshi.cases.actions.clock_requests import (
    check_decide_request,
    check_request_extension,
    check_request_suspension,
    do_resume_case,
)
from banchengshi.cases.actions.cohandling import check_answer_cohandling, check_request_cohandling
from banchengshi.cases.actions.dispatch import (
    check_dispatch_case,
    check_resolve_on_spot,
    check_return_case,
    check_screen_case,
    do_dispatch_down,
    do_receive_case,
)
from banchengshi.cases.actions.handling import check_record_cause, check_record_contact
from banchengshi.cases.actions.registration import check_register_case
from banchengshi.cases.models import Case, Clock, ClockKind, WorkItem, WorkKind
from banchengshi.cases.registration import Registration
from banchengshi.demo.journey import Stop
from banchengshi.demo.plans import Draft
from banchengshi.errors import InvalidInput, InvalidState

T = TypeVar("T")


@contextmanager
def frozen_clock(at: dt.datetime) -> Iterator[None]:
    """`timezone.now()` answers `at` inside the block: the actions stamp their rows and audit
    events with it, and every auto_now field follows. Process-wide, so only for a command that
    runs alone (the demo), never in a server."""
    real = timezone.now
    setattr(timezone, "now", lambda: at)  # noqa: B010 (mypy refuses assigning to a function)
    try:
        yield
    finally:
        setattr(timezone, "now", real)  # noqa: B010


def _refused_for(exc: InvalidInput, *names: str) -> bool:
    """Whether the action refused only for one of these fields: a refusal the journey expects
    (a deadline in a year the calendar does not know yet, an extension beyond the cap)."""
    return set(exc.errors) <= set(names)


class ActionDriver:
    def __init__(self, draft: Draft) -> None:
        self.case: Any = draft.case  # the draft's Row, then the registered Case
        self.events = 0  # one audit event per step taken

    def _step(self, at: dt.datetime, act: Callable[[], T]) -> T:
        try:
            with frozen_clock(at):
                result = act()
        except InvalidInput as exc:
            if _refused_for(exc, "deadline"):
                # A deadline in a year the calendar does not know yet (late December, before
                # the next year's schedule is loaded): the engine refuses the step, so the
                # case stays where it is, as it would for the people using it.
                raise Stop from None
            raise
        self.case = Case.objects.get(pk=self.case.pk)
        self.events += 1
        return result

    def reply_due(self) -> dt.datetime | None:
        clock = (
            Clock.objects.filter(
                case_id=self.case.pk,
                kind=ClockKind.REPLY,
                stopped_at__isnull=True,
                task__isnull=True,
            )
            .order_by("due")
            .first()
        )
        return clock.due if clock else None

    def register(self, at: dt.datetime, actor: User) -> None:
        row = self.case
        data = Registration(**{f.name: getattr(row, f.name) for f in fields(Registration)})
        with frozen_clock(at):
            self.case = check_register_case(actor, data)
        self.events += 1

    def screen_accept(
        self,
        at: dt.datetime,
        actor: User,
        *,
        category: str,
        complexity: str,
        target: int | None,
    ) -> None:
        # `target` is the generator's guess; the engine dispatches by its own rule.
        self._step(
            at,
            lambda: check_screen_case(
                actor, self.case.pk, admissible=True, category=category, complexity=complexity
            ),
        )

    def screen_not_admissible(self, at: dt.datetime, actor: User, reason: str) -> None:
        self._step(
            at, lambda: check_screen_case(actor, self.case.pk, admissible=False, reason=reason)
        )

    def resolve_on_spot(self, at: dt.datetime, actor: User, reply: str) -> None:
        self._step(at, lambda: check_resolve_on_spot(actor, self.case.pk, reply=reply))

    def dispatch(self, at: dt.datetime, actor: User, unit_id: int) -> None:
        self._step(at, lambda: check_dispatch_case(actor, self.case.pk, unit_id=unit_id))

    def receive(self, at: dt.datetime, actor: User) -> None:
        self._step(at, lambda: do_receive_case(actor, self.case.pk))

    def return_case(self, at: dt.datetime, actor: User, reason: str) -> None:
        self._step(at, lambda: check_return_case(actor, self.case.pk, reason=reason))

    def dispatch_down(self, at: dt.datetime, actor: User, unit_id: int) -> None:
        self._step(at, lambda: do_dispatch_down(actor, self.case.pk, unit_id=unit_id))

    def request_cohandling(
        self, at: dt.datetime, actor: User, *, unit_id: int, request: str, days: int
    ) -> Any | None:
        try:
            return self._step(
                at,
                lambda: check_request_cohandling(
                    actor, self.case.pk, unit_id=unit_id, request=request, days=days
                ),
            )
        except Stop:  # the journey goes on without it, as the simulation's does
            return None

    def answer_cohandling(self, at: dt.datetime, actor: User, task: Any, answer: str) -> None:
        self._step(
            at, lambda: check_answer_cohandling(actor, self.case.pk, task_id=task.pk, answer=answer)
        )

    def record_contact(self, at: dt.datetime, actor: User, *, method: str, outcome: str) -> None:
        self._step(
            at,
            lambda: check_record_contact(
                actor, self.case.pk, method=method, outcome=outcome, contacted_at=at
            ),
        )

    def record_cause(
        self, at: dt.datetime, actor: User, *, code: str, side: str, note: str
    ) -> None:
        self._step(
            at, lambda: check_record_cause(actor, self.case.pk, code=code, note=note, side=side)
        )

    def request_extension(self, at: dt.datetime, actor: User, reason: str, days: int) -> Any | None:
        try:
            return self._step(
                at, lambda: check_request_extension(actor, self.case.pk, days=days, reason=reason)
            )
        except InvalidInput as exc:
            if not _refused_for(exc, "days"):
                raise
            return None
        except (InvalidState, Stop):  # no reply deadline running, or one in an unknown year
            return None

    def request_suspension(self, at: dt.datetime, actor: User, reason: str) -> Any:
        return self._step(at, lambda: check_request_suspension(actor, self.case.pk, reason=reason))

    def decide(
        self, at: dt.datetime, actor: User, request: Any, *, approve: bool, note: str
    ) -> None:
        self._step(
            at,
            lambda: check_decide_request(
                actor, self.case.pk, request_id=request.pk, approve=approve, note=note
            ),
        )

    def resume(self, at: dt.datetime, actor: User) -> None:
        self._step(at, lambda: do_resume_case(actor, self.case.pk))

    def reply(self, at: dt.datetime, actor: User, *, text: str, channel: str) -> None:
        self._step(at, lambda: check_reply_case(actor, self.case.pk, text=text, channel=channel))

    def return_visit(
        self,
        at: dt.datetime,
        actor: User,
        *,
        by: str,
        satisfaction: int,
        solved: bool,
        comment: str,
    ) -> bool:
        # `by` follows from the actor's roles in the engine.
        self._step(
            at,
            lambda: check_return_visit(
                actor, self.case.pk, satisfaction=satisfaction, solved=solved, comment=comment
            ),
        )
        return WorkItem.objects.filter(case_id=self.case.pk, kind=WorkKind.SUPERVISE).exists()

    def supervise(self, at: dt.datetime, actor: User, *, reason: str, days: int) -> bool:
        try:
            self._step(
                at, lambda: check_supervise_case(actor, self.case.pk, reason=reason, days=days)
            )
        except Stop:
            return False
        return True

    def close(self, at: dt.datetime, actor: User) -> None:
        self._step(at, lambda: do_close_case(actor, self.case.pk))
