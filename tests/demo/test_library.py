"""The demo's case library: entries drafted from closed demo cases through the real actions,
most published (public and internal), some drafts, two edited into a second version; the same
seed gives the same library."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from banchengshi.audit.chain import verify_chain
from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import Case, State
from banchengshi.demo.district import ensure_district
from banchengshi.demo.library import build_library
from banchengshi.demo.plans import DEFAULT_SEED
from banchengshi.knowledge.models import Entry, EntrySearch, EntryStatus, EntryVersion, Visibility

pytestmark = pytest.mark.django_db


def library() -> list[tuple[object, ...]]:
    return list(
        Entry.objects.order_by("id").values_list(
            "source_cases__tracking_no", "status", "visibility", "published_version", "problem"
        )
    )


def test_it_builds_the_library_through_the_actions() -> None:
    out = StringIO()
    call_command("demo", cases=300, stdout=out)
    entries = Entry.objects.all()
    count = entries.count()
    # One closed case in 12 (how many are closed depends on the day the demo is made).
    assert count == min(60, Case.objects.filter(state=State.CLOSED).count() // 12)
    statuses = dict.fromkeys(EntryStatus, 0)
    for status in entries.values_list("status", flat=True):
        statuses[EntryStatus(status)] += 1
    assert statuses[EntryStatus.PUBLISHED] > statuses[EntryStatus.DRAFT] > 0
    assert statuses[EntryStatus.WITHDRAWN] == 0
    published = entries.filter(status=EntryStatus.PUBLISHED)
    assert published.filter(visibility=Visibility.PUBLIC).exists()
    assert published.filter(visibility=Visibility.INTERNAL).exists()
    assert EntrySearch.objects.count() == published.count()
    assert EntryVersion.objects.filter(number=2).count() == 2
    for entry in entries:
        (case,) = entry.source_cases.all()
        assert case.state == State.CLOSED
        assert case.petitioner_name not in entry.problem + entry.solution
        assert case.phone not in entry.problem + entry.solution
    drafted = AuditEvent.objects.filter(action="add_to_library")
    assert drafted.count() == count
    assert verify_chain().ok
    assert f"{count} case-library entries from closed cases" in out.getvalue()


def test_the_same_seed_gives_the_same_library() -> None:
    call_command("demo", cases=300, stdout=StringIO())
    first = library()
    Entry.objects.all().delete()
    build_library(ensure_district(DEFAULT_SEED), seed=DEFAULT_SEED)
    assert library() == first
