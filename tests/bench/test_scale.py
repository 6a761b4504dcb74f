"""bench.scale: a generated database multiplied by cloning its rows in SQL."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from bench.scale import CLONED, ScaleError, scale
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Max

from banchengshi.audit.chain import verify_chain
from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import Case, Clock, TrackingSequence
from banchengshi.cases.search import case_search_fields
from banchengshi.cases.selectors import search_cases
from banchengshi.org.scope import scope_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("demo", cases=30, force=True, stdout=StringIO())


def _counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in CLONED}


def test_every_cloned_table_triples_and_the_audit_chain_is_untouched(demo: None) -> None:
    before, events = _counts(), AuditEvent.objects.count()
    states = Counter(Case.objects.values_list("state", flat=True))
    reminders = Counter(Clock.objects.values_list("remind_at", "remind_level", "stopped_at"))

    figures = scale(3)

    assert _counts() == {label: 3 * n for label, n in before.items()}
    assert figures["rows"]["cases_case"] == [before["cases.Case"], 3 * before["cases.Case"]]
    assert Counter(Case.objects.values_list("state", flat=True)) == {
        state: 3 * n for state, n in states.items()
    }
    assert Counter(Clock.objects.values_list("remind_at", "remind_level", "stopped_at")) == {
        key: 3 * n for key, n in reminders.items()
    }
    assert AuditEvent.objects.count() == events
    assert verify_chain().ok


def test_copies_have_unique_numbers_their_own_rows_and_are_found_by_search(demo: None) -> None:
    first = Case.objects.order_by("id").first()
    assert first is not None
    # The offset of the copies' ids (PostgreSQL's sequences do not roll back between tests,
    # so ids need not start at 1).
    top, count = Case.objects.aggregate(top=Max("id"))["top"], Case.objects.count()
    lasts = dict(TrackingSequence.objects.values_list("year", "last"))

    scale(3)

    numbers = list(Case.objects.values_list("tracking_no", flat=True))
    assert len(set(numbers)) == len(numbers) == 3 * count
    copy = Case.objects.get(pk=first.pk + 2 * top)
    year, number = first.tracking_no.split("-")[1:]
    assert copy.tracking_no == f"PT-{year}-{int(number) + 2 * lasts[int(year)]:06d}"
    assert TrackingSequence.objects.get(year=int(year)).last == 3 * lasts[int(year)]
    fields = ("kind", "due", "stopped_at", "remind_at", "task__unit_id")
    assert list(copy.clocks.order_by("id").values_list(*fields)) == list(
        first.clocks.order_by("id").values_list(*fields)
    )
    row = copy.search_row
    assert {f: getattr(row, f) for f in ("ids", "names", "matter", "body")} == (
        case_search_fields(copy)
    )
    inspector = scope_for(User.objects.get(username="inspector"))
    assert list(search_cases(inspector, text=copy.tracking_no[-6:])) == [copy]


def test_a_database_not_numbered_by_the_generator_is_refused(demo: None) -> None:
    Case.objects.filter(pk=Case.objects.order_by("id").values("id")[:1]).update(tracking_no="XX-1")
    with pytest.raises(ScaleError, match="some tracking numbers do not start with PT-"):
        scale(2)
