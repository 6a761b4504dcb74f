"""POST /api/v1/intake/{source} (R-IN-3): mapped fields, channel, idempotency, clear errors."""

from __future__ import annotations

import pytest
from django.test import Client

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import Case, Category, Channel, PetitionerType, State
from banchengshi.intake import actions
from banchengshi.notify.models import OutboxMessage
from tests.cases.conftest import CREDIT_CODE, Org, sh
from tests.intake.conftest import IntakeApi, hotline_record, token_for


def test_a_hotline_work_order_becomes_a_case(org: Org, intake_api: IntakeApi) -> None:
    response = intake_api.post("12345", hotline_record())
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body == {
        "id": case.pk,
        "tracking_no": "PT-2026-000001",
        "state": "registered",
        "channel": "hotline_12345",
        "received_at": "2026-11-20T09:30:00+08:00",
        "external_source": "12345",
        "external_id": "GD20261120000123",
    }
    assert (case.channel, case.state) == (Channel.HOTLINE_12345, State.REGISTERED)
    assert case.registered_unit == org.hub
    assert case.received_at == sh(2026, 11, 20, 9, 30)
    assert (case.petitioner_name, case.phone, case.petitioner_type) == (
        "李四",
        "13812345678",
        PetitionerType.PERSON,
    )
    assert case.matter == org.matter_a
    assert case.category == Category.HANDLING
    assert case.request == "希望尽快办结"
    assert AuditEvent.objects.get(case=case).payload == {"channel": "hotline_12345"}
    sms = OutboxMessage.objects.get(case=case)
    assert (sms.channel, sms.recipient, sms.template) == ("sms", "13812345678", "intake_received")
    assert sms.payload["tracking_no"] == "PT-2026-000001"


def test_the_same_record_twice_is_one_case_and_the_same_answer(
    org: Org, intake_api: IntakeApi
) -> None:
    first = intake_api.post("12345", hotline_record())
    again = intake_api.post("12345", hotline_record())
    changed = intake_api.post("12345", hotline_record(诉求内容="同一工单再次推送，内容略有改动"))
    assert (first.status_code, again.status_code, changed.status_code) == (201, 200, 200)
    assert first.json() == again.json() == changed.json()
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_the_same_id_from_another_source_is_another_record(org: Org, intake_api: IntakeApi) -> None:
    intake_api.post("12345", hotline_record(工单编号="X-1"))
    review = {
        "评价编号": "X-1",
        "评价时间": "2026-11-19 16:00",
        "评价人": "王五",
        "联系电话": "13912345678",
        "事项名称": "社保卡补办",
        "评价等级": "非常不满意",
        "差评原因": "多次跑动",
        "评价内容": "跑了三次还没办好",
    }
    response = intake_api.post("review_platform", review)
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.channel, case.category) == (Channel.REVIEW_PLATFORM, Category.COMPLAINT)
    assert (
        case.description
        == "对“社保卡补办”的服务评价为“非常不满意”。差评原因：多次跑动。跑了三次还没办好"
    )
    assert Case.objects.count() == 2


def test_a_good_review_is_refused_with_the_reason(org: Org, intake_api: IntakeApi) -> None:
    review = {
        "评价编号": "R-9",
        "评价人": "王五",
        "联系电话": "13912345678",
        "事项名称": "社保卡补办",
        "评价等级": "满意",
    }
    response = intake_api.post("review_platform", review)
    assert response.status_code == 422
    assert response.json()["errors"]["评价等级"] == [
        "Only records with 评价等级 in (不满意、非常不满意) become cases; this one has “满意”."
    ]
    assert not Case.objects.exists()


def test_a_midway_exit_for_an_enterprise(org: Org, intake_api: IntakeApi) -> None:
    record = {
        "反馈编号": "ZT-0001",
        "反馈时间": "2026-11-20T08:00:00+08:00",
        "用户姓名": "赵六",
        "手机号码": "13712345678",
        "用户类型": "法人",
        "企业名称": "上海某某餐饮有限公司",
        "统一社会信用代码": CREDIT_CODE,
        "事项编码": "NOT-OURS",
        "事项名称": "食品经营许可证变更",
        "申请编号": "YW-2026-88",
        "退出环节": "材料上传",
        "退出原因": "系统无法上传PDF",
    }
    response = intake_api.post("midway_exit", record)
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.channel == Channel.MIDWAY_EXIT
    assert case.petitioner_type == PetitionerType.ENTERPRISE
    assert (case.enterprise_name, case.credit_code) == ("上海某某餐饮有限公司", CREDIT_CODE)
    # The portal's matter code is not in our catalogue: its name is kept as free text.
    assert (case.matter, case.matter_text) == (None, "食品经营许可证变更")
    assert case.online_application_no == "YW-2026-88"
    assert (
        case.description
        == "“食品经营许可证变更”网上办理时在“材料上传”环节中途退出。退出原因：系统无法上传PDF。"
    )


