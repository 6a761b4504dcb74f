"""Refusals a user reads are whole sentences of one language, with no command in them: the cap
on extensions (its limit in words of that language). A deadline in a year whose holiday
schedule is not loaded is no longer refused but provisional (tests/cases/test_provisional.py)."""

from __future__ import annotations

import pytest
from django.utils import translation

from banchengshi.cases.actions.clock_requests import check_request_extension
from banchengshi.errors import InvalidInput

from .conftest import CaseBuilder, Org

CAP = {
    "zh-hans": "延期后将超过自受理起10个工作日的上限（2026-12-04）。",
    "en": "This would pass the limit of 10 working days from receipt (2026-12-04).",
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_extension_cap(org: Org, cases: CaseBuilder, language: str) -> None:
    """Putuo: general, due Wed 11-25; the cap is 10 WD from receipt (Fri 12-04): 8 more pass it."""
    case = cases.in_progress()
    with translation.override(language), pytest.raises(InvalidInput) as refused:
        check_request_extension(org.handler_a, case.pk, days=8, reason="需要跨部门调取档案")
    assert refused.value.errors == {"days": [CAP[language]]}
