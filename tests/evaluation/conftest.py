"""The evaluation tests use the district of tests/cases (build_org, frozen time at Friday
2026-11-20 10:00 in Shanghai)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from banchengshi.evaluation.actions.recording import check_record
from banchengshi.evaluation.models import Evaluation, EvaluationChannel
from tests.cases.conftest import (  # noqa: F401
    CaseBuilder,
    FrozenTime,
    Org,
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
)
from tests.intake.conftest import intake_api, system  # noqa: F401
from tests.web.conftest import signed_in, staff  # noqa: F401


class Rater:
    """Paper forms typed in by the hall's window head, by default of the hall."""

    def __init__(self, district: Org) -> None:
        self.org = district

    def __call__(self, level: int = 4, **fields: Any) -> Evaluation:
        actor = fields.pop("actor", self.org.windowhead)
        arguments: dict[str, Any] = {
            "channel": EvaluationChannel.PAPER,
            "unit_id": self.org.hall.pk,
            "level": level,
            "subject_kind": "window",
            **fields,
        }
        return check_record(actor, **arguments)


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are compared in English; the Chinese ones have their own tests."""
    with translation.override("en"):
        yield


@pytest.fixture
def rate(org: Org) -> Rater:  # noqa: F811
    return Rater(org)
