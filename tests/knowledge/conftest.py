"""The knowledge tests use the organisation and case builder of tests/cases."""

import pytest

from banchengshi.knowledge.hotspots import concentrations
from banchengshi.policy.rules import HotspotRules
from tests.cases.conftest import (  # noqa: F401
    Org,
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)


def use_hotspot_rules(monkeypatch: pytest.MonkeyPatch, rules: HotspotRules) -> None:
    """The policy in force, with these hot-spot rules (the shipped files' are for a district)."""
    real = concentrations.policy_in_force

    class WithRules:
        def __getattr__(self, name: str) -> object:
            return rules if name == "hotspots" else getattr(real(), name)

    monkeypatch.setattr(concentrations, "policy_in_force", WithRules)
