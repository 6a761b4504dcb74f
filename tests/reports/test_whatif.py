"""The what-if replay (issue 14 item 6): the small district of tests/reports/conftest.py, run
under Putuo's policy, replayed under Chongming's 1-3-5 rule and under Liuzhou's, figures
counted by hand; nothing written.

Two cases join the district's November (both received Monday 2026-11-02 10:00, dispatched at
acceptance to department A):
  complex    complexity "complex", cause recorded the same day, replied Tuesday 2026-11-10
  contacted  in progress, the petitioner phoned on Tuesday 2026-11-03, no cause, no reply

The clocks as they ran under Putuo (no contact clock; cause analysis the same day, due
11-02; reply general 3 working days, due 11-05, complex 7, due 11-11; reasons for a refusal
3, due 11-05; return visit 3 from the reply), at 2026-11-30 12:00:
  cause analysis  on time: replied, pleased, displeased, supervised, late, complex (6);
                  open and overdue: open_late, contacted (2)                      rate 6/8
  reply           on time: replied, pleased, displeased, supervised, complex (5);
                  late: late (11-30); open and overdue: open_late, contacted (2)  rate 5/8
  reasons         open and overdue: refused (1)                                   rate 0/1
  return visit    on time: pleased, displeased, supervised (visited 11-02);
                  open and overdue: replied (due 11-05), complex (due 11-13);
                  open: late (replied 11-30, due 12-03)                           rate 3/5
Replayed under Chongming (contact 1 working day from dispatch, due 11-03; reply simple the
same day, general 3, complex 5: due 11-09; no cause-analysis clock, no refusal clock):
  contact         on time: replied, pleased, displeased, supervised (stopped by the reply on
                  11-02), contacted (11-03) (5); late: late (reply 11-30), complex (reply
                  11-10) (2); open and overdue: open_late (1)                     rate 5/8
  reply           on time: replied, pleased, displeased, supervised (4); late: late,
                  complex (11-10 > 11-09) (2); open and overdue: open_late, contacted (2)
                                                                                  rate 4/8
  return visit    as under Putuo (both 3 working days)                            rate 3/5
Flipped (overdue under one, not under the other): contact of late, open_late and complex;
cause analysis of open_late and contacted; the reply of complex; the refused case's reasons:
7 in all.
"""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import translation

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.actions.answer import check_reply_case
from banchengshi.cases.actions.handling import check_record_contact
from banchengshi.cases.models import Case, Clock
from banchengshi.errors import InvalidInput
from banchengshi.reports.scopes import ReportScope
from banchengshi.reports.whatif_output import as_json, whatif
from tests.cases.conftest import CaseBuilder, FrozenTime, sh
from tests.reports.conftest import NOW, District


@pytest.fixture
def replayed(district: District, cases: CaseBuilder, frozen_time: FrozenTime) -> District:
    org = district.org
    frozen_time.set(sh(2026, 11, 2))
    complex_case = cases.analysed(complexity="complex")
    contacted = cases.in_progress()
    frozen_time.set(sh(2026, 11, 3))
    check_record_contact(org.handler_a, contacted.pk, method="phone", outcome="已电话联系申请人")
    frozen_time.set(sh(2026, 11, 10))
    check_reply_case(org.handler_a, complex_case.pk, text="已补正材料，业务已办结")
    frozen_time.set(NOW)
    district.cases["complex"] = Case.objects.get(pk=complex_case.pk)
    district.cases["contacted"] = Case.objects.get(pk=contacted.pk)
    return district


def figures(on_time: int, late: int, open_overdue: int, open_: int, rate: float | None) -> dict:
    return {
        "on_time": on_time,
        "late": late,
        "open_overdue": open_overdue,
        "overdue": late + open_overdue,
        "open": open_,
        "on_time_rate": rate,
        "provisional": 0,
    }


