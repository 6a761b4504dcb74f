"""Earlier and similar cases while registering (R-IN-7): what matches, what the person's scope
leaves out, and that the candidates read are bounded whatever the number of cases."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from banchengshi.cases import similar
from banchengshi.cases.actions.dispatch import check_resolve_on_spot
from banchengshi.cases.actions.registration import check_register_case
from banchengshi.cases.models import Case
from banchengshi.cases.registration import Registration
from banchengshi.cases.similar import bigrams, overlap, registration_hints
from banchengshi.encryption.fields import equal_to
from banchengshi.org.scope import scope_for

from .conftest import CREDIT_CODE, ID_NUMBER, CaseBuilder, FrozenTime, Org, registration, sh

DESCRIPTION = "办理营业执照变更登记时材料被退回三次，仍未办成"


def typed(**fields: object) -> Registration:
    """What the clerk has typed so far: nothing but `fields`."""
    blank = registration(phone="", id_number="", description="", matter_text="")
    return dataclasses.replace(blank, **fields)


def numbers(entries: list) -> list[str]:  # type: ignore[type-arg]
    return [entry.case.tracking_no for entry in entries]


def test_bigrams_and_overlap() -> None:
    assert bigrams("材料被退回") == {"材料", "料被", "被退", "退回"}
    # Punctuation ends a run: no bigram spans "回，仍".
    assert "回仍" not in bigrams("退回，仍未")
    assert bigrams("ABc") == {"ab", "bc"}
    assert bigrams("办") == frozenset()
    same = bigrams(DESCRIPTION)
    assert overlap(same, same) == 1.0
    assert overlap(same, bigrams("咨询公积金提取")) == 0.0
    assert overlap(same, frozenset()) == 0.0
    assert 0.2 < overlap(same, bigrams("营业执照变更登记材料被退回")) < 1.0


def test_earlier_cases_by_each_identifier(org: Org, cases: CaseBuilder) -> None:
    by_phone = cases.register(phone="13900001111", id_number="")
    by_id = cases.register(phone="13700002222", id_number=ID_NUMBER)
    by_code = cases.register(
        phone="13600003333",
        id_number="",
        petitioner_type="enterprise",
        enterprise_name="上海某某贸易有限公司",
        credit_code=CREDIT_CODE,
    )
    cases.register(phone="13500004444", id_number="")
    scope = scope_for(org.clerk)

    hints = registration_hints(scope, typed(phone="+86 139-0000-1111"))
    assert numbers(hints.earlier) == [by_phone.tracking_no]
    with translation.override("en"):
        assert [str(label) for label in hints.earlier[0].matched_by] == ["same phone"]
    assert numbers(registration_hints(scope, typed(id_number=ID_NUMBER.lower())).earlier) == [
        by_id.tracking_no
    ]
    enterprise = typed(petitioner_type="enterprise", credit_code=CREDIT_CODE.lower())
    assert numbers(registration_hints(scope, enterprise).earlier) == [by_code.tracking_no]
    # A person's form ignores a credit code left in the hidden enterprise field.
    assert registration_hints(scope, typed(credit_code=CREDIT_CODE)).earlier == []
    # An identifier that does not validate matches nothing and is not searched for.
    nothing = registration_hints(scope, typed(phone="1390000"))
    assert (nothing.earlier, nothing.searched) == ([], False)


def test_open_cases_first_then_newest(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    frozen_time.set(sh(2026, 11, 16))
    old_open = cases.register(phone="13900001111")
    frozen_time.set(sh(2026, 11, 18))
    closed = cases.register(phone="13900001111")
    check_resolve_on_spot(org.clerk, closed.pk, reply="已当场解答并办结")
    frozen_time.set(sh(2026, 11, 19))
    new_open = cases.register(phone="13900001111")
    frozen_time.set(sh(2026, 11, 20))
    hints = registration_hints(scope_for(org.clerk), typed(phone="13900001111"))
    assert numbers(hints.earlier) == [
        new_open.tracking_no,
        old_open.tracking_no,
        closed.tracking_no,
    ]
    assert [entry.is_open for entry in hints.earlier] == [True, True, False]


def test_cases_outside_the_scope_are_left_out(org: Org, cases: CaseBuilder) -> None:
    elsewhere = check_register_case(org.dispatcher, registration(phone="13900001111"))
    here = cases.register(phone="13900001111")
    looked_for = typed(phone="13900001111")
    assert numbers(registration_hints(scope_for(org.clerk), looked_for).earlier) == [
        here.tracking_no
    ]
    everything = registration_hints(scope_for(org.dispatcher), looked_for)
    assert set(numbers(everything.earlier)) == {here.tracking_no, elsewhere.tracking_no}
    assert registration_hints(scope_for(org.handler_b), looked_for).earlier == []


def test_similar_cases(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> None:
    frozen_time.set(sh(2026, 8, 1))
    too_old = cases.register(matter_id=org.matter_a.pk, description=DESCRIPTION)
    frozen_time.set(sh(2026, 11, 19))
    same_matter = cases.register(matter_id=org.matter_a.pk, description="股东会决议格式不符被退件")
    alike = cases.register(matter_id=org.matter_h.pk, description=DESCRIPTION + "，请协调")
    unrelated = cases.register(matter_id=org.matter_h.pk, description="咨询社保卡补办需要哪些材料")
    frozen_time.set(sh(2026, 11, 20))
    scope = scope_for(org.clerk)

    hints = registration_hints(scope, typed(matter_id=org.matter_a.pk, description=DESCRIPTION))
    assert numbers(hints.similar) == [alike.tracking_no, same_matter.tracking_no]
    first, second = hints.similar
    assert (first.same_matter, second.same_matter) == (False, True)
    assert first.overlap > similar.MIN_OVERLAP > second.overlap
    assert too_old.tracking_no not in numbers(hints.similar)
    assert unrelated.tracking_no not in numbers(hints.similar)
    # Without a matter only the description counts.
    assert numbers(registration_hints(scope, typed(description=DESCRIPTION)).similar) == [
        alike.tracking_no
    ]


def test_the_petitioners_own_cases_are_not_listed_again_as_similar(
    org: Org, cases: CaseBuilder
) -> None:
    own = cases.register(phone="13900001111", description=DESCRIPTION)
    hints = registration_hints(
        scope_for(org.clerk), typed(phone="13900001111", description=DESCRIPTION)
    )
    assert numbers(hints.earlier) == [own.tracking_no]
    assert hints.similar == []


def test_the_excerpt_is_short(org: Org, cases: CaseBuilder) -> None:
    long_text = "材料被退回" * 40
    cases.register(description=long_text)
    [entry] = registration_hints(scope_for(org.clerk), typed(description=long_text)).similar
    assert len(entry.excerpt) == similar.EXCERPT_LENGTH + 1
    assert entry.excerpt.endswith("…")


@pytest.mark.parametrize("extra", [0, 60])
def test_the_candidates_are_bounded(
    org: Org, cases: CaseBuilder, monkeypatch: pytest.MonkeyPatch, extra: int
) -> None:
    """However many cases share a phone, the same few indexed reads decide the lists."""
    monkeypatch.setattr(similar, "CANDIDATES", 5)
    for _ in range(5 + extra):
        cases.register(phone="13900001111", matter_id=org.matter_a.pk)
    scope = scope_for(org.clerk)
    looked_for = typed(phone="13900001111", matter_id=org.matter_a.pk, description=DESCRIPTION)
    with CaptureQueriesContext(connection) as captured:
        hints = registration_hints(scope, looked_for)
    # by phone; by matter; the newest overall; the unit links of those candidates
    assert len(captured) == 4
    assert len(hints.earlier) == 5
    newest = Case.objects.filter(equal_to("phone", "13900001111")).order_by("-received_at", "-id")[
        :5
    ]
    assert set(numbers(hints.earlier)) == {case.tracking_no for case in newest}
