"""Proposals at registration (R-IN-5, R-IN-7): what was typed in, what the system proposes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from banchengshi.api.schemas.base import Id, In, Out, SafeStr
from banchengshi.cases.models import MAX_TEXT, Category, Complexity


class ProposalIn(In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"description": "窗口工作人员态度恶劣，社保卡补办跑了三次还没办成"}]
        },
    )

    description: SafeStr = Field(min_length=1, max_length=MAX_TEXT)
    request: SafeStr = Field("", max_length=MAX_TEXT)
    matter_id: Id | None = None
    matter_text: SafeStr = Field("", max_length=200)


class ProposalReasons(BaseModel):
    category: str
    complexity: str
    matter: str
    unit: str


class SimilarOut(Out):
    case_id: int
    tracking_no: str
    excerpt: str
    same_matter: bool
    overlap_percent: int


class KnowledgeOut(Out):
    """A published knowledge entry that fits: `snippet` is HTML (escaped text, the words
    shared with the appeal in <mark>); `url` the staff's entry page, or the FAQ's."""

    id: int
    title: str
    snippet: str
    url: str
    public: bool
    same_matter: bool


class ProposalOut(BaseModel):
    category: Category
    complexity: Complexity
    matter_id: int | None
    unit_id: int | None
    reasons: ProposalReasons
    knowledge: list[KnowledgeOut]
    similar: list[SimilarOut]
