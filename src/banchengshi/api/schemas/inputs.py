"""The bodies of case registration and of every action: bounded, so that a malformed request
is a 422 naming the field, never a server error. The actions make every business check."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from banchengshi.api.schemas.base import Days, Id, In, Instant, SafeStr, Versioned
from banchengshi.cases.models import (
    MAX_TEXT,
    Category,
    Channel,
    Complexity,
    ContactMethod,
    PetitionerType,
)
from banchengshi.cases.registration import Registration
from banchengshi.cases.special_groups import ConsentMethod, SpecialGroup, SpecialGroupInput


class CaseIn(In):
    """The registration form (R-IN-1)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "channel": "window",
                    "petitioner_type": "person",
                    "petitioner_name": "张三",
                    "phone": "13812345678",
                    "matter_text": "食品经营许可",
                    "description": "营业执照变更后，食品经营许可变更被告知无法办理",
                    "request": "尽快办结许可变更",
                }
            ]
        },
    )

    channel: Channel
    petitioner_type: PetitionerType
    petitioner_name: SafeStr = Field(max_length=100)
    phone: SafeStr = Field(max_length=40, examples=["13812345678", "021-12345678"])
    description: SafeStr = Field(max_length=MAX_TEXT, description="what could not be done")
    registered_unit_id: Id | None = Field(
        None, description="the registering center; defaults to the caller's own"
    )
    received_at: Instant | None = Field(None, description="defaults to now; at most 30 days ago")
    window: SafeStr = Field("", max_length=60)
    id_number: SafeStr = Field("", max_length=30)
    enterprise_name: SafeStr = Field("", max_length=200)
    credit_code: SafeStr = Field("", max_length=30)
    matter_id: Id | None = None
    matter_text: SafeStr = Field("", max_length=200, description="when the matter is not listed")
    department_id: Id | None = None
    failed_at_unit_id: Id | None = None
    online_application_no: SafeStr = Field("", max_length=64)
    visits_count: int = Field(1, ge=1, le=99)
    request: SafeStr = Field("", max_length=MAX_TEXT, description="what the person asks for")
    category: Category = Category.HANDLING
    complexity: Complexity = Complexity.GENERAL
    external_source: SafeStr = Field("", max_length=32)
    external_id: SafeStr = Field("", max_length=64)
    special_groups: list[SpecialGroup] = Field(
        [],
        max_length=len(SpecialGroup),
        description="the fast channel (绿色通道): needs consent_by and consent_method",
    )
    consent_by: SafeStr = Field(
        "", max_length=100, description="who consented: the person, or a relative by name"
    )
    consent_method: SafeStr = Field(
        "", max_length=12, description=f"how: {', '.join(ConsentMethod.values)}"
    )

    def registration(self) -> Registration:
        data = self.model_dump()
        for choice in ("channel", "petitioner_type", "category", "complexity"):
            data[choice] = str(data[choice].value)
        data["special"] = SpecialGroupInput(
            tuple(str(group) for group in data.pop("special_groups")),
            data.pop("consent_by"),
            str(data.pop("consent_method")),
        )
        return Registration(**data)


class ScreenIn(Versioned):
    admissible: bool
    category: Category | None = None
    complexity: Complexity | None = None
    reason: SafeStr = Field(
        "", max_length=MAX_TEXT, description="required when not admissible", examples=[""]
    )


class ResolveOnSpotIn(Versioned):
    reply: SafeStr = Field(max_length=MAX_TEXT, examples=["现场指导完成网上申报"])
    category: Category | None = None


class UnitIn(Versioned):
    unit_id: Id


class ReasonIn(Versioned):
    reason: SafeStr = Field(max_length=MAX_TEXT, examples=["等待申请人补交材料"])


class CoHandlingIn(Versioned):
    unit_id: Id
    request: SafeStr = Field(max_length=MAX_TEXT, examples=["请协助核实参保记录"])
    days: Days


class AnswerIn(Versioned):
    answer: SafeStr = Field(max_length=MAX_TEXT, examples=["已核实，记录正常"])


class ContactIn(Versioned):
    method: ContactMethod
    outcome: SafeStr = Field(max_length=MAX_TEXT, examples=["已电话联系，约定补交材料"])
    contacted_at: Instant | None = Field(None, description="defaults to now")


class CauseIn(Versioned):
    code: SafeStr = Field(
        max_length=32, description="a code from GET /causes", examples=["materials"]
    )
    note: SafeStr = Field(max_length=MAX_TEXT, examples=["缺少营业执照副本"])
    side: Literal["petitioner", "department"] | None = Field(
        None, description="needed for causes whose side is 'either'"
    )


class ExtensionIn(Versioned):
    days: Days
    reason: SafeStr = Field(max_length=MAX_TEXT, examples=["需要调取档案核实"])


class DecideIn(Versioned):
    approve: bool
    note: SafeStr = Field("", max_length=MAX_TEXT, description="required when refusing")


class ReplyIn(Versioned):
    text: SafeStr = Field(max_length=MAX_TEXT, examples=["已指导补齐材料并办结"])
    channel: Literal["sms", "phone", "email", "in_person", "letter"] = "sms"


class ReturnVisitIn(Versioned):
    satisfaction: int = Field(ge=1, le=5, description="5 very satisfied … 1 very dissatisfied")
    solved: bool
    comment: SafeStr = Field("", max_length=MAX_TEXT)


class SuperviseIn(Versioned):
    reason: SafeStr = Field(max_length=MAX_TEXT, examples=["回访发现仍未办结"])
    days: Days
