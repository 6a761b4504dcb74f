"""Demo cases: N cases over the last 365 days, in every state, consistent with the engine.

Plans are drawn day by day in time order (`plans`) and each case is driven through its plan
(`journey`). The showcase cases (every state and variant, the examples `make run` shows) go
through the engine's own actions (`replay.ActionDriver`); the rest, the volume, is driven in
memory (`simulation.Simulation`) and written in batches of a few thousand cases per
transaction: ids taken from the tables' sequences, tracking numbers (PT-YYYY-NNNNNN,
continuing TrackingSequence and moving it on), every table with one statement (`demo.bulk`:
executemany on SQLite, COPY on PostgreSQL, bulk_create on other engines), and the batch's
audit events chained in time order by `audit.chain.append_events`, so that
`banchengshi audit verify` holds after every batch and later events simply continue.
tests/demo/test_replay.py drives the same plans both ways and compares every row and event.

Measured on this machine (2 cores): the volume takes about 0.7 ms per case (100,000 in about
70 s on SQLite, 85 s on PostgreSQL); the showcase's 25 cases through the actions add a fixed
2 to 3 s (about 250 actions, and loading the modules they use).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Literal

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.audit.models import AuditEvent
from banchengshi.cases.clocks import arm, forget_policy_versions, policy_version_in_force
from banchengshi.cases.models import (
    Case,
    CaseSearch,
    CaseUnit,
    Clock,
    ClockRequest,
    CoHandlingTask,
    ContactRecord,
    ReturnVisit,
    State,
    Supervision,
    TrackingSequence,
    WorkItem,
)
from banchengshi.cases.search import search_fields
from banchengshi.demo import bulk
from banchengshi.demo.district import District
from banchengshi.demo.journey import drive
from banchengshi.demo.plans import DEFAULT_SEED, SHOWCASE, Generator
from banchengshi.demo.replay import ActionDriver
from banchengshi.demo.simulation import Ref, Simulation
from banchengshi.notify.models import OutboxMessage
from banchengshi.policy.deadlines import local_date
from banchengshi.policy.rules import policy_in_force
from banchengshi.workdays.registry import current_calendar

BATCH_SIZE = 5000
# Which cases go through the engine's actions: the showcase (the default), every case (the
# replay test's second path), or none (its first path).
Through = Literal["showcase", "all", "none"]


@dataclass
class GenerationResult:
    cases: int = 0
    events: int = 0
    seconds: float = 0.0
    by_state: Counter[str] = field(default_factory=Counter)


# --- writing a batch ----------------------------------------------------------------------------


def _resolve(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: (v.row.pk if isinstance(v, Ref) else v) for key, v in payload.items()}


_EVENT_FIELDS = [f.attname for f in AuditEvent._meta.concrete_fields if not f.primary_key]
_event_values = attrgetter(*_EVENT_FIELDS)


def _insert_events(rows: list[AuditEvent]) -> None:
    """Store the events audit.chain numbered and hashed: plain tuples, the cheapest insert."""
    bulk.insert_values(AuditEvent, _EVENT_FIELDS, [_event_values(row) for row in rows])


SEARCH_COLUMNS = ("ids", "names", "matter", "body")


def _search_row(sim: Simulation) -> tuple[Any, ...]:
    """The case's search row, as registration writes it (cases.search)."""
    case = sim.case
    fields = search_fields(
        tracking_no=case.tracking_no,
        phone=case.phone,
        petitioner_name=case.petitioner_name,
        enterprise_name=case.enterprise_name,
        matter_name=sim.matter.name if sim.matter else "",
        matter_text=case.matter_text,
        description=case.description,
        request=case.request,
    )
    return (case.pk, *(fields[column] for column in SEARCH_COLUMNS))


