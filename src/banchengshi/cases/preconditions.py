"""What must hold, beyond the state machine, before an action can succeed: one function per
action, read both by the action (under its row lock, to refuse) and by the case page (to offer
only the forms that can succeed). A precondition returns the reason it fails, or None.

What a precondition needs beyond the case row is read lazily through `CaseFacts`, so an action
pays only for the facts its own precondition reads, and the case page for each at most once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import (
    Case,
    ClockRequest,
    CoHandlingTask,
    ReturnVisit,
    State,
    TabletHandoff,
)
from banchengshi.cases.states import ACTIVE_STATES, Act
from banchengshi.errors import InvalidState


class CaseFacts:
    """Facts about a case that live in other tables, each read once when first asked for."""

    def __init__(self, case: Case, **known: bool) -> None:
        """`known`: facts the caller has read already (by their names below)."""
        self.case = case
        for name, value in known.items():
            if not isinstance(getattr(type(self), name, None), cached_property):
                raise TypeError(f"CaseFacts has no fact {name!r}")
            self.__dict__[name] = value

    @cached_property
    def pending_request(self) -> bool:
        return self.case.clock_requests.filter(decision=ClockRequest.Decision.PENDING).exists()

    @cached_property
    def open_tasks(self) -> bool:
        return self.case.cohandling_tasks.filter(state=CoHandlingTask.TaskState.OPEN).exists()

    @cached_property
    def visited_this_round(self) -> bool:
        return self.case.return_visits.filter(round=self.case.round).exists()

    @cached_property
    def rated_this_round(self) -> bool:
        return self.case.return_visits.filter(
            by=ReturnVisit.By.PETITIONER, round=self.case.round
        ).exists()


Reason = Promise | None
Precondition = Callable[[CaseFacts], Reason]


def _return(facts: CaseFacts) -> Reason:
    case = facts.case
    if case.owner_unit_id and case.owner_unit_id != case.handling_unit_id:
        return _("A case passed down by its owner goes back to the owner.")
    return None


def _request_extension(facts: CaseFacts) -> Reason:
    if facts.pending_request:
        return _("A request is already waiting for a decision.")
    return None


def _request_suspension(facts: CaseFacts) -> Reason:
    if facts.case.suspended_at is not None:
        return _("The case is already suspended.")
    return _request_extension(facts)


def _decide_request(facts: CaseFacts) -> Reason:
    if not facts.pending_request:
        return _("No extension or suspension request awaits a decision.")
    return None


def _resume(facts: CaseFacts) -> Reason:
    if facts.case.suspended_at is None:
        return _("The case is not suspended.")
    return None


def _reply(facts: CaseFacts) -> Reason:
    """A case in handling is answered when nothing is left open; a not-admissible one at once."""
    case = facts.case
    if case.state != State.IN_PROGRESS:
        return None
    if case.suspended_at is not None:
        return _("Resume the case before replying.")
    if not case.cause_code:
        return _("Record the cause analysis before replying.")
    if facts.open_tasks:
        return _("Co-handling tasks are still open.")
    if facts.pending_request:
        return _("An extension or suspension request awaits a decision.")
    return None


def _supervise(facts: CaseFacts) -> Reason:
    if facts.case.handling_unit_id is None:
        return _("This case was never with a unit; it cannot be supervised.")
    return None


def _close(facts: CaseFacts) -> Reason:
    if not facts.visited_this_round:
        return _("Record a return visit before closing.")
    return None


def _rate(facts: CaseFacts) -> Reason:
    if facts.case.handling_unit_id is None:
        return _("This appeal was not handled by a unit; there is nothing to rate.")
    if facts.rated_this_round:
        return _("You have already rated this answer. Thank you.")
    return None


def _window_rating(facts: CaseFacts) -> Reason:
    """The tablet at the window: the same answer the petitioner would rate on a public page,
    in the staff's words."""
    if facts.case.handling_unit_id is None:
        return _("This appeal was not handled by a unit; there is nothing to rate.")
    if facts.rated_this_round:
        return _("The petitioner has already rated this answer.")
    return None


def _attach(facts: CaseFacts) -> Reason:
    if facts.case.state == State.CLOSED:
        return _("A closed case takes no new files; it must be reopened first.")
    return None


def _link_similar(facts: CaseFacts) -> Reason:
    if facts.case.state not in ACTIVE_STATES:
        return _("Only open cases are linked with similar ones.")
    return None


PRECONDITIONS: dict[Act, Precondition] = {
    Act.RETURN: _return,
    Act.REQUEST_EXTENSION: _request_extension,
    Act.REQUEST_SUSPENSION: _request_suspension,
    Act.DECIDE_REQUEST: _decide_request,
    Act.RESUME: _resume,
    Act.REPLY: _reply,
    Act.SUPERVISE: _supervise,
    Act.CLOSE: _close,
    Act.RATE: _rate,
    Act.WINDOW_RATING: _window_rating,
    Act.ATTACH: _attach,
    Act.LINK_SIMILAR: _link_similar,
}


def blocker(act: Act, facts: CaseFacts) -> Reason:
    """Why `act` cannot succeed on the case now (the state allowing it), or None."""
    precondition = PRECONDITIONS.get(act)
    return precondition(facts) if precondition is not None else None


def handoff_blocker(handoff: TabletHandoff, case: Case, now: dt.datetime) -> Reason:
    """Why the tablet's rating screen `handoff` no longer takes a rating of `case` (beyond
    WINDOW_RATING's own precondition): read by the tablet's page and, under the case's lock,
    by cases.actions.tablet."""
    if handoff.used_at is not None:
        return _("This rating screen has been used already; open a new one on the case page.")
    if handoff.round != case.round:
        return _(
            "The case was reopened after this rating screen was opened; open a new one on the "
            "case page."
        )
    if now >= handoff.expires_at:
        return _("This rating screen has expired; open a new one on the case page.")
    return None


def require_possible(act: Act, facts: CaseFacts) -> None:
    reason = blocker(act, facts)
    if reason is not None:
        raise InvalidState(reason)
