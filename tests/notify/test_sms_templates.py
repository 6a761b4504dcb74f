"""The map of SMS templates to the provider's (notify/sms/templates.toml): the packaged file
validates, and a file that does not is refused with every problem named."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from banchengshi.notify.sms.templates import (
    PACKAGED,
    TemplateMapError,
    load_template_map,
    parse_template_map,
)


def test_the_packaged_map_names_every_template() -> None:
    mapping = load_template_map(PACKAGED)
    assert sorted(mapping.templates) == [
        "appeal_filed",
        "assistance_review",
        "evaluation_answer",
        "evaluation_invite",
        "extension",
        "intake_received",
        "reply",
        "staff_notification",
    ]
    assert mapping.templates["reply"].fill({"tracking_no": "PT-1", "link": "Ab3dEf7h"}) == {
        "no": "PT-1",
        "link": "Ab3dEf7h",
    }


def test_a_bad_map_is_refused_with_every_problem() -> None:
    data = {
        "sign_name": " ",
        "colour": "red",
        "templates": {
            "appeal_filed": {"code": "SMS_1", "params": {"no": "tracking_no", "9x": "password"}},
            "reply": {"params": {}},
            "greeting": {"code": "SMS_9"},
        },
    }
    with pytest.raises(TemplateMapError) as info:
        parse_template_map(data, "districts/x.toml")
    assert str(info.value).splitlines() == [
        "districts/x.toml:",
        "  unknown keys: colour",
        "  sign_name: the registered signature is required",
        "  [templates.assistance_review]: missing",
        "  [templates.evaluation_answer]: missing",
        "  [templates.evaluation_invite]: missing",
        "  [templates.extension]: missing",
        "  [templates.intake_received]: missing",
        "  [templates.staff_notification]: missing",
        "  [templates.appeal_filed] params: '9x' is not a parameter name",
        "  [templates.appeal_filed] params.9x: 'password' is not a value of this template "
        "(tracking_no, access_code)",
        "  [templates.reply] code: the provider's template code is required",
        "  [templates.greeting]: not a template of ours (appeal_filed, intake_received, "
        "extension, reply, staff_notification, assistance_review, evaluation_invite, "
        "evaluation_answer)",
    ]


def test_the_system_check_refuses_a_bad_file(tmp_path: Path, settings: object) -> None:
    bad = tmp_path / "sms.toml"
    bad.write_text('sign_name = "办成事"\n[templates\n', encoding="utf-8")
    settings.BANCHENGSHI_SMS_TEMPLATES = str(bad)  # type: ignore[attr-defined]
    with pytest.raises(SystemCheckError, match=r"banchengshi\.E201.*sms\.toml"):
        call_command("check")


def test_the_system_check_wants_the_gateways_settings(settings: object) -> None:
    settings.BANCHENGSHI_SMS_BACKEND = "aliyun"  # type: ignore[attr-defined]
    with pytest.raises(SystemCheckError, match="BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_ID"):
        call_command("check")
