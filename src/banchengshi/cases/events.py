"""The names of what happens to a case, and their wording for the staff (Saleor's order events).

Each action writes one audit event named by a member of `CaseEvent`; the case page, the
inspector's trail, the public tracking page, the hub's queues and the demo generator all read
this enum, never a string of their own. `tests/cases/test_events.py` fails when a member has no
wording in Chinese and English.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class CaseEvent(StrEnum):
    REGISTER = "register"
    SCREEN_ACCEPT = "screen_accept"
    SCREEN_NOT_ADMISSIBLE = "screen_not_admissible"
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
    APPROVE_EXTENSION = "approve_extension"
    REFUSE_EXTENSION = "refuse_extension"
    APPROVE_SUSPENSION = "approve_suspension"
    REFUSE_SUSPENSION = "refuse_suspension"
    RESUME = "resume"
    REPLY = "reply"
    RETURN_VISIT = "return_visit"
    RATE = "rate"
    WINDOW_RATING = "window_rating"
    SUPERVISE = "supervise"
    CLOSE = "close"
    ATTACH = "attach"
    ADD_TO_LIBRARY = "add_to_library"
    LINK_SIMILAR = "link_similar"
    # Not a person's action: loading a year's holiday schedule recomputed provisional deadlines.
    RECOMPUTE_DEADLINES = "recompute_deadlines"


E = CaseEvent
LABELS: dict[CaseEvent, Promise] = {
    E.REGISTER: _("Registered"),
    E.SCREEN_ACCEPT: _("Accepted"),
    E.SCREEN_NOT_ADMISSIBLE: _("Found not admissible"),
    E.RESOLVE_ON_SPOT: _("Resolved on the spot"),
    E.DISPATCH: _("Dispatched"),
    E.RECEIVE: _("Signed for"),
    E.RETURN: _("Returned to the hub"),
    E.DISPATCH_DOWN: _("Passed down"),
    E.REQUEST_COHANDLING: _("Co-handling requested"),
    E.ANSWER_COHANDLING: _("Co-handling answered"),
    E.RECORD_CONTACT: _("Contact recorded"),
    E.RECORD_CAUSE: _("Cause analysed"),
    E.REQUEST_EXTENSION: _("Extension requested"),
    E.REQUEST_SUSPENSION: _("Suspension requested"),
    E.APPROVE_EXTENSION: _("Extension approved"),
    E.REFUSE_EXTENSION: _("Extension refused"),
    E.APPROVE_SUSPENSION: _("Suspension approved"),
    E.REFUSE_SUSPENSION: _("Suspension refused"),
    E.RESUME: _("Resumed"),
    E.REPLY: _("Replied"),
    E.RETURN_VISIT: _("Return visit"),
    E.RATE: _("Rated by the petitioner"),
    E.WINDOW_RATING: _("Tablet handed to the petitioner for rating"),
    E.SUPERVISE: _("Reopened under supervision"),
    E.CLOSE: _("Closed"),
    E.ATTACH: _("File attached"),
    E.ADD_TO_LIBRARY: _("Added to the case library"),
    E.LINK_SIMILAR: _("Linked with similar cases"),
    E.RECOMPUTE_DEADLINES: _("Deadlines recomputed with the loaded holiday schedule"),
}


def event_label(action: str) -> str:
    """The staff's words for a stored event name; an unknown name (from a later version of
    the trail) is shown as stored rather than hidden."""
    try:
        return str(LABELS[CaseEvent(action)])
    except ValueError:
        return action


def decided(kind: str, *, approved: bool) -> CaseEvent:
    """The event of a decision on an extension or suspension request of `kind`."""
    return CaseEvent(f"{'approve' if approved else 'refuse'}_{kind}")


def requested(kind: str) -> CaseEvent:
    """The event of an extension or suspension request of `kind`."""
    return CaseEvent(f"request_{kind}")