NONE = figures(0, 0, 0, 0, None)
PUTUO = {
    "contact": NONE,
    "cause_analysis": figures(6, 0, 2, 0, 0.75),
    "reply": figures(5, 1, 2, 0, 0.625),
    "not_admissible_reply": figures(0, 0, 1, 0, 0.0),
    "return_visit": figures(3, 0, 2, 1, 0.6),
}
CHONGMING = {
    "contact": figures(5, 2, 1, 0, 0.625),
    "cause_analysis": NONE,
    "reply": figures(4, 2, 2, 0, 0.5),
    "not_admissible_reply": NONE,
    "return_visit": figures(3, 0, 2, 1, 0.6),
}


def sides(data: dict[str, Any], side: str) -> dict[str, dict]:
    return {clock["kind"]: clock[side] for clock in data["clocks"]}


def test_chongming_beside_putuo(replayed: District) -> None:
    data = as_json(whatif("2026-11", ReportScope(), "chongming"))
    assert data["cases"] == 10
    assert data["as_of"] == "2026-11-30T12:00:00+08:00"
    assert [row["key"] for row in data["actual_policy"]] == ["putuo@2023.3"]
    assert data["actual_policy"][0]["cases"] == 10
    assert data["target_policy"]["key"] == "chongming@2023.3"
    assert sides(data, "actual") == PUTUO
    assert sides(data, "replayed") == CHONGMING
    by_case = {case.pk: key for key, case in replayed.cases.items()}
    flipped = sorted(
        (by_case[row["case_id"]], row["kind"], row["actual"], row["replayed"])
        for row in data["flipped"]
    )
    assert flipped == [
        ("complex", "contact", "none", "late"),
        ("complex", "reply", "on_time", "late"),
        ("contacted", "cause_analysis", "open_overdue", "none"),
        ("late", "contact", "none", "late"),
        ("open_late", "cause_analysis", "open_overdue", "none"),
        ("open_late", "contact", "none", "open_overdue"),
        ("refused", "not_admissible_reply", "open_overdue", "none"),
    ]
    assert data["flipped_total"] == 7
    # A clock both policies run comes first.
    assert (data["flipped"][0]["kind"], data["flipped"][0]["case_id"]) == (
        "reply",
        replayed.cases["complex"].pk,
    )
    complex_reply = next(row for row in data["flipped"] if row["kind"] == "reply")
    assert complex_reply["actual_due"] == "2026-11-11T23:59:59.999999+08:00"
    assert complex_reply["replayed_due"] == "2026-11-09T23:59:59.999999+08:00"
    assert complex_reply["url"] == f"/staff/cases/{replayed.cases['complex'].pk}/"
    assert data["notes"] == []


def test_the_own_policy_replays_to_what_happened(replayed: District) -> None:
    data = as_json(whatif("2026-11", ReportScope(), "putuo"))
    assert sides(data, "actual") == sides(data, "replayed") == PUTUO
    assert (data["flipped"], data["flipped_total"]) == ([], 0)


def test_a_stored_version_is_a_target_too(replayed: District) -> None:
    data = as_json(whatif("2026-11", ReportScope(), "putuo@2023.3"))
    assert data["target_policy"]["key"] == "putuo@2023.3"
    assert sides(data, "replayed") == PUTUO


def test_liuzhou_says_what_it_assumed(replayed: District) -> None:
    # Reply by the cause's side: every recorded cause here is the petitioner's (materials),
    # 3 working days (due 11-05); open_late and contacted have none, so the default (the
    # petitioner's) is taken and said. complex (replied 11-10) turns late.
    with translation.override("zh-hans"):
        data = as_json(whatif("2026-11", ReportScope(), "liuzhou"))
    assert sides(data, "replayed")["reply"] == figures(4, 2, 2, 0, 0.5)
    assert [(n["code"], n["kind"], n["cases"]) for n in data["notes"]] == [
        ("no_cause_side", "reply", 2)
    ]
    assert data["notes"][0]["text"] == "2件未记录原因归属：按目标政策的默认时限计算。"