def test_problems_are_reported_under_the_sources_columns(org: Org, intake_api: IntakeApi) -> None:
    record = hotline_record(
        联系电话="12345",
        诉求类型="闲聊",
        来电时间="昨天上午",
        诉求内容="短",
        事项编码="NOPE",
        事项名称="",
    )
    response = intake_api.post("12345", record)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    errors = body["errors"]
    assert set(errors) == {"联系电话", "诉求类型", "来电时间", "诉求内容", "事项编码"}
    assert errors["联系电话"][0].startswith("Enter an 11-digit mobile number")
    assert errors["诉求类型"] == [
        "Unknown value “闲聊”; expected one of: 咨询、求助、投诉、举报、建议、complaint、"
        "consultation、handling、suggestion."
    ]
    assert errors["事项编码"] == ["No service matter has the code “NOPE”."]
    assert errors["来电时间"] == ["Enter a date and time such as 2026-11-20 09:30 (Beijing time)."]
    assert not Case.objects.exists()


def test_a_record_without_its_id_is_refused(org: Org, intake_api: IntakeApi) -> None:
    response = intake_api.post("12345", hotline_record(工单编号=" "))
    assert response.status_code == 422
    assert response.json()["errors"] == {"工单编号": ["The record's id is required."]}
    long_id = intake_api.post("12345", hotline_record(工单编号="9" * 65))
    assert long_id.json()["errors"] == {
        "工单编号": ["The record's id must be at most 64 characters of text."]
    }


def test_an_old_record_is_refused_by_the_engines_rule(org: Org, intake_api: IntakeApi) -> None:
    response = intake_api.post("12345", hotline_record(来电时间="2026-09-01 10:00"))
    assert response.json()["errors"] == {
        "来电时间": ["The time received cannot be more than 30 days ago."]
    }


def test_an_unknown_source_is_not_found(org: Org, intake_api: IntakeApi) -> None:
    response = intake_api.post("carrier_pigeon", hotline_record())
    assert response.status_code == 404
    assert response.json()["message"] == "There is no intake source called “carrier_pigeon”."


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ([1, 2, 3], ""),
        ({"工单编号": {"nested": True}}, "工单编号"),
        ({"工单编号": "X", "诉求内容": "长" * 5001}, "诉求内容"),
        ({f"列{i}": i for i in range(201)}, ""),
        ({"工单编号": "有空字符\x00"}, "工单编号"),
    ],
)
def test_malformed_bodies_are_a_422(
    org: Org, intake_api: IntakeApi, record: object, field: str
) -> None:
    response = intake_api.post("12345", record)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field or field in response.json()["errors"]


def test_a_body_beyond_the_servers_limit_is_not_a_server_error(
    org: Org, intake_api: IntakeApi
) -> None:
    record = {f"列{i}": "长" * 4900 for i in range(200)}
    response = intake_api.post("12345", record)
    assert response.status_code == 413, response.content
    assert response.json()["code"] == "too_large"


def test_without_a_token_it_is_unauthenticated(org: Org) -> None:
    response = Client().post("/api/v1/intake/12345", {}, content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize("who", ["clerk", "dispatcher", "handler_b"])
def test_only_the_sources_own_account_registers_its_records(
    org: Org, intake_api: IntakeApi, who: str
) -> None:
    """Issue 15 item 5: any other account is refused in words, and learns nothing of
    whether the record exists."""
    other = IntakeApi(token_for(getattr(org, who)))
    response = other.post("12345", hotline_record())
    assert response.status_code == 400
    assert response.json() == {
        "code": "external_source_not_allowed",
        "message": "Only the intake account of the external source “12345” may register "
        "records under its ids.",
        "field": "external_source",
    }
    assert not Case.objects.exists()
    assert intake_api.post("12345", hotline_record()).status_code == 201
    again = other.post("12345", hotline_record())
    assert again.status_code == 400
    assert "tracking_no" not in again.content.decode()


def test_a_concurrent_copy_answers_with_the_winners_case(
    org: Org, intake_api: IntakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loser of a race does not see the record at first, collides on the unique
    constraint, rolls back and answers with the winner's case."""
    winner = intake_api.post("12345", hotline_record()).json()
    real = actions.registered_case
    calls: list[int] = []

    def not_yet_committed(*args: object) -> Case | None:
        calls.append(1)
        return None if len(calls) == 1 else real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(actions, "registered_case", not_yet_committed)
    loser = intake_api.post("12345", hotline_record())
    assert loser.status_code == 200
    assert loser.json() == winner
    assert len(calls) == 2
    assert Case.objects.count() == 1
    assert AuditEvent.objects.filter(action="register").count() == 1
    assert OutboxMessage.objects.count() == 1


def test_the_openapi_document_describes_the_intake(org: Org) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/intake/{source}"]["post"]
    assert {"200", "201", "404", "409", "422"} <= set(operation["responses"])
    [source] = operation["parameters"]
    assert source["examples"] or source["schema"].get("examples")
