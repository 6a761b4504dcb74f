"""The demo's case library (R-KB-1): entries drafted from a sample of the closed demo cases
through the real actions (收入案例库 by a handler of the case, so each leaves its audit event),
most of them published by the office administrator — some for the public FAQ, some for staff
only — a few left as drafts awaiting review, and a couple edited and published again (two
versions). The same seed picks the same cases and decisions."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from banchengshi.cases.models import Case, State
from banchengshi.demo.district import District
from banchengshi.errors import ActionRefused
from banchengshi.knowledge.actions import (
    EntryFields,
    check_draft_from_case,
    check_edit_entry,
    check_publish_entry,
)
from banchengshi.knowledge.models import Entry, Visibility

# About one closed case in SHARE goes to the library, at most MAX_ENTRIES per run.
SHARE = 12
MAX_ENTRIES = 60
# Of the entries drafted: the share left as drafts, and how many are edited once published.
DRAFT_SHARE = 0.15
PUBLIC_SHARE = 0.5
EDITED = 2
EDIT_NOTE = "（补充）如仍办不成，可拨打政务服务热线或到“办不成事”反映窗口当面反映。"


@dataclass
class LibraryResult:
    by_status: Counter[str] = field(default_factory=Counter)
    edited: int = 0

    @property
    def entries(self) -> int:
        return sum(self.by_status.values())


def build_library(district: District, *, seed: int) -> LibraryResult:
    """Entries from closed cases not yet in the library (a second run adds others)."""
    rng = random.Random(f"library-{seed}")
    closed = list(
        Case.objects.filter(state=State.CLOSED, knowledge_entries__isnull=True)
        .order_by("id")
        .values_list("id", "handling_unit_id", "owner_unit_id")
    )
    chosen = sorted(rng.sample(closed, min(MAX_ENTRIES, len(closed) // SHARE)))
    result = LibraryResult()
    published: list[Entry] = []
    for case_id, handling_unit_id, owner_unit_id in chosen:
        writer = district.handler_for.get(handling_unit_id or owner_unit_id or 0)
        entry = check_draft_from_case(writer or district.dispatcher, case_id)
        if rng.random() < DRAFT_SHARE:
            continue
        public = rng.random() < PUBLIC_SHARE
        visibility = Visibility.PUBLIC if public else Visibility.INTERNAL
        try:
            published.append(
                check_publish_entry(district.officeadmin, entry.pk, visibility=visibility)
            )
        except ActionRefused:
            continue  # a case whose texts are too short after anonymising stays a draft
    for entry in rng.sample(published, min(EDITED, len(published))):
        _edit_and_publish(district, entry)
        result.edited += 1
    result.by_status.update(
        Entry.objects.filter(source_cases__in=[c[0] for c in chosen]).values_list(
            "status", flat=True
        )
    )
    return result


def _edit_and_publish(district: District, entry: Entry) -> None:
    """The reviewer adds a sentence to the solution and tags, then publishes version 2."""
    matters = list(entry.matters.all())
    check_edit_entry(
        district.officeadmin,
        entry.pk,
        EntryFields(
            problem=entry.problem,
            solution=f"{entry.solution}\n{EDIT_NOTE}",
            cause_code=entry.cause_code,
            tags=" ".join(matter.name for matter in matters),
            matter_ids=tuple(matter.pk for matter in matters),
            unit_ids=tuple(unit.pk for unit in entry.units.all()),
            visibility=entry.visibility,
        ),
    )
    check_publish_entry(district.officeadmin, entry.pk)
