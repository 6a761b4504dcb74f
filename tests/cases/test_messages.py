"""Refusals a user reads are whole sentences of one language, with no command in them: the cap
on extensions (its limit in words of that language) and a deadline in a year whose holiday
schedule is not loaded (what the console says about loading it stays at the console)."""

from __future__ import annotations

import pytest
from django.utils import translation

from banchengshi.cases.actions.clock_requests import check_request_extension
from banchengshi.cases.actions.dispatch import check_screen_case
from banchengshi.errors import InvalidInput

from .conftest import CaseBuilder, FrozenTime, Org, sh

CAP = {
    "zh-hans": "延期后将超过自受理起10个工作日的上限（2026-12-04）。",
    "en": "This would pass the limit of 10 working days from receipt (2026-12-04).",
}
UNKNOWN_2027 = {
    "zh-hans": "2027年的节假日安排尚未载入，无法计算该年内的期限，请联系系统管理员。",
    "en": (
        "The holiday schedule of 2027 has not been loaded yet, so deadlines in that year "
        "cannot be computed. Please tell the system administrator."
    ),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_extension_cap(org: Org, cases: CaseBuilder, language: str) -> None:
    """Putuo: general, due Wed 11-25; the cap is 10 WD from receipt (Fri 12-04): 8 more pass it."""
    case = cases.in_progress()
    with translation.override(language), pytest.raises(InvalidInput) as refused:
        check_request_extension(org.handler_a, case.pk, days=8, reason="需要跨部门调取档案")
    assert refused.value.errors == {"days": [CAP[language]]}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_deadline_in_a_year_not_loaded(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime, language: str
) -> None:
    """Mon 2026-12-28: a complex case's 7 WD would end in January 2027, whose schedule is not
    known (chinesecalendar stops at 2026 and nobody loaded it)."""
    frozen_time.set(sh(2026, 12, 28))
    case = cases.register(matter_id=org.matter_a.pk, complexity="complex")
    with translation.override(language), pytest.raises(InvalidInput) as refused:
        check_screen_case(org.clerk, case.pk, admissible=True)
    assert refused.value.errors == {"deadline": [UNKNOWN_2027[language]]}
