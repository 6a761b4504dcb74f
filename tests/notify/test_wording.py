"""Every kind of staff notice has its words in both languages, from its params and its case's
tracking number; a notice missing a param is still worded, never an error."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from banchengshi.notify.models import NotificationKind
from banchengshi.notify.wording import COMPOSERS, notice_text, sms_what, staff_email

NO = "PT-2026-000042"
DUE = "2026-11-25T23:59:59.999999+08:00"
K = NotificationKind

# kind: (params, Chinese, English)
WORDS: dict[NotificationKind, tuple[dict[str, Any], str, str]] = {
    K.REMINDER_BEFORE_YELLOW: (
        {"due": DUE},
        "案件 PT-2026-000042 即将到期：2026-11-25 23:59。",
        "The deadline of case PT-2026-000042 is approaching: 2026-11-25 23:59.",
    ),
    K.REMINDER_YELLOW: (
        {"due": DUE},
        "案件 PT-2026-000042 已进入黄灯预警，期限 2026-11-25 23:59。",
        "Case PT-2026-000042 is due soon: 2026-11-25 23:59.",
    ),
    K.REMINDER_RED: (
        {"due": "2026-11-25T15:59:59+00:00"},
        "案件 PT-2026-000042 已超期，期限为 2026-11-25 23:59。",
        "Case PT-2026-000042 is overdue since 2026-11-25 23:59.",
    ),
    K.OVERDUE_DIGEST: (
        {"count": 7, "tracking_numbers": ["PT-2026-000042", "PT-2026-000043"]},
        "有 7 件案件超期，包括 PT-2026-000042、PT-2026-000043，请查看督办列表。",
        "7 cases are overdue, among them PT-2026-000042, PT-2026-000043; see the supervision list.",
    ),
    K.CASE_DISPATCHED: (
        {"unit": "区市场监管局"},
        "案件 PT-2026-000042 已派发至区市场监管局。",
        "Case PT-2026-000042 was dispatched to 区市场监管局.",
    ),
    K.COHANDLING_REQUESTED: (
        {"unit": "区人社局", "due": DUE},
        "请区人社局协办案件 PT-2026-000042，于 2026-11-25 23:59 前答复。",
        "区人社局 is asked to co-handle case PT-2026-000042; answer by 2026-11-25 23:59.",
    ),
    K.SUPERVISION_OPENED: (
        {"round": 2, "due": DUE},
        "案件 PT-2026-000042 已被督办（第 2 轮），请于 2026-11-25 23:59 前答复。",
        "Case PT-2026-000042 is under supervision (round 2); reply by 2026-11-25 23:59.",
    ),
    K.EXTENSION_GRANTED: (
        {"due": "2026-12-04"},
        "案件 PT-2026-000042 的答复期限已延长至 2026-12-04。",
        "The reply deadline of case PT-2026-000042 was extended to 2026-12-04.",
    ),
    K.DEADLINE_MOVED: (
        {"old_due": DUE, "new_due": "2027-01-05T23:59:59.999999+08:00"},
        "案件 PT-2026-000042 的期限由 2026-11-25 23:59 调整为 2027-01-05 23:59。",
        "A deadline of case PT-2026-000042 moved from 2026-11-25 23:59 to 2027-01-05 23:59.",
    ),
    K.CALENDAR_MISSING_YEAR: (
        {"year": 2027},
        "2027 年的放假安排尚未导入，落在该年的期限为暂定。请在“系统管理”中导入。",
        "The holiday schedule of 2027 is not loaded; deadlines in it are provisional. "
        "Load it under Administration.",
    ),
    K.WEBHOOK_DISABLED: (
        {"url": "https://hooks.example/bcs"},
        "Webhook 接收地址 https://hooks.example/bcs 因多次推送失败已被停用。",
        "The webhook endpoint https://hooks.example/bcs was disabled after repeated failures.",
    ),
    K.MESSAGE_GIVEN_UP: (
        {"channel": "sms", "recipient": "138****5678"},
        "发往 138****5678 的消息（sms）无法发送，已放弃重试。",
        "A message (sms) to 138****5678 could not be sent and was given up.",
    ),
    K.RECTIFICATION_OPENED: (
        {"item": 3, "unit": "区市场监管局", "due": DUE},
        "已为区市场监管局立项第 3 号整改，须于 2026-11-25 23:59 前完成。",
        "Rectification no. 3 is opened for 区市场监管局; due by 2026-11-25 23:59.",
    ),
    K.RECTIFICATION_DUE_SOON: (
        {"item": 3, "unit": "区市场监管局", "due": DUE},
        "区市场监管局第 3 号整改须于 2026-11-25 23:59 前完成。",
        "Rectification no. 3 of 区市场监管局 is due by 2026-11-25 23:59.",
    ),
    K.RECTIFICATION_OVERDUE: (
        {"item": 3, "unit": "区市场监管局", "due": DUE},
        "区市场监管局第 3 号整改已于 2026-11-25 23:59 超期。",
        "Rectification no. 3 of 区市场监管局 is overdue since 2026-11-25 23:59.",
    ),
    K.BAD_REVIEW_OPENED: (
        {"evaluation": 3, "unit": "区政务服务中心大厅", "due": DUE},
        "区政务服务中心大厅第 3 号差评须于 2026-11-25 23:59 前处理完毕。",
        "Bad review no. 3 of 区政务服务中心大厅 to handle by 2026-11-25 23:59.",
    ),
    K.BAD_REVIEW_DUE_SOON: (
        {"evaluation": 3, "unit": "区政务服务中心大厅", "due": DUE},
        "区政务服务中心大厅第 3 号差评须于 2026-11-25 23:59 前处理完毕。",
        "Bad review no. 3 of 区政务服务中心大厅 is due by 2026-11-25 23:59.",
    ),
    K.BAD_REVIEW_OVERDUE: (
        {"evaluation": 3, "unit": "区政务服务中心大厅", "due": DUE},
        "区政务服务中心大厅第 3 号差评已于 2026-11-25 23:59 超期。",
        "Bad review no. 3 of 区政务服务中心大厅 is overdue since 2026-11-25 23:59.",
    ),
    K.RECTIFICATION_SENT_BACK: (
        {"item": 3, "unit": "区市场监管局", "due": DUE},
        "区市场监管局第 3 号整改被退回，须于 2026-11-25 23:59 前完成。",
        "Rectification no. 3 of 区市场监管局 was sent back; due by 2026-11-25 23:59.",
    ),
    K.ASSISTANCE_DUE_SOON: (
        {"request": 7, "clock": "review", "due": DUE},
        "上门服务申请 7：审核须在 2026-11-25 23:59 前完成。",
        "Door-to-door request no. 7: the review is due by 2026-11-25 23:59.",
    ),
    K.ASSISTANCE_OVERDUE: (
        {"request": 7, "clock": "visit", "due": DUE},
        "上门服务申请 7：上门服务已于 2026-11-25 23:59 超期。",
        "Door-to-door request no. 7: the visit is overdue since 2026-11-25 23:59.",
    ),
    K.HOTSPOT_RAISED: (
        {"subject": "社保卡补办", "count": 12, "since": "2026-11-10"},
        "热点：自2026-11-10以来有12件关于社保卡补办的案件。",
        "Hot spot: 12 cases about 社保卡补办 since 2026-11-10.",
    ),
    K.REPORT_READY: (
        {"kind": "quarterly", "period": "2026-Q4"},
        "2026-Q4 季报已生成，请在“统计报告”中查看。",
        "The quarterly report of 2026-Q4 is ready under Reports.",
    ),
}


def test_every_kind_has_words() -> None:
    assert set(COMPOSERS) == set(NotificationKind)
    assert set(WORDS) == set(NotificationKind)


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_the_words_of_each_kind_in_both_languages(kind: NotificationKind) -> None:
    params, chinese, english = WORDS[kind]
    with translation.override("zh-hans"):
        assert notice_text(kind, params, NO) == chinese
    with translation.override("en"):
        assert notice_text(kind, params, NO) == english


@pytest.mark.parametrize("kind", list(NotificationKind))
@pytest.mark.parametrize(
    "params", [{}, {"due": "next week", "round": "2", "count": None, "year": True, "url": ""}]
)
def test_missing_or_malformed_params_still_give_words(
    kind: NotificationKind, params: dict[str, Any]
) -> None:
    with translation.override("zh-hans"):
        text = notice_text(kind, params, NO)
    assert text
    assert "%(" not in text
    assert "None" not in text
    assert "next week" not in text


def test_the_short_forms_without_params() -> None:
    with translation.override("en"):
        assert notice_text(K.CASE_DISPATCHED, {}, NO) == (
            "Case PT-2026-000042 was dispatched to your unit."
        )
        assert notice_text(K.REMINDER_RED, {}, NO) == "Case PT-2026-000042 is overdue."
        assert notice_text(K.DEADLINE_MOVED, {"new_due": DUE}, NO) == (
            "A deadline of case PT-2026-000042 was recomputed: now 2026-11-25 23:59."
        )
    with translation.override("zh-hans"):
        assert notice_text(K.SUPERVISION_OPENED, {}, NO) == "案件 PT-2026-000042 已被督办。"


def test_a_kind_no_longer_known_is_shown_by_its_name() -> None:
    assert notice_text("case.vanished", {}, NO) == "case.vanished"


def test_the_email_and_the_sms_label_are_chinese_whatever_the_language() -> None:
    with translation.override("en"):
        email = staff_email(K.SUPERVISION_OPENED, {"round": 2, "due": DUE}, NO)
        what = sms_what(K.SUPERVISION_OPENED)
    assert email.subject == "已启动督办：PT-2026-000042"
    assert email.body == (
        "案件 PT-2026-000042 已被督办（第 2 轮），请于 2026-11-25 23:59 前答复。\n\n"
        "请登录工作台，在“通知”中查看。"
    )
    assert what == "已启动督办"
