"""举一反三 (R-KB-3): similar open cases of a case, linked into a group with one audit event
per case, and a group answered together: one event per case, a refused case reported."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.events import CaseEvent
from banchengshi.cases.models import State
from banchengshi.errors import ActionRefused, InvalidInput
from banchengshi.knowledge.hotspots.actions import check_answer_group, check_link_cases
from banchengshi.knowledge.hotspots.models import CaseGroupMember
from banchengshi.knowledge.hotspots.similar import similar_open_cases
from banchengshi.org.scope import scope_for
from tests.cases.conftest import CaseBuilder, Org

REPLY = "已与市场监管局核实，材料清单已统一，请按新清单补交后当日办结"


def events(case_id: int, action: CaseEvent) -> int:
    return AuditEvent.objects.filter(case_id=case_id, action=action).count()


def test_similar_open_cases_same_matter_and_text(org: Org, cases: CaseBuilder) -> None:
    origin = cases.in_progress()
    same_matter = cases.dispatched(description="营业执照变更需要的材料前后说法不一")
    same_text = cases.register(description="办理营业执照变更登记时材料被退回两次")
    closed = cases.closed()
    cases.register(description="公积金提取咨询", matter_text="公积金")
    found = similar_open_cases(scope_for(org.dispatcher), origin)
    numbers = {s.similar.case.tracking_no for s in found}
    assert numbers == {same_matter.tracking_no, same_text.tracking_no}
    assert closed.tracking_no not in numbers
    # A handler of department A sees only its own unit's cases among them.
    mine = similar_open_cases(scope_for(org.handler_a), origin)
    assert [s.similar.case.tracking_no for s in mine] == [same_matter.tracking_no]


def test_link_writes_one_event_per_case(org: Org, cases: CaseBuilder) -> None:
    origin, other, third = cases.in_progress(), cases.in_progress(), cases.dispatched()
    group = check_link_cases(org.dispatcher, origin.pk, others=[other.pk, third.pk, other.pk])
    assert set(CaseGroupMember.objects.values_list("case_id", flat=True)) == {
        origin.pk,
        other.pk,
        third.pk,
    }
    for case in (origin, other, third):
        assert events(case.pk, CaseEvent.LINK_SIMILAR) == 1
    # Linking again from a member adds only the new case, with its own event.
    fourth = cases.register()
    again = check_link_cases(org.dispatcher, other.pk, others=[origin.pk, fourth.pk])
    assert again.pk == group.pk
    assert events(origin.pk, CaseEvent.LINK_SIMILAR) == 1
    assert events(fourth.pk, CaseEvent.LINK_SIMILAR) == 1


def test_link_refuses_a_closed_case_naming_it(org: Org, cases: CaseBuilder) -> None:
    origin, closed = cases.in_progress(), cases.closed()
    with translation.override("en"), pytest.raises(ActionRefused) as refused:
        check_link_cases(org.dispatcher, origin.pk, others=[closed.pk])
    assert str(refused.value.message) == (
        f"{closed.tracking_no}: Only open cases are linked with similar ones."
    )
    assert refused.value.status == 409
    assert not CaseGroupMember.objects.exists()
    assert events(origin.pk, CaseEvent.LINK_SIMILAR) == 0


def test_link_refuses_a_case_outside_the_handlers_unit(org: Org, cases: CaseBuilder) -> None:
    origin, elsewhere = cases.in_progress(), cases.register()
    with translation.override("en"), pytest.raises(ActionRefused) as refused:
        check_link_cases(org.handler_a, origin.pk, others=[elsewhere.pk])
    assert str(refused.value.message) == (
        f"{elsewhere.tracking_no}: No case with this number is within your reach."
    )
    assert refused.value.status == 404


def test_link_refuses_a_case_of_another_group(org: Org, cases: CaseBuilder) -> None:
    a, b, c = cases.in_progress(), cases.in_progress(), cases.in_progress()
    check_link_cases(org.dispatcher, a.pk, others=[b.pk])
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        check_link_cases(org.dispatcher, c.pk, others=[b.pk])
    assert refused.value.errors == {"case_ids": [f"Already in another group: {b.tracking_no}."]}


def test_link_needs_a_case(org: Org, cases: CaseBuilder) -> None:
    origin = cases.in_progress()
    with translation.override("zh-hans"):
        with pytest.raises(InvalidInput) as refused:
            check_link_cases(org.dispatcher, origin.pk, others=[origin.pk])
        assert refused.value.errors == {"case_ids": ["请至少选择一件要关联的类似案件。"]}


def test_group_answer_one_event_per_case_and_a_refusal_reported(
    org: Org, cases: CaseBuilder
) -> None:
    first, second = cases.analysed(), cases.analysed()
    unanalysed = cases.in_progress()  # its precondition fails: no cause analysis yet
    group = check_link_cases(org.handler_a, first.pk, others=[second.pk, unanalysed.pk])
    with translation.override("en"):
        answer = check_answer_group(org.handler_a, group.pk, text=REPLY)
    assert sorted(case.pk for case in answer.sent) == [first.pk, second.pk]
    assert [(r.tracking_no, r.reason) for r in answer.refused] == [
        (unanalysed.tracking_no, "Record the cause analysis before replying.")
    ]
    for case in (first, second):
        fresh = cases.fresh(case)
        assert (fresh.state, fresh.reply_text) == (State.REPLIED, REPLY)
        assert events(case.pk, CaseEvent.REPLY) == 1
    assert cases.fresh(unanalysed).state == State.IN_PROGRESS
    assert events(unanalysed.pk, CaseEvent.REPLY) == 0
    group.refresh_from_db()
    assert group.reply_text == REPLY


def test_group_answer_checks_the_text_once(org: Org, cases: CaseBuilder) -> None:
    first = cases.analysed()
    group = check_link_cases(org.handler_a, first.pk, others=[cases.analysed().pk])
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        check_answer_group(org.handler_a, group.pk, text="好")
    assert refused.value.errors == {"text": ["The reply needs at least 5 characters."]}
    assert events(first.pk, CaseEvent.REPLY) == 0


def test_similar_cost_does_not_grow_with_cases(org: Org, cases: CaseBuilder) -> None:
    origin = cases.analysed()
    scope = scope_for(org.handler_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            similar_open_cases(scope, origin)
        return len(captured)

    cases.analysed()
    few = queries()
    for _ in range(12):
        cases.analysed()
    assert queries() == few
