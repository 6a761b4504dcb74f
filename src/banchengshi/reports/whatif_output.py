"""The what-if replay asked for in words (a period, a scope, a target policy) and answered as
JSON (keys in docs/reports.md) and as sentences for the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from banchengshi.cases.clocks import stored_policy
from banchengshi.cases.models import ClockKind, PolicyVersion
from banchengshi.errors import InvalidInput
from banchengshi.policy.rules import Policy, PolicyError, available_policies, load_policy
from banchengshi.reports.periods import parse_any_period, printable
from banchengshi.reports.scopes import ReportScope
from banchengshi.reports.whatif import Note, NoteCode, Outcome, WhatIf, replay_period
from banchengshi.workdays.calendar import SHANGHAI
from banchengshi.workdays.registry import current_calendar

MAX_POLICY_TEXT = 80


def policy_choices() -> list[str]:
    """The policies a replay may take: every file shipped, then every version a case keeps."""
    stored = PolicyVersion.objects.order_by("key").values_list("key", flat=True)
    return [*available_policies(), *stored]


def check_target_policy(text: str) -> Policy:
    """A policy file's name (chongming) or a stored version's key (putuo@2023.3), or
    InvalidInput (field "policy") naming what may be chosen."""
    wanted = text.strip()
    policy: Policy | None = None
    if wanted and len(wanted) <= MAX_POLICY_TEXT and wanted.isprintable():
        if "@" in wanted:
            row = PolicyVersion.objects.filter(key=wanted).first()
            policy = stored_policy(row) if row is not None else None
        else:
            try:
                policy = load_policy(wanted)
            except PolicyError:
                policy = None
    if policy is None:
        raise InvalidInput(
            {
                "policy": [
                    _(
                        "“%(text)s” is no policy here; choose one of %(names)s, or a kept "
                        "version such as putuo@2023.3."
                    )
                    % {"text": printable(text), "names": ", ".join(available_policies())}
                ]
            }
        )
    return policy


def whatif(period_text: str, scope: ReportScope, policy_text: str) -> WhatIf:
    """The replay of a period given in words, as of now."""
    period = parse_any_period(period_text)
    target = check_target_policy(policy_text)
    return replay_period(period, scope, target, now=timezone.now(), calendar=current_calendar())


def note_text(note: Note) -> str:
    n = note.cases
    words = {
        NoteCode.PROVISIONAL: ngettext(
            "%(cases)s replayed deadline counted through a year whose holiday schedule is not "
            "loaded (Monday to Friday assumed): provisional.",
            "%(cases)s replayed deadlines counted through a year whose holiday schedule is not "
            "loaded (Monday to Friday assumed): provisional.",
            n,
        ),
        NoteCode.NO_CAUSE_SIDE: ngettext(
            "%(cases)s case has no cause's side recorded: the target policy's default limit "
            "was used.",
            "%(cases)s cases have no cause's side recorded: the target policy's default limit "
            "was used.",
            n,
        ),
        NoteCode.NO_COMPLEXITY: ngettext(
            "%(cases)s case has no complexity recorded: the target policy's default limit "
            "was used.",
            "%(cases)s cases have no complexity recorded: the target policy's default limit "
            "was used.",
            n,
        ),
        NoteCode.NO_DISPATCH: ngettext(
            "%(cases)s case has no recorded dispatch to start this clock from: not replayed.",
            "%(cases)s cases have no recorded dispatch to start this clock from: not replayed.",
            n,
        ),
        NoteCode.NO_CAUSE_TIME: ngettext(
            "%(cases)s case has a cause but no recorded time of its analysis: the reply's "
            "time was taken.",
            "%(cases)s cases have a cause but no recorded time of its analysis: the reply's "
            "time was taken.",
            n,
        ),
        NoteCode.NO_EXTRA_DAYS: ngettext(
            "%(cases)s case had extensions or suspensions: this clock, which its own policy "
            "did not run, was replayed without those days.",
            "%(cases)s cases had extensions or suspensions: this clock, which their own policy "
            "did not run, was replayed without those days.",
            n,
        ),
    }
    return words[note.code] % {"cases": n}


def _local(instant: dt.datetime | None) -> str | None:
    return instant.astimezone(SHANGHAI).isoformat() if instant is not None else None


OUTCOME_WORDS = {
    Outcome.ON_TIME: pgettext_lazy("deadline", "on time"),
    Outcome.LATE: pgettext_lazy("deadline", "late"),
    Outcome.OPEN_OVERDUE: gettext_lazy("open and overdue"),
    Outcome.OPEN: gettext_lazy("open, not yet due"),
    Outcome.NONE: gettext_lazy("no such clock"),
}


def kind_label(kind: ClockKind) -> str:
    return str(ClockKind(kind).label)


def as_json(result: WhatIf) -> dict[str, Any]:
    scope = result.scope
    return {
        "period": result.period.label,
        "first_day": result.period.first.isoformat(),
        "last_day": result.period.last.isoformat(),
        "as_of": _local(result.as_of),
        "computed_at": _local(result.computed_at),
        "scope": {
            "key": scope.key,
            "unit": scope.unit.pk if scope.unit else None,
            "unit_name": scope.unit.name if scope.unit else None,
            "units_below": scope.below if scope.unit else None,
        },
        "cases": result.cases,
        "actual_policy": [
            {"key": row.key, "title": row.title, "cases": row.cases}
            for row in result.actual_policies
        ],
        "target_policy": {"key": result.target.key, "title": result.target.title},
        "clocks": [
            {
                "kind": kind.value,
                "label": kind_label(kind),
                "actual": result.actual[kind].as_dict(),
                "replayed": result.replayed[kind].as_dict(),
            }
            for kind in result.actual
        ],
        "flipped": [
            {
                "case_id": row.case_id,
                "tracking_no": row.tracking_no,
                "kind": row.kind.value,
                "actual": row.actual.value,
                "replayed": row.replayed.value,
                "actual_due": _local(row.actual_due),
                "replayed_due": _local(row.replayed_due),
                "url": reverse("web:case", args=[row.case_id]),
            }
            for row in result.flipped
        ],
        "flipped_total": result.flipped_total,
        "notes": [
            {
                "code": note.code.value,
                "kind": note.kind.value,
                "cases": note.cases,
                "text": note_text(note),
            }
            for note in result.notes
        ],
    }
