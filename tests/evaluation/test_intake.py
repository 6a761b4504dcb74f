"""Every record of the review platform is kept as an evaluation, through the API and the
import alike, linked to the case a 差评 makes; intake's answers are unchanged."""

from __future__ import annotations

import pytest

from banchengshi.cases.models import Case
from banchengshi.evaluation.models import BadReview, Evaluation
from banchengshi.intake.importer import Table, import_table
from banchengshi.intake.sources import find_source
from tests.cases.conftest import sh

pytestmark = pytest.mark.django_db


def review(**changes):
    record = {
        "评价编号": "HCP-1",
        "评价时间": "2026-11-19 16:00",
        "评价人": "王五",
        "联系电话": "13912345678",
        "事项编码": "M-A",
        "事项名称": "营业执照变更登记",
        "评价等级": "满意",
        "评价内容": "办理很快",
    }
    return {**record, **changes}


def test_a_good_review_is_kept_and_still_refused_as_a_case(org, intake_api):
    response = intake_api.post("review_platform", review())
    assert response.status_code == 422
    assert not Case.objects.exists()
    kept = Evaluation.objects.get()
    assert (kept.level, kept.channel, kept.unit, kept.matter) == (
        4,
        "review_platform",
        org.dept_a,
        org.matter_a,
    )
    assert (kept.evaluated_at, kept.comment, kept.mobile) == (
        sh(2026, 11, 19, 16),
        "办理很快",
        "13912345678",
    )
    assert (kept.external_source, kept.external_id, kept.case) == ("review_platform", "HCP-1", None)


def test_a_bad_review_becomes_a_case_and_is_linked_to_it(org, intake_api):
    response = intake_api.post(
        "review_platform", review(评价等级="非常不满意", 差评原因="多次跑动")
    )
    assert response.status_code == 201, response.content
    kept = Evaluation.objects.get()
    assert kept.case_id == response.json()["id"]
    assert BadReview.objects.filter(evaluation=kept).exists()


def test_the_same_record_twice_is_kept_once(org, intake_api):
    intake_api.post("review_platform", review())
    intake_api.post("review_platform", review(评价内容="第二次推送"))
    assert Evaluation.objects.get().comment == "办理很快"


def test_a_matter_the_catalogue_lacks_is_rated_at_the_hub(org, intake_api):
    intake_api.post("review_platform", review(事项编码="", 事项名称="不存在的事项"))
    assert Evaluation.objects.get().unit == org.hub


def test_an_unreadable_level_is_no_evaluation(org, intake_api):
    response = intake_api.post("review_platform", review(评价等级="还行"))
    assert response.status_code == 422
    assert not Evaluation.objects.exists()


def test_the_import_keeps_every_record(org, system):
    source = find_source("review_platform")
    records = [
        review(),
        review(评价编号="HCP-2", 评价等级="不满意", 差评原因="态度差"),
        review(评价编号="HCP-3", 评价等级="基本满意"),
    ]
    table = Table(columns=[*records[0], "差评原因"], rows=iter(enumerate(records, 2)), total=3)
    report = import_table(system.user, source, table)
    assert (report.created, len(report.rejected)) == (1, 2)
    assert sorted(Evaluation.objects.values_list("external_id", "level")) == [
        ("HCP-1", 4),
        ("HCP-2", 2),
        ("HCP-3", 3),
    ]
    assert Evaluation.objects.get(external_id="HCP-2").case is not None
    again = Table(columns=table.columns, rows=iter(enumerate(records, 2)), total=3)
    import_table(system.user, source, again)
    assert Evaluation.objects.count() == 3