def test_a_unit_scope_replays_its_cases_only(replayed: District) -> None:
    # Department B handles nothing: no case, every figure zero.
    scope = ReportScope(unit=replayed.org.dept_b)
    data = as_json(whatif("2026-11", scope, "chongming"))
    assert data["cases"] == 0
    assert sides(data, "replayed")["reply"] == NONE


def test_nothing_is_written(replayed: District) -> None:
    def dump() -> list[list[dict]]:
        return [
            [model_to_dict(row) for row in Case.objects.order_by("pk")],
            [model_to_dict(row) for row in Clock.objects.order_by("pk")],
        ]

    before, events = dump(), AuditEvent.objects.count()
    for policy in ("chongming", "liuzhou", "putuo"):
        whatif("2026-Q4", ReportScope(), policy)
    assert dump() == before
    assert AuditEvent.objects.count() == events


def test_a_deadline_into_an_unloaded_year_is_flagged(
    org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    # Received Wednesday 2026-12-30, complex: Putuo's 7 working days and Chongming's 5 both
    # reach 2027, whose schedule is not loaded: provisional on both sides. Chongming's contact
    # (due Thursday 12-31) is not.
    frozen_time.set(sh(2026, 12, 30))
    cases.in_progress(complexity="complex")
    frozen_time.set(sh(2026, 12, 31, 12))
    with translation.override("zh-hans"):
        data = as_json(whatif("2026-12", ReportScope(), "chongming"))
    assert sides(data, "actual")["reply"]["provisional"] == 1
    assert sides(data, "replayed")["reply"]["provisional"] == 1
    assert sides(data, "replayed")["contact"]["provisional"] == 0
    assert [(n["code"], n["kind"], n["cases"]) for n in data["notes"]] == [
        ("provisional", "reply", 1)
    ]
    assert data["notes"][0]["text"] == (
        "1个重算的期限跨入尚未载入节假日安排的年份（按周一至周五计算工作日）：为暂定期限。"
    )


CHOOSE = "不是本系统的政策；请选择 chongming, liuzhou, putuo，或已保存的版本（如 putuo@2023.3）。"


@pytest.mark.parametrize(
    ("policy", "quoted"),
    [
        ("shanghai", "“shanghai”"),
        ("putuo@1999.1", "“putuo@1999.1”"),
        ("chong\x00ming", "“chongming”"),
        ("", "“”"),
    ],
)
def test_an_unknown_policy_is_refused_in_words(
    district: District, policy: str, quoted: str
) -> None:
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as refused:
        whatif("2026-11", ReportScope(), policy)
    assert (refused.value.field, str(refused.value.message)) == ("policy", quoted + CHOOSE)


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_the_api_answers_the_same_figures(replayed: District) -> None:
    response = client_of(replayed.org.officeadmin).get(
        "/api/v1/reports/whatif?period=2026-11&policy=chongming"
    )
    assert response.status_code == 200
    data = response.json()
    assert sorted(data) == [
        "actual_policy",
        "as_of",
        "cases",
        "clocks",
        "computed_at",
        "first_day",
        "flipped",
        "flipped_total",
        "last_day",
        "notes",
        "period",
        "scope",
        "target_policy",
    ]
    assert sides(data, "replayed") == CHONGMING
    assert data["scope"] == {
        "key": "district",
        "unit": None,
        "unit_name": None,
        "units_below": None,
    }


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("period=2026-11&policy=chong%00ming", 400, None),
        ("period=2026-1%00&policy=chongming", 400, None),
        ("period=2026-13&policy=chongming", 422, "period"),
        ("period=2026-11&policy=shanghai", 422, "policy"),
        ("period=2026-11", 422, None),
        ("period=2026-11&policy=chongming&unit=999999", 404, None),
    ],
)
def test_the_api_refuses_bad_input_in_words(
    district: District, query: str, status: int, field: str | None
) -> None:
    response = client_of(district.org.officeadmin).get(f"/api/v1/reports/whatif?{query}")
    assert response.status_code == status
    body = response.json()
    assert body["message"]
    if field:
        assert body["field"] == field


