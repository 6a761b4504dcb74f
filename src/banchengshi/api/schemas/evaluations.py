"""What the evaluation endpoints take and answer (好差评, R-NB-4)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from banchengshi.api.schemas.base import Id, In, Instant, LocalTime, SafeStr
from banchengshi.evaluation.models import MAX_COMMENT, Evaluation
from banchengshi.evaluation.selectors import LevelCounts


class EvaluationIn(In):
    unit_id: Id = Field(description="the unit rated")
    level: int = Field(ge=1, le=5, description="5 very satisfied … 1 very dissatisfied")
    subject_kind: Literal["window", "remote_session", "door_to_door", "case_reply", "other"]
    subject_id: SafeStr = Field("", max_length=64, description="the rated record's reference")
    channel: Literal["online", "paper"] = Field(
        "online", description="online: collected by your system; paper: a form typed in"
    )
    comment: SafeStr = Field("", max_length=MAX_COMMENT)
    staff_id: Id | None = Field(None, description="the staff member rated (of that unit)")
    matter_id: Id | None = None
    evaluated_at: Instant | None = Field(None, description="when it was rated; default now")


class EvaluationOut(BaseModel):
    id: int
    unit_id: int
    level: int
    subject_kind: str
    subject_id: str
    channel: str
    evaluated_at: LocalTime
    bad_review: bool = Field(description="a 差评: its handling was opened, with a deadline")

    @classmethod
    def of(cls, evaluation: Evaluation) -> EvaluationOut:
        return cls(
            id=evaluation.pk,
            unit_id=evaluation.unit_id,
            level=evaluation.level,
            subject_kind=evaluation.subject_kind,
            subject_id=evaluation.subject_id,
            channel=evaluation.channel,
            evaluated_at=evaluation.evaluated_at,
            bad_review=evaluation.is_bad,
        )


class CountsOut(BaseModel):
    key: dict[str, str | int]
    levels: dict[str, int] = Field(description="level (1…5) → ratings")
    total: int
    satisfaction_rate: float | None = Field(
        description="levels 5, 4 and 3 over all ratings; appeals upheld left out"
    )

    @classmethod
    def of(cls, counts: LevelCounts) -> CountsOut:
        return cls(
            key={k: v if isinstance(v, int) else str(v) for k, v in counts.key.items()},
            levels={str(level): n for level, n in counts.by_level()},
            total=counts.total,
            satisfaction_rate=counts.rate,
        )
