"""Keeping each registered case's proposal and what it was registered with (ProposalRecord).

Heard on `cases.signals.case_registered` (connected in the app's AppConfig), in the
registration's transaction, so that every channel — window, portal, kiosk, import, Open311,
API — keeps one, without the case engine importing this app."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation

from banchengshi.cases.models import Case, Channel
from banchengshi.knowledge.models import ProposalRecord
from banchengshi.knowledge.proposals.proposer import FIELDS, ProposalInput, propose
from banchengshi.knowledge.proposals.rules import rules

# Where a person chose the values with the proposal in front of them.
STAFF_CHANNELS = frozenset({Channel.WINDOW})


def record_proposal(case: Case) -> ProposalRecord:
    """The proposal for a case just registered, next to the values it was registered with.
    Trusts that `case` is the saved row, in the transaction that registered it."""
    data = ProposalInput(
        description=case.description,
        request=case.request,
        matter_id=None,
        matter_text=case.matter_text,
    )
    # Kept in the site's language whoever (or whatever process) registered: the hub reads it.
    with translation.override(settings.LANGUAGE_CODE):
        proposal = propose(data)
    return ProposalRecord.objects.create(
        case=case,
        channel=case.channel,
        by_staff=case.channel in STAFF_CHANNELS,
        proposed_category=proposal.category,
        proposed_complexity=proposal.complexity,
        proposed_matter=proposal.matter,
        proposed_unit=proposal.unit,
        final_category=case.category,
        final_complexity=case.complexity,
        final_matter_id=case.matter_id,
        final_unit_id=case.department_id,
        reasons=proposal.reasons,
        rules_version=rules().version,
    )


def on_case_registered(sender: object, *, case: Case, **kwargs: Any) -> None:
    record_proposal(case)


@dataclass(frozen=True)
class Accuracy:
    records: int
    accepted: dict[str, int]

    def share(self, field: str) -> float:
        return self.accepted[field] / self.records if self.records else 0.0


def staff_accuracy() -> Accuracy:
    """How often staff registered what was proposed, per field, over every record chosen by
    staff (read in batches through the index; a command, never a page)."""
    accepted: Counter[str] = Counter()
    records = 0
    for record in ProposalRecord.objects.filter(by_staff=True).iterator(chunk_size=2000):
        records += 1
        accepted.update(f for f in FIELDS if record.accepted(f))
    return Accuracy(records, {f: accepted[f] for f in FIELDS})
