"""The cases behind the dashboard's numbers (R-REP-4): the open work of one colour in the
reader's units, and the cases of a period counted in one figure (for the reader's units, or
for one responsible unit as the league table counts them). Each list is the query its number
counts, narrowed by the same condition, so it shows exactly the cases counted."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from banchengshi.cases.models import Case, CaseUnit, WorkItem
from banchengshi.cases.queues import Bounded, WorkRow, page_of
from banchengshi.cases.selectors import COUNT_CAP, due_in, work_colour
from banchengshi.errors import InvalidInput
from banchengshi.org.scope import Scope
from banchengshi.reports.metrics import LISTED_FIGURES, figure_condition
from banchengshi.reports.periods import Period, printable

COLOURS = ("red", "yellow", "green", "none")


def open_work_in(scope: Scope) -> QuerySet[WorkItem]:
    """The open work of the units the person sees (all of it for the office)."""
    items = WorkItem.objects.all()
    if not scope.sees_all:
        items = items.filter(unit_id__in=sorted(scope.visible_unit_ids))
    return items


def check_colour(colour: str) -> str:
    if colour and colour not in COLOURS:
        raise InvalidInput(
            {"colour": [_("“%(colour)s” is no deadline colour.") % {"colour": printable(colour)}]}
        )
    return colour


def open_work(scope: Scope, *, colour: str, page: int) -> Bounded[WorkRow]:
    """A page of the open work of one colour ("" for all of it), most overdue first; served by
    the (unit, due, id) index like the dashboard's counts."""
    now = timezone.now()
    items = open_work_in(scope)
    if check_colour(colour):
        items = items.filter(due_in(colour, now))
    found = page_of(
        items.select_related("case", "case__matter", "unit").order_by("due", "id"),
        page,
        cap=COUNT_CAP,
    )
    return found.with_rows([WorkRow(item, work_colour(item, now)) for item in found.rows])


def check_figure(figure: str) -> str:
    if figure not in LISTED_FIGURES:
        raise InvalidInput(
            {
                "figure": [
                    _("“%(figure)s” is no figure of the dashboard.") % {"figure": printable(figure)}
                ]
            }
        )
    return figure


def figure_cases(
    scope: Scope, period: Period, *, figure: str, owner_unit_id: int | None, page: int
) -> Bounded[Case]:
    """A page of the cases received in `period` that figure `figure` counts, newest first: of
    one responsible unit (the league table's rows), else of the units the person sees (the
    intake by week and month, which counts a case linked to them in any way once)."""
    cases = Case.objects.filter(received_at__gte=period.start_at, received_at__lt=period.end_at)
    if owner_unit_id is not None:
        cases = cases.filter(owner_unit_id=owner_unit_id)
    elif not scope.sees_all:
        linked = CaseUnit.objects.filter(
            case=OuterRef("pk"), unit_id__in=sorted(scope.visible_unit_ids)
        )
        cases = cases.filter(Exists(linked))
    condition: Q = figure_condition(check_figure(figure), timezone.now())
    cases = cases.filter(condition).select_related("matter", "owner_unit", "handling_unit")
    return page_of(cases.order_by("-received_at", "-id"), page, cap=COUNT_CAP)
