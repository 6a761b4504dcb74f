"""The window's tablet (R-RV-2): a clerk of the center that registered the case hands it to
the petitioner right after the reply, and the petitioner rates the answer on it.

The rating is the petitioner's own (ReturnVisit.By.PETITIONER, once per round, the round's
return visit as one from a public page is), proven by `TABLET_PROOF`: the clerk opened the
screen for exactly this case and round, in their own session, for a few minutes, for one
rating. The clerk is the audit event's actor (the operator) and the visit's `visited_by`. A
unit never takes the rating of its own work: the people of the handling and co-handling units
are refused (cases.access.EXCLUDED), and so is anyone who is not at the registering center's
windows.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from banchengshi.cases.actions.answer import MAX_RATING_COMMENT, opinion_value, record_opinion
from banchengshi.cases.actions.common import changing_case
from banchengshi.cases.events import CaseEvent
from banchengshi.cases.models import Case, ReturnVisit, TabletHandoff
from banchengshi.cases.states import Act
from banchengshi.cases.tablet import find_handoff, handoff_minutes, open_handoffs, require_usable

# How a rating taken on the window's tablet is proven (the audit payload's "proof"; the
# public ones are answer.PROOFS_TO_RATE).
TABLET_PROOF = "window_tablet"


def do_hand_tablet(actor: User, case_id: int, *, version: int | None = None) -> TabletHandoff:
    """Open the rating screen of the case's current answer for a few minutes. Trusts nothing:
    changing_case checks the clerk's right and WINDOW_RATING's precondition. A screen the
    clerk left open for another case stops working: the tablet shows one case at a time."""
    with changing_case(actor, case_id, Act.WINDOW_RATING, version=version) as change:
        case, now = change.case, change.now
        TabletHandoff.objects.filter(pk__in=[h.pk for h in open_handoffs(actor, now)]).update(
            expires_at=now
        )
        handoff = TabletHandoff.objects.create(
            case=case,
            round=case.round,
            opened_by=actor,
            opened_at=now,
            expires_at=now + dt.timedelta(minutes=handoff_minutes()),
        )
        change.payload = {"round": case.round, "handoff": handoff.pk}
    return handoff


def check_rate_at_tablet(
    actor: User, handoff_id: int, *, satisfaction: int, solved: bool, comment: str = ""
) -> ReturnVisit:
    comment = opinion_value(satisfaction, comment, limit=MAX_RATING_COMMENT)
    handoff = find_handoff(actor, handoff_id)
    # Said before the case's own refusals: a used screen is also a rated case, and the
    # clerk needs to know it is the screen that is spent.
    require_usable(handoff, Case.objects.get(pk=handoff.case_id), timezone.now())
    return do_rate_at_tablet(
        actor, handoff_id, satisfaction=satisfaction, solved=solved, comment=comment
    )


def do_rate_at_tablet(
    actor: User, handoff_id: int, *, satisfaction: int, solved: bool, comment: str
) -> ReturnVisit:
    """Trusts the opinion (satisfaction level and comment checked by check_rate_at_tablet);
    checks the screen again under the case's lock, where a second rating from it waits for
    the first and is then refused."""
    handoff = find_handoff(actor, handoff_id)
    with changing_case(actor, handoff.case_id, Act.WINDOW_RATING, version=None) as change:
        handoff.refresh_from_db()
        require_usable(handoff, change.case, change.now)
        handoff.used_at = change.now
        handoff.save(update_fields=["used_at"])
        change.event = CaseEvent.RATE
        visit = record_opinion(
            change,
            satisfaction,
            solved,
            comment,
            by=ReturnVisit.By.PETITIONER,
            channel=ReturnVisit.Channel.WINDOW_TABLET,
            visited_by=actor,
        )
        change.payload = {
            "satisfaction": satisfaction,
            "solved": solved,
            "channel": ReturnVisit.Channel.WINDOW_TABLET.value,
            "proof": TABLET_PROOF,
            "handoff": handoff.pk,
        }
    return visit
