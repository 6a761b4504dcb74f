"""Knowledge entries in and out (R-KB-1)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from banchengshi.api.schemas.base import Id, In, LocalTime, Out, PersonName, SafeStr
from banchengshi.knowledge.actions import EntryFields
from banchengshi.knowledge.models import EntryStatus, Visibility

Text = Annotated[SafeStr, Field(max_length=5000)]


class EntryIn(In):
    case_id: Id | None = Field(
        None, description="draft the entry from this closed case (收入案例库); no other field then"
    )
    problem: Text = ""
    solution: Text = ""
    cause_code: Annotated[SafeStr, Field(max_length=32)] = ""
    tags: Annotated[SafeStr, Field(max_length=200)] = ""
    matter_ids: list[Id] = Field(default_factory=list, max_length=20)
    unit_ids: list[Id] = Field(default_factory=list, max_length=20)
    visibility: Visibility = Visibility.INTERNAL

    @model_validator(mode="after")
    def _one_way(self) -> EntryIn:
        if self.case_id is not None and (self.problem or self.solution):
            raise ValueError("give either case_id or the entry's fields")
        return self

    def fields(self) -> EntryFields:
        return EntryFields(
            problem=self.problem,
            solution=self.solution,
            cause_code=self.cause_code,
            tags=self.tags,
            matter_ids=tuple(self.matter_ids),
            unit_ids=tuple(self.unit_ids),
            visibility=self.visibility.value,
        )


class EntryOut(Out):
    id: int
    status: EntryStatus
    visibility: Visibility
    problem: str
    solution: str
    cause_code: str
    tags: str
    matter_ids: list[int]
    unit_ids: list[int]
    source_case_ids: list[int]
    author: PersonName
    reviewer: PersonName
    published_version: int
    published_at: LocalTime | None


class EntryListOut(BaseModel):
    items: list[EntryOut]
    total: int = Field(description="counted up to total_cap; 'at least' when capped")
    total_cap: int
    limit: int
    offset: int
