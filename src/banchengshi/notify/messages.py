"""What an SMS says, from its outbox payload: the values a gateway's registered template is
filled with (`sms_values`), and the same message as plain words (`sms_text`) for the log
backend and for a person reading the outbox.

SMS go out in Chinese, the language of the district's petitioners, whatever language the
staff member who caused them uses. Links point at BANCHENGSHI_PUBLIC_URL, the address the
public knows the portal by; the reply's link is a short code (notify.shortlinks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings

from banchengshi.identifiers import grouped
from banchengshi.notify.shortlinks import short_url

SIGNATURE = "【办成事】"
# Payload entries that are secrets: blanked once the message has gone (or was given up), so
# the outbox does not keep what the petitioner alone should know.
SECRETS = ("access_code",)
BLANK = "***"

# The values each template fills its gateway template with (the data file maps them to the
# provider's parameter names: notify/sms/templates.toml).
VALUES: dict[str, tuple[str, ...]] = {
    "appeal_filed": ("tracking_no", "access_code"),
    "intake_received": ("tracking_no",),
    "extension": ("tracking_no", "due"),
    "reply": ("tracking_no", "link", "link_url"),
    "staff_notification": ("tracking_no", "what"),
    "assistance_review": ("request_no", "result", "reason"),
    "evaluation_invite": ("unit", "link", "link_url"),
    "evaluation_answer": ("unit", "answer"),
}


class UnknownTemplate(KeyError):
    """A template without words here: a fault of the program, never of the message."""


def _public(path: str) -> str:
    return f"{settings.BANCHENGSHI_PUBLIC_URL.rstrip('/')}{path}"


def sms_values(template: str, payload: Mapping[str, Any]) -> dict[str, str]:
    """The values of one message by name (see VALUES), as strings."""
    if template not in VALUES:
        raise UnknownTemplate(template)
    values = {name: str(payload.get(name, "")) for name in VALUES[template]}
    if template == "reply":
        code = str(payload.get("link", ""))
        values["link_url"] = short_url(code) if code else _public("/track/")
    if template == "evaluation_invite":
        values["link_url"] = _public(f"/e/{values['link']}/")
    return values


def _appeal_filed(v: dict[str, str]) -> str:
    code = v["access_code"] if v["access_code"] == BLANK else grouped(v["access_code"])
    return (
        f"您的“办不成事”反映已收到，编号{v['tracking_no']}，查询码{code}（请勿告诉他人）。"
        f"查询进度：{_public('/track/')}"
    )


def _intake_received(v: dict[str, str]) -> str:
    return (
        f"您反映的问题已登记，编号{v['tracking_no']}。"
        f"凭编号和手机号后四位可查询进度：{_public('/track/')}"
    )


def _extension(v: dict[str, str]) -> str:
    return f"您的反映{v['tracking_no']}需要延长办理时间，预计{v['due']}前答复。"


def _reply(v: dict[str, str]) -> str:
    return f"您的反映{v['tracking_no']}已答复。查看答复并评价：{v['link_url']}"


def _staff_notification(v: dict[str, str]) -> str:
    return f"案件{v['tracking_no']}：{v['what']}"


def _assistance_review(v: dict[str, str]) -> str:
    return f"您的上门服务申请（编号{v['request_no']}）审核结果：{v['result']}。{v['reason']}"


def _evaluation_invite(v: dict[str, str]) -> str:
    return f"感谢您到{v['unit']}办事，请为本次服务评价：{v['link_url']}"


def _evaluation_answer(v: dict[str, str]) -> str:
    return f"您对{v['unit']}的评价已核实处理：{v['answer']}"


WORDS: dict[str, Callable[[dict[str, str]], str]] = {
    "appeal_filed": _appeal_filed,
    "intake_received": _intake_received,
    "extension": _extension,
    "reply": _reply,
    "staff_notification": _staff_notification,
    "assistance_review": _assistance_review,
    "evaluation_invite": _evaluation_invite,
    "evaluation_answer": _evaluation_answer,
}


def sms_text(template: str, payload: Mapping[str, Any]) -> str:
    """The words of an SMS; a template without words raises UnknownTemplate, so that the
    message is given up and shown to the administrators rather than sent empty."""
    return SIGNATURE + WORDS[template](sms_values(template, payload))


def without_secrets(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {key: (BLANK if key in SECRETS else value) for key, value in payload.items()}
