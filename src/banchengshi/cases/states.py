"""The case lifecycle: which action may run in which state (DESIGN.md, "The case lifecycle")."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import State
from banchengshi.errors import InvalidState


class Act(StrEnum):
    VIEW = "view"
    SCREEN = "screen"
    RESOLVE_ON_SPOT = "resolve_on_spot"
    DISPATCH = "dispatch"
    RECEIVE = "receive"
    RETURN = "return"
    DISPATCH_DOWN = "dispatch_down"
    REQUEST_COHANDLING = "request_cohandling"
    ANSWER_COHANDLING = "answer_cohandling"
    RECORD_CONTACT = "record_contact"
    RECORD_CAUSE = "record_cause"
    REQUEST_EXTENSION = "request_extension"
    REQUEST_SUSPENSION = "request_suspension"
    DECIDE_REQUEST = "decide_request"
    RESUME = "resume"
    REPLY = "reply"
    RETURN_VISIT = "return_visit"
    SUPERVISE = "supervise"
    CLOSE = "close"
    # The petitioner's own rating (cases.actions.answer.check_rate_case); no staff role may do it.
    RATE = "rate"
    # A clerk of the registering center hands the window's tablet to the petitioner, who rates
    # there (cases.actions.tablet): the rating is still the petitioner's, the clerk its operator.
    WINDOW_RATING = "window_rating"
    # Not in ALLOWED_STATES: adding a file changes no state; cases.attachments refuses it on a
    # closed case, which only reopening may change (R-RV-4).
    ATTACH = "attach"
    # Draft a knowledge entry from the closed case (knowledge.actions, "收入案例库").
    ADD_TO_LIBRARY = "add_to_library"
    # 举一反三 (R-KB-3): an open case joins a group of similar ones answered together
    # (knowledge.hotspots); the group is the knowledge app's, the audit event the case's. Not in
    # ALLOWED_STATES (it is no form of the case page): its precondition asks for an open case.
    LINK_SIMILAR = "link_similar"


S = State
ACTIVE_STATES = frozenset(
    {S.REGISTERED, S.NOT_ADMISSIBLE, S.AWAITING_DISPATCH, S.DISPATCHED, S.IN_PROGRESS}
)
ALLOWED_STATES: dict[Act, frozenset[State]] = {
    Act.SCREEN: frozenset({S.REGISTERED}),
    Act.RESOLVE_ON_SPOT: frozenset({S.REGISTERED}),
    Act.DISPATCH: frozenset({S.AWAITING_DISPATCH}),
    Act.RECEIVE: frozenset({S.DISPATCHED}),
    Act.RETURN: frozenset({S.DISPATCHED, S.IN_PROGRESS}),
    Act.DISPATCH_DOWN: frozenset({S.IN_PROGRESS}),
    Act.REQUEST_COHANDLING: frozenset({S.IN_PROGRESS}),
    Act.ANSWER_COHANDLING: frozenset({S.IN_PROGRESS}),
    Act.RECORD_CONTACT: frozenset({S.DISPATCHED, S.IN_PROGRESS}),
    Act.RECORD_CAUSE: frozenset({S.IN_PROGRESS}),
    Act.REQUEST_EXTENSION: frozenset({S.IN_PROGRESS}),
    Act.REQUEST_SUSPENSION: frozenset({S.IN_PROGRESS}),
    Act.DECIDE_REQUEST: frozenset({S.IN_PROGRESS}),
    Act.RESUME: frozenset({S.IN_PROGRESS}),
    Act.REPLY: frozenset({S.IN_PROGRESS, S.NOT_ADMISSIBLE}),
    Act.RETURN_VISIT: frozenset({S.REPLIED}),
    Act.SUPERVISE: frozenset({S.REPLIED, S.CLOSED}),
    Act.CLOSE: frozenset({S.REPLIED}),
    Act.RATE: frozenset({S.REPLIED, S.CLOSED}),
    Act.WINDOW_RATING: frozenset({S.REPLIED, S.CLOSED}),
    Act.ADD_TO_LIBRARY: frozenset({S.CLOSED}),
}


def require_state(act: Act, state: str) -> None:
    allowed = ALLOWED_STATES.get(act)
    if allowed is not None and state not in allowed:
        raise InvalidState(
            _("This cannot be done now: the case is %(state)s.") % {"state": State(state).label}
        )
