"""A limit in words of the active language (Limit.describe), as pages and refusals show it."""

from __future__ import annotations

import pytest
from django.utils import translation

from banchengshi.policy.rules import Limit, LimitRule


@pytest.mark.parametrize(
    ("rule", "days", "zh", "en"),
    [
        (LimitRule.SAME_DAY, 0, "当日", "same day"),
        (LimitRule.WORKING_DAYS, 1, "1个工作日", "1 working day"),
        (LimitRule.WORKING_DAYS, 10, "10个工作日", "10 working days"),
    ],
)
def test_describe(rule: LimitRule, days: int, zh: str, en: str) -> None:
    limit = Limit("reply.general", rule, days, "")
    with translation.override("zh-hans"):
        assert limit.describe() == zh
    with translation.override("en"):
        assert limit.describe() == en
