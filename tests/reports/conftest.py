"""A small district of known cases for the report tests: each case is brought to its state
through the real actions at a known instant, so every figure of a report can be counted by hand.

Received 2026-10-15 (in 2026-Q4, not in 2026-11): one case replied the same day.
Received Monday 2026-11-02, 10:00:
  on_spot       resolved at the window
  refused       not admissible; its answer with reasons never sent (past its limit)
  replied       cause recorded (petitioner's materials), replied the same day; so the next
  pleased       idem, and visited: very satisfied (5), solved
  displeased    idem, and visited: dissatisfied (2), solved
  supervised    closed after a visit (satisfied, 4), then reopened under supervision on 11-03
  late          cause recorded the same day, replied on 2026-11-30 (past the reply limit)
  open_late     received and left in progress: past its limits by 2026-11-30
Computed at 2026-11-30 12:00.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from banchengshi.cases.actions.answer import check_reply_case, check_supervise_case
from banchengshi.cases.actions.dispatch import check_resolve_on_spot
from banchengshi.cases.models import Case, Satisfaction
from tests.cases.conftest import (  # noqa: F401
    CaseBuilder,
    FrozenTime,
    Org,
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    sh,
)

NOW = sh(2026, 11, 30, 12)


@dataclass
class District:
    org: Org
    cases: dict[str, Case]


@pytest.fixture
def district(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> District:  # noqa: F811
    return build_district(org, cases, frozen_time)


def build_district(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> District:  # noqa: F811
    """The cases above, made through the actions; the clock left at NOW (tests/browser too)."""
    made: dict[str, Case] = {}
    frozen_time.set(sh(2026, 10, 15))
    made["october"] = cases.replied()
    frozen_time.set(sh(2026, 11, 2))
    on_spot = cases.register()
    made["on_spot"] = check_resolve_on_spot(org.clerk, on_spot.pk, reply="当场解答，已办结")
    made["refused"] = cases.not_admissible()
    made["replied"] = cases.replied()
    made["pleased"] = cases.visited(satisfaction=Satisfaction.VERY_SATISFIED)
    made["displeased"] = cases.visited(satisfaction=Satisfaction.DISSATISFIED)
    made["supervised"] = cases.closed()
    made["late"] = cases.analysed()
    made["open_late"] = cases.in_progress()
    frozen_time.set(sh(2026, 11, 3))
    check_supervise_case(org.dispatcher, made["supervised"].pk, reason="群众反映仍未办结", days=5)
    frozen_time.set(sh(2026, 11, 30, 10))
    check_reply_case(org.handler_a, made["late"].pk, text="已补正材料，业务已办结")
    frozen_time.set(NOW)
    return District(org, {key: Case.objects.get(pk=case.pk) for key, case in made.items()})
