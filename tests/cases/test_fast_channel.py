"""The fast channel (绿色通道, seed 004) in the engine: special groups and consent recorded at
registration, the audit event, the hub's queues putting it first, the counts for the reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.fast_channel import FastChannelCount, fast_channel_counts
from banchengshi.cases.models import WorkItem
from banchengshi.cases.queues import dispatch_queue
from banchengshi.cases.special_groups import SpecialGroupInput
from banchengshi.errors import InvalidInput
from banchengshi.org.scope import scope_for
from tests.cases.conftest import CaseBuilder, Org, sh

pytestmark = pytest.mark.django_db

CONSENTED = SpecialGroupInput(("disabled", "elderly"), "张三之女 张丽", "written")


def test_it_records_the_groups_and_the_consent(cases: CaseBuilder) -> None:
    case = cases.register(special=CONSENTED)
    assert (case.elderly, case.disabled, case.limited_mobility, case.fast_channel) == (
        True,
        True,
        False,
        True,
    )
    assert (case.consent_by, case.consent_method, case.consent_at) == (
        "张三之女 张丽",
        "written",
        sh(2026, 11, 20),
    )
    event = AuditEvent.objects.get(case_id=case.pk, action="register")
    assert event.payload == {
        "channel": "window",
        "special_groups": ["elderly", "disabled"],
        "consent": {"by": "张三之女 张丽", "method": "written"},
    }


def test_without_a_group_nothing_is_recorded(cases: CaseBuilder) -> None:
    case = cases.register(special=SpecialGroupInput((), "张三", "oral"))
    assert (case.fast_channel, case.consent_by, case.consent_at) == (False, "", None)
    assert AuditEvent.objects.get(case_id=case.pk).payload == {"channel": "window"}


@pytest.mark.parametrize(
    ("special", "errors"),
    [
        (
            SpecialGroupInput(("elderly",)),
            {
                "consent_by": [
                    "Record who gave consent: the person, or a relative or guardian by name."
                ],
                "consent_method": ["Record how the consent was given."],
            },
        ),
        (
            SpecialGroupInput(("elderly", "tall"), "张三", "oral"),
            {"special_groups": ["Unknown special group."]},
        ),
        (
            SpecialGroupInput(("elderly",), "张" * 101, "fax"),
            {
                "consent_by": ["The name is too long (at most 100 characters)."],
                "consent_method": ["Record how the consent was given."],
            },
        ),
    ],
)
def test_a_flag_needs_consent(cases: CaseBuilder, special, errors) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        with pytest.raises(InvalidInput) as caught:
            cases.register(special=special)
        assert {k: [str(m) for m in v] for k, v in caught.value.errors.items()} == errors


def test_the_hub_queue_puts_the_fast_channel_first(org: Org, cases: CaseBuilder) -> None:
    plain = cases.awaiting()
    fast = cases.awaiting(special=CONSENTED)
    assert WorkItem.objects.get(case=fast, kind="dispatch").fast
    rows = dispatch_queue(scope_for(org.dispatcher), 1).rows
    assert [row.item.case_id for row in rows] == [fast.pk, plain.pk]


def test_counts_by_period_and_unit(org: Org, cases: CaseBuilder, frozen_time) -> None:  # type: ignore[no-untyped-def]
    cases.register(special=CONSENTED)
    cases.register(special=SpecialGroupInput(("limited_mobility",), "张三", "oral"))
    cases.register()
    frozen_time.set(sh(2026, 11, 23, 9))
    cases.register(special=CONSENTED)
    assert fast_channel_counts(since=dt.date(2026, 11, 20), until=dt.date(2026, 11, 22)) == [
        FastChannelCount(org.hall.pk, cases=2, elderly=1, disabled=1, limited_mobility=1)
    ]
    assert fast_channel_counts(since=dt.date(2026, 11, 20), until=dt.date(2026, 11, 23)) == [
        FastChannelCount(org.hall.pk, cases=3, elderly=2, disabled=2, limited_mobility=1)
    ]
    assert (
        fast_channel_counts(
            since=dt.date(2026, 11, 20), until=dt.date(2026, 11, 23), unit_ids=[org.dept_a.pk]
        )
        == []
    )
