"""External intake (R-IN-3): the 12345 hotline, the portal's mid-way exit and the
good/bad-review platform send their records here, each as the JSON object of its own
columns; `intake/sources/<source>.toml` says how they map to a registration.

The source and the record's id make the intake idempotent: the same record sent again, or
twice at once, yields one case, answered 201 the first time and 200 afterwards with the same
body."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import P, PathEx, Router, Status
from pydantic import (
    AfterValidator,
    ConfigDict,
    PlainValidator,
    RootModel,
    StringConstraints,
    WithJsonSchema,
)

from banchengshi.api.auth import actor
from banchengshi.api.schemas.base import ERRORS, LocalTime, Out, clean_text
from banchengshi.cases.models import MAX_TEXT
from banchengshi.intake.actions import check_intake_record, source_or_404

router = Router(tags=["intake"])

MAX_COLUMNS = 200
SourceKey = PathEx[
    str,
    P(
        pattern=r"^[a-z0-9][a-z0-9_]{0,31}$",
        description="12345, midway_exit or review_platform (intake/sources/*.toml)",
        examples=["12345", "midway_exit", "review_platform"],
    ),
]


def _value(value: Any) -> str | int | float | bool | None:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValueError(
                _("The text is too long (at most %(limit)d characters).") % {"limit": MAX_TEXT}
            )
        return clean_text(value)
    raise ValueError(_("Give a text, a number, true, false or null."))


def _bounded(record: dict[str, Any]) -> dict[str, Any]:
    if len(record) > MAX_COLUMNS:
        raise ValueError(_("A record has at most %(count)d fields.") % {"count": MAX_COLUMNS})
    return record


ColumnValue = Annotated[
    Any,
    PlainValidator(_value),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": MAX_TEXT},
                {"type": "number"},
                {"type": "boolean"},
                {"type": "null"},
            ]
        }
    ),
]
ColumnName = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class IntakeRecordIn(RootModel[Annotated[dict[ColumnName, ColumnValue], AfterValidator(_bounded)]]):
    """The record as the source writes it: its column names and values."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "工单编号": "GD20261120000123",
                    "来电时间": "2026-11-20 09:30:00",
                    "来电人": "张三",
                    "联系电话": "13812345678",
                    "事项名称": "食品经营许可",
                    "诉求类型": "求助",
                    "诉求内容": "营业执照变更后，食品经营许可变更被告知无法办理",
                    "诉求目的": "尽快办结许可变更",
                }
            ]
        }
    )


class IntakeOut(Out):
    id: int
    tracking_no: str
    state: str
    channel: str
    received_at: LocalTime
    external_source: str
    external_id: str


@router.post(
    "/intake/{source}",
    response={201: IntakeOut, 200: IntakeOut, **ERRORS},
    summary="Register an external record (idempotent by source and record id)",
)
def intake_record(
    request: HttpRequest, source: SourceKey, payload: IntakeRecordIn
) -> Status[IntakeOut]:
    """201 with the new case; 200 with the same body when the record was registered before.
    Problems come back under the source's own column names (422)."""
    result = check_intake_record(actor(request), source_or_404(source), payload.root)
    return Status(201 if result.created else 200, IntakeOut.model_validate(result.case))
