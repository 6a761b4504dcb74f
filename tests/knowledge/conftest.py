"""The knowledge tests build cases and people with the fixtures of tests/cases."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.cases.models import Case
from banchengshi.knowledge.actions import EntryFields, check_create_entry, do_publish_entry
from banchengshi.knowledge.hotspots import concentrations
from banchengshi.knowledge.models import Entry
from banchengshi.policy.rules import HotspotRules
from tests.cases.conftest import (  # noqa: F401
    CaseBuilder,
    Org,
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)


class Analysed:
    """Cases in progress at department A with a cause recorded by its handler."""

    def __init__(self, builder: CaseBuilder) -> None:
        self.cases = builder

    def __call__(self, code: str = "process", side: str = "", by: User | None = None) -> Case:
        case = self.cases.in_progress()
        return check_record_cause(
            by or self.cases.org.handler_a,
            case.pk,
            code=code,
            side=side,
            note="审批流程要求重复提交材料",
        )


@pytest.fixture
def analysed(cases: CaseBuilder) -> Analysed:  # noqa: F811
    return Analysed(cases)


def published(district: Org, problem: str, solution: str, **fields: object) -> Entry:
    """An entry written by handler A and published by the office administrator."""
    entry = check_create_entry(
        district.handler_a,
        EntryFields(problem=problem, solution=solution, **fields),  # type: ignore[arg-type]
    )
    return do_publish_entry(district.officeadmin, entry.pk)


@pytest.fixture
def publish(org: Org):  # type: ignore[no-untyped-def]  # noqa: F811
    return lambda problem, solution, **fields: published(org, problem, solution, **fields)


def use_hotspot_rules(monkeypatch: pytest.MonkeyPatch, rules: HotspotRules) -> None:
    """The policy in force, with these hot-spot rules (the shipped files' are for a district)."""
    real = concentrations.policy_in_force

    class WithRules:
        def __getattr__(self, name: str) -> object:
            return rules if name == "hotspots" else getattr(real(), name)

    monkeypatch.setattr(concentrations, "policy_in_force", WithRules)


__all__ = ["Org"]