def test_the_api_keeps_a_leader_to_their_units(district: District) -> None:
    org = district.org
    leader = client_of(org.leader_a)
    own = leader.get(f"/api/v1/reports/whatif?period=2026-11&policy=chongming&unit={org.dept_a.pk}")
    assert (own.status_code, own.json()["scope"]["key"]) == (200, f"unit-{org.dept_a.pk}")
    other = leader.get(
        f"/api/v1/reports/whatif?period=2026-11&policy=chongming&unit={org.dept_b.pk}"
    )
    assert (other.status_code, other.json()["message"]) == (403, "您只能查阅本单位的报告。")
    clerk = client_of(org.clerk).get("/api/v1/reports/whatif?period=2026-11&policy=chongming")
    assert clerk.status_code == 403


def test_the_page_sets_the_figures_side_by_side(replayed: District) -> None:
    html = (
        client_of(replayed.org.officeadmin)
        .get("/staff/reports/whatif/?period=2026-11&policy=chongming")
        .content.decode()
    )
    row = html[html.index('data-kind="reply"') :]
    cells = row[: row.index("</tr>")]
    assert [c.split("<")[0] for c in cells.split("<td>")[1:]] == [
        "5",
        "1",
        "2",
        "62.5%",
        "4",
        "2",
        "2",
        "50.0%",
    ]
    complex_case = replayed.cases["complex"]
    assert f'<a href="/staff/cases/{complex_case.pk}/">{complex_case.tracking_no}</a>' in html
    assert "7项结果改变" in html


def test_the_report_page_links_to_it(replayed: District) -> None:
    html = (
        client_of(replayed.org.officeadmin)
        .get("/staff/reports/?kind=monthly&period=2026-11")
        .content.decode()
    )
    assert "/staff/reports/whatif/?period=2026-11&amp;below=1" in html


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("policy=shanghai", 422, "“shanghai”不是本系统的政策"),
        ("policy=sh%00anghai", 400, "网址中含有不可见的控制字符（如空字符 NUL）"),
        ("policy=chongming&period=2026-13", 422, "“2026-13”不是本报告的统计期"),
    ],
)
def test_the_page_refuses_bad_input_in_words(
    district: District, query: str, status: int, message: str
) -> None:
    response = client_of(district.org.officeadmin).get(f"/staff/reports/whatif/?{query}")
    assert response.status_code == status
    assert message in response.content.decode()


def test_the_page_opens_with_the_form_only(district: District) -> None:
    response = client_of(district.org.officeadmin).get("/staff/reports/whatif/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="2026-10"' in html
    assert 'data-kind="reply"' not in html


def test_the_command_prints_json(replayed: District) -> None:
    out = StringIO()
    call_command(
        "whatif", "--period", "2026-11", "--policy", "chongming", "--format", "json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert sides(data, "replayed") == CHONGMING
    assert data["flipped_total"] == 7


def test_the_command_prints_a_table(replayed: District) -> None:
    out = StringIO()
    call_command("whatif", "--period", "2026-11", "--policy", "chongming", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("2026-11 district: 10 cases")
    reply = next(line for line in lines if line.startswith("reply"))
    assert reply.split() == [
        "reply",
        "5",
        "->",
        "4",
        "1",
        "->",
        "2",
        "2",
        "->",
        "2",
        "0",
        "->",
        "0",
        "0.625",
        "->",
        "0.5",
    ]
    assert "flipped: 7" in lines


def test_the_command_refuses_an_unknown_policy(district: District) -> None:
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("whatif", "--period", "2026-11", "--policy", "shanghai")
    assert str(refused.value).startswith("“shanghai” is no policy here")