def _write_batch(sims: list[Simulation], result: GenerationResult) -> None:
    if not sims:
        return
    prefix = settings.BANCHENGSHI_DISTRICT_CODE
    with transaction.atomic():
        sequences = {
            row.year: row
            for row in TrackingSequence.objects.select_for_update().filter(prefix=prefix)
        }
        last_numbers = {year: row.last for year, row in sequences.items()}
        cases = []
        for sim in sims:
            case = sim.case
            received = local_date(case.received_at)
            number = last_numbers.get(received.year, 0) + 1
            last_numbers[received.year] = number
            case.tracking_no = f"{prefix}-{received.year}-{number:06d}"
            cases.append(case)
        tasks = [task for sim in sims for task in sim.tasks]
        requests = [request for sim in sims for request in sim.requests]
        with_pk = bulk.fast_path()
        if with_pk:
            groups: tuple[tuple[type[models.Model], list[Any]], ...] = (
                (Case, cases),
                (CoHandlingTask, tasks),
                (ClockRequest, requests),
            )
            for model, group in groups:
                for row, pk in zip(group, bulk.allocate_ids(model, len(group)), strict=True):
                    row.pk = pk
        bulk.insert(Case, cases, with_pk=with_pk)
        bulk.insert(CoHandlingTask, tasks, with_pk=with_pk)
        bulk.insert(ClockRequest, requests, with_pk=with_pk)
        bulk.insert_values(
            CaseUnit,
            ("case_id", "unit_id", "relation"),
            [
                (sim.case.pk, unit_id, relation)
                for sim in sims
                for unit_id, relation in sorted(sim.links)
            ],
        )
        bulk.insert_values(
            CaseSearch, ("case_id", *SEARCH_COLUMNS), [_search_row(sim) for sim in sims]
        )
        for sim in sims:
            for clock in sim.clocks:
                # Its final due, paused_at and stopped_at decide it, as in the engine.
                arm(clock, sim.g.policy, sim.g.calendar)
        bulk.insert(Clock, [c for sim in sims for c in sim.clocks])
        bulk.insert(WorkItem, [w for sim in sims for w in sim.work])
        bulk.insert(ContactRecord, [c for sim in sims for c in sim.contacts])
        bulk.insert(ReturnVisit, [v for sim in sims for v in sim.visits])
        bulk.insert(Supervision, [s for sim in sims for s in sim.supervisions])

        events = [event for sim in sims for event in sim.events]
        events.sort(key=lambda event: event.at)  # stable: a case's own events keep their order
        append_events(
            (
                PendingEvent(
                    case_id=event.case.pk,
                    actor_id=event.actor_id,
                    actor_label=event.actor_label,
                    action=event.action,
                    at=event.at,
                    before=event.before,
                    # The register event names the tracking number, known only now.
                    after=event.after
                    if event.after is not None
                    else {"state": State.REGISTERED.value, "tracking_no": event.case.tracking_no},
                    payload=_resolve(event.payload),
                )
                for event in events
            ),
            write=_insert_events,
            announce=False,
        )
        for year, last in last_numbers.items():
            if year in sequences:
                if sequences[year].last != last:
                    TrackingSequence.objects.filter(pk=sequences[year].pk).update(last=last)
            else:
                TrackingSequence.objects.create(prefix=prefix, year=year, last=last)
    result.cases += len(sims)
    result.events += len(events)
    result.by_state.update(sim.case.state for sim in sims)


def generate_cases(
    district: District,
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[GenerationResult], None] | None = None,
    through: Through = "showcase",
) -> GenerationResult:
    """Generate `count` cases received over the last 365 days: those `through` names by the
    engine's actions, the others in memory and written in batches."""
    started = time.perf_counter()
    result = GenerationResult()
    if count <= 0:
        return result
    forget_policy_versions()  # a cached id may name a row rolled back or flushed meanwhile
    version = policy_version_in_force()
    gen = Generator(
        district,
        seed=seed,
        now=now or timezone.now(),
        policy=policy_in_force(),
        policy_id=version.pk,
        calendar=current_calendar(),
    )
    if connection.vendor == "sqlite":
        # A bigger page cache for this connection: the indexes of a million cases do not fit
        # the default 2 MB, and every insert would read pages back from the file.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB
    showcase = gen.showcase_plans() if count >= 2 * len(SHOWCASE) else []
    showcase.sort(key=lambda plan: plan.received_at)
    pending: list[Simulation] = []
    for day, day_count in gen.day_counts(count - len(showcase)):
        plans = [gen.natural_plan(at, channel) for at, channel in gen.receipts(day, day_count)]
        while showcase and local_date(showcase[0].received_at) <= day:
            plans.append(showcase.pop(0))
        plans.sort(key=lambda plan: plan.received_at)
        for plan in plans:
            draft = gen.new_case(plan)
            if through == "all" or (through == "showcase" and plan.forced):
                driver = ActionDriver(draft)
                # One commit for the case's steps (a commit each would wait on the disk);
                # the batch so far first, so that tracking numbers follow receipt.
                with transaction.atomic():
                    _write_batch(pending, result)
                    drive(gen, draft, driver, plan)
                    # The phone numbers and addresses are made up and may be somebody's:
                    # nothing is ever to be sent to them (the staff's notices stay in their
                    # inboxes, the workbench shows them).
                    OutboxMessage.objects.filter(case_id=driver.case.pk).delete()
                pending = []
                result.cases += 1
                result.events += driver.events
                result.by_state[driver.case.state] += 1
            else:
                # The bulk path writes no staff notices: a year of history would fill every
                # inbox with stale unread ones (tests/demo/test_replay.py states this).
                sim = Simulation(gen, draft)
                drive(gen, draft, sim, plan)
                pending.append(sim)
        if len(pending) >= batch_size:
            _write_batch(pending, result)
            pending = []
            if progress is not None:
                result.seconds = time.perf_counter() - started
                progress(result)
    _write_batch(pending, result)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result.seconds = time.perf_counter() - started
    return result
