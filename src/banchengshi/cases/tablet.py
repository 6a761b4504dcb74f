"""What the window's tablet reads (cases.actions.tablet changes it): the rating screen a clerk
opened, and the one the tablet's waiting screen should show now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.access import require
from banchengshi.cases.models import Case, TabletHandoff
from banchengshi.cases.preconditions import CaseFacts, handoff_blocker, require_possible
from banchengshi.cases.states import Act, require_state
from banchengshi.errors import Forbidden, InvalidState, NotFound
from banchengshi.ids import MAX_ID
from banchengshi.org.scope import scope_for


def handoff_minutes() -> int:
    return int(settings.BANCHENGSHI_TABLET_MINUTES)


def find_handoff(actor: User, handoff_id: int) -> TabletHandoff:
    """The rating screen `handoff_id`, which only the clerk who opened it may use."""
    handoff = (
        TabletHandoff.objects.filter(pk=handoff_id).first() if 1 <= handoff_id <= MAX_ID else None
    )
    if handoff is None:
        raise NotFound(_("There is no such rating screen."))
    if handoff.opened_by_id != actor.pk:
        raise Forbidden(_("This rating screen was opened by another member of staff."))
    return handoff


def require_usable(handoff: TabletHandoff, case: Case, now: dt.datetime) -> None:
    reason = handoff_blocker(handoff, case, now)
    if reason is not None:
        raise InvalidState(reason)


@dataclass(frozen=True)
class TabletScreen:
    """What the tablet shows the petitioner: the tracking number, nothing else of the case."""

    handoff_id: int
    tracking_no: str


def tablet_screen(actor: User, handoff_id: int, now: dt.datetime) -> TabletScreen:
    """The rating screen, when a rating sent from it now would be taken; else the refusal the
    action would give (the screen's own, then the clerk's right, the state, the case's)."""
    handoff = find_handoff(actor, handoff_id)
    # The unit links answer every access question below from one read.
    case = Case.objects.prefetch_related("unit_links").get(pk=handoff.case_id)
    require_usable(handoff, case, now)
    require(scope_for(actor), Act.WINDOW_RATING, case)
    require_state(Act.WINDOW_RATING, case.state)
    require_possible(Act.WINDOW_RATING, CaseFacts(case))
    return TabletScreen(handoff.pk, case.tracking_no)


def open_handoffs(actor: User, now: dt.datetime) -> list[TabletHandoff]:
    """The clerk's rating screens still open, newest first. Only those opened within the last
    few minutes can be (the index on opener and time bounds the read, however many the clerk
    has opened before)."""
    since = now - dt.timedelta(minutes=handoff_minutes())
    return list(
        TabletHandoff.objects.filter(
            opened_by=actor, opened_at__gt=since, used_at__isnull=True, expires_at__gt=now
        ).order_by("-opened_at", "-pk")
    )
