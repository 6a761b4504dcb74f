"""Open work by unit and colour from the counts the database keeps (cases.open_work): the
triggers count every writer of WorkItem, compaction keeps the totals, and the colours agree
with the work items themselves at every boundary (overdue, due within 24 hours, on time,
without a deadline)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Q

from banchengshi.cases.models import NO_DUE, Case, OpenWorkDay, WorkItem, WorkKind
from banchengshi.cases.open_work import compact, counts_by_unit, forget_if_no_work
from banchengshi.cases.queues import open_work_by_unit
from banchengshi.cases.selectors import due_in
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh

NOW = sh(2026, 12, 2, 15, 30)


def exact(now: dt.datetime) -> dict[int, tuple[int, int, int, int]]:
    """What every work item says of itself: the counts the kept ones must equal."""
    rows = (
        WorkItem.objects.order_by()
        .values("unit_id")
        .annotate(
            total=Count("pk"),
            red=Count("pk", filter=due_in("red", now)),
            yellow=Count("pk", filter=due_in("yellow", now)),
            undated=Count("pk", filter=due_in("none", now)),
        )
    )
    return {r["unit_id"]: (r["total"], r["red"], r["yellow"], r["undated"]) for r in rows}


# Around each boundary: today's start, now, the end of the yellow window (24 hours), the next
# days, far back, and no deadline.
DUES = [
    sh(2026, 11, 2, 9),
    sh(2026, 12, 1, 23, 59, 59),
    sh(2026, 12, 2, 0),
    sh(2026, 12, 2, 15, 29, 59),
    NOW,
    sh(2026, 12, 2, 15, 30, 1),
    sh(2026, 12, 2, 23, 59, 59),
    sh(2026, 12, 3, 0),
    sh(2026, 12, 3, 15, 29, 59),
    sh(2026, 12, 3, 15, 30),
    sh(2026, 12, 3, 23, 59, 59),
    sh(2026, 12, 4, 0),
    sh(2027, 3, 1, 9),
    NO_DUE,
]


@pytest.fixture
def case(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> Case:
    frozen_time.set(sh(2026, 11, 2, 9))
    made = cases.register()
    WorkItem.objects.filter(case=made).delete()
    assert compact() == 0  # the registration's work, added and taken away
    frozen_time.set(NOW)
    return made


def _add(case: Case, unit_id: int, dues: list[dt.datetime]) -> None:
    WorkItem.objects.bulk_create(
        [WorkItem(case=case, kind=WorkKind.HANDLE, unit_id=unit_id, due=due) for due in dues]
    )


def test_the_kept_counts_agree_with_the_work_items_at_every_boundary(org: Org, case: Case) -> None:
    _add(case, org.dept_a.pk, DUES)
    _add(case, org.dept_b.pk, DUES[::3])
    expected = exact(NOW)
    assert expected[org.dept_a.pk] == (14, 4, 5, 1)
    assert counts_by_unit(None, NOW) == expected
    assert counts_by_unit([org.dept_b.pk], NOW) == {org.dept_b.pk: expected[org.dept_b.pk]}
    # nine hours later, the same kept rows: the edges move with the clock
    later = NOW + dt.timedelta(hours=9)
    assert counts_by_unit(None, later) == exact(later)
    assert exact(later)[org.dept_a.pk] == (14, 8, 4, 1)


def test_changes_of_unit_and_deadline_and_deletions_are_counted(org: Org, case: Case) -> None:
    _add(case, org.dept_a.pk, DUES)
    items = list(WorkItem.objects.filter(case=case).order_by("due", "id"))
    WorkItem.objects.filter(pk=items[0].pk).update(unit_id=org.dept_b.pk)  # moved
    WorkItem.objects.filter(pk=items[1].pk).update(due=NO_DUE)  # clock paused
    WorkItem.objects.filter(pk=items[2].pk).update(kind=WorkKind.CLOSE)  # neither: no row
    WorkItem.objects.filter(pk__in=[items[3].pk, items[4].pk]).delete()
    assert counts_by_unit(None, NOW) == exact(NOW)
    assert exact(NOW)[org.dept_a.pk] == (11, 1, 4, 2)
    WorkItem.objects.filter(case=case).delete()  # the case closed: its work done
    assert counts_by_unit(None, NOW) == {}


def test_compaction_keeps_the_counts_in_a_row_per_unit_and_day(org: Org, case: Case) -> None:
    _add(case, org.dept_a.pk, DUES + DUES)
    WorkItem.objects.filter(case=case, due=NO_DUE).delete()
    before = counts_by_unit(None, NOW)
    rows = OpenWorkDay.objects.count()
    assert rows == 28 + 2  # a row per insert, one per deletion
    days = len({due.astimezone(dt.timezone(dt.timedelta(hours=8))).date() for due in DUES[:-1]})
    assert compact() == days
    assert counts_by_unit(None, NOW) == before == exact(NOW)
    assert compact() == days  # again: nothing to add up
    WorkItem.objects.filter(case=case).delete()
    assert compact() == 0
    assert counts_by_unit(None, NOW) == {}


def test_rows_written_in_sql_are_counted_too(org: Org, case: Case) -> None:
    """The demo generator and the bench write work items in bulk SQL: the triggers are the
    database's own."""
    table = WorkItem._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (case_id, unit_id, kind, due, created_at, provisional, fast) "
            "VALUES (%s, %s, 'handle', %s, %s, false, false)",
            [case.pk, org.dept_a.pk, NOW - dt.timedelta(days=3), NOW],
        )
    assert counts_by_unit(None, NOW) == {org.dept_a.pk: (1, 1, 0, 0)} == exact(NOW)


def test_the_dashboard_and_the_unit_tree_read_the_kept_counts(org: Org, case: Case) -> None:
    _add(case, org.dept_a.pk, DUES)
    compact()
    counts = open_work_by_unit(None)[org.dept_a.pk]
    assert (counts.total, counts.red, counts.yellow, counts.undated, counts.green) == (
        14,
        4,
        5,
        1,
        4,
    )
    assert not OpenWorkDay.objects.filter(~Q(unit_id=org.dept_a.pk)).exists()


def test_a_flush_that_empties_the_counts_before_the_work_leaves_no_count(
    org: Org, case: Case
) -> None:
    """`flush` (the tests' reset) deletes the tables in no set order, then sends post_migrate:
    work deleted after the counts leaves rows of -1, which are forgotten then."""
    _add(case, org.dept_a.pk, DUES[:3])
    forget_if_no_work()
    assert counts_by_unit(None, NOW) == {org.dept_a.pk: (3, 3, 0, 0)}  # work left: kept
    OpenWorkDay.objects.all().delete()
    WorkItem.objects.all().delete()
    assert OpenWorkDay.objects.count() == 3
    forget_if_no_work()
    assert OpenWorkDay.objects.count() == 0
