"""A source's records as service ratings (好差评, R-NB-4): with an `[evaluation]` table, every
record the API or an import receives is kept as an Evaluation of channel `review_platform`,
whether it becomes a case or is refused by `[accept]`, and linked to the case when one is
made. Intake's contract is unchanged: the same answers, the same refusals.

The unit rated is the matter's owning department (the record's matter code, else its name in
the catalogue), else the dispatch hub, which passes it on. A record whose rating cannot be
read is not kept as one; its intake goes on as before."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone

from banchengshi.cases.models import Satisfaction
from banchengshi.catalog.models import Matter
from banchengshi.evaluation.actions.common import NewEvaluation, mobile_or_blank
from banchengshi.evaluation.actions.recording import do_keep_external
from banchengshi.evaluation.models import (
    MAX_COMMENT,
    Evaluation,
    EvaluationChannel,
    SubjectKind,
)
from banchengshi.intake.mapping import CatalogueLookups, Record, as_text, parse_instant
from banchengshi.intake.sources import Source
from banchengshi.org.models import Unit, UnitKind

MAX_REFERENCE = 64


def keep_evaluation(
    actor: User | None, source: Source, record: Record, record_id: str, lookups: CatalogueLookups
) -> Evaluation | None:
    """The record's rating, kept once per (source, record id); None when the source has no
    ratings or this record's cannot be read."""
    columns = source.evaluation
    if columns is None:
        return None
    level = columns.levels.get(as_text(record.get(columns.level)))
    if level is None:
        return None
    fields = {target: as_text(record.get(column)) for target, column in source.fields.items()}
    matter = _matter(fields, lookups)
    unit_id = matter.owning_department_id if matter is not None else _hub()
    if unit_id is None:
        return None
    now = timezone.now()
    when = parse_instant(fields["received_at"]) if fields.get("received_at") else None
    evaluation, _ = do_keep_external(
        actor,
        NewEvaluation(
            level=Satisfaction(level),
            subject_kind=SubjectKind.OTHER,
            subject_id=fields.get("online_application_no", "")[:MAX_REFERENCE],
            channel=EvaluationChannel.REVIEW_PLATFORM,
            unit_id=unit_id,
            evaluated_at=when if when is not None and when <= now else now,
            comment=as_text(record.get(columns.comment)).replace("\x00", "")[:MAX_COMMENT],
            matter_id=matter.pk if matter is not None else None,
            mobile=mobile_or_blank(fields.get("phone", "")),
            external_source=source.key,
            external_id=record_id,
        ),
    )
    return evaluation


def _matter(fields: dict[str, str], lookups: CatalogueLookups) -> Matter | None:
    matter_id = lookups.matter_id(fields["matter_code"]) if fields.get("matter_code") else None
    rows = Matter.objects.filter(is_active=True).only("pk", "owning_department_id")
    if matter_id is not None:
        return rows.filter(pk=matter_id).first()
    name = fields.get("matter_text", "")
    return rows.filter(name=name).order_by("pk").first() if name else None


def _hub() -> int | None:
    return (
        Unit.objects.filter(kind=UnitKind.HUB, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
