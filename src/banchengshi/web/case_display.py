"""What the case page shows, assembled from the selectors: the facts, each clock with its
status in words and why its date is what it is, the timeline in words, the records, and one
form per action the person may take now. Presentation only: what may be done, and whether it
worked, is decided in `cases`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.models import AuditEvent
from banchengshi.cases import causes
from banchengshi.cases.attachments import may_attach
from banchengshi.cases.clocks import case_policy
from banchengshi.cases.events import CaseEvent, event_label
from banchengshi.cases.models import (
    Case,
    Category,
    CauseSide,
    Channel,
    ClockRequest,
    CoHandlingTask,
    Complexity,
    ContactMethod,
    ReturnVisit,
    Satisfaction,
    State,
)
from banchengshi.cases.selectors import (
    CaseDetail,
    CaseRecords,
    ClockView,
    answerable_tasks,
    case_detail,
    case_records,
    handling_units,
    units_below,
)
from banchengshi.cases.states import Act
from banchengshi.org.models import Unit
from banchengshi.org.scope import Scope
from banchengshi.policy.deadlines import Colour
from banchengshi.web.forms.case_actions import (
    ACTION_FORMS,
    REPLY_CHANNELS,
    ActionForm,
    AttachmentForm,
)

CLOCK_STATUS: dict[Colour, tuple[str, Promise]] = {
    Colour.RED: ("red", _("Overdue")),
    Colour.YELLOW: ("yellow", _("Due soon")),
    Colour.GREEN: ("green", _("On time")),
}
DAY_REASONS = {"weekend": _("weekend")}

# Payload entries worth a line in the timeline, in this order; the rest (record ids, sizes)
# is in the audit trail.
DETAIL_LABELS = {
    "unit": _("Unit"),
    "automatic": _("Dispatch"),
    "channel": _("Channel"),
    "category": _("Category"),
    "complexity": _("Complexity"),
    "method": _("How"),
    "contacted_at": _("When"),
    "code": _("Cause"),
    "side": _("Side"),
    "days": _("Working days"),
    "workdays_suspended": _("Working days suspended"),
    "round": _("Round"),
    "due": _("Deadline"),
    "by": _("By"),
    "satisfaction": _("Satisfaction"),
    "solved": _("Solved"),
    "name": _("File"),
    "reason": _("Reason"),
    "note": _("Note"),
    "reply": _("Reply"),
    "text": _("Reply"),
}
CHOICE_LABELS: dict[str, dict[Any, Any]] = {
    "category": dict(Category.choices),
    "complexity": dict(Complexity.choices),
    "method": dict(ContactMethod.choices),
    "side": dict(CauseSide.choices),
    "by": dict(ReturnVisit.By.choices),
    "channel": {
        **dict(Channel.choices),
        **dict(REPLY_CHANNELS),
        **dict(ReturnVisit.Channel.choices),
    },
    "satisfaction": dict(Satisfaction.choices),
}


@dataclass(frozen=True)
class ClockRow:
    view: ClockView
    badge: str  # the colour class: red, yellow, green, none
    status: str
    rule: str  # the policy's words for the limit, when the clock runs under one
    task: CoHandlingTask | None
    skipped: list[tuple[dt.date, str]]


@dataclass(frozen=True)
class TimelineEntry:
    event: AuditEvent
    label: str
    state_before: str
    state_after: str
    details: list[tuple[str, str]]


@dataclass
class Panel:
    """One action the person may take now, as a form; several for one act when it is about a
    record (each open co-handling task, each pending request)."""

    form: ActionForm
    key: str  # unique on the page: the form's element ids and the anchor start with it
    url: str
    record: CoHandlingTask | ClockRequest | None = None
    is_open: bool = False

    @property
    def has_fields(self) -> bool:
        return bool(self.form.fields_to_show())


@dataclass
class CasePage:
    detail: CaseDetail
    records: CaseRecords
    clocks: list[ClockRow]
    timeline: list[TimelineEntry]
    panels: list[Panel]
    upload: Panel | None
    cause_label: str
    # Errors of a posted form that has no place on the page any more (the action is gone).
    stray_errors: list[str] = field(default_factory=list)

    @property
    def case(self) -> Case:
        return self.detail.case

    @property
    def running_clocks(self) -> list[ClockRow]:
        return [row for row in self.clocks if row.view.clock.stopped_at is None]

    @property
    def stopped_clocks(self) -> list[ClockRow]:
        return [row for row in self.clocks if row.view.clock.stopped_at is not None]


def build_case_page(
    scope: Scope, case_id: int, posted: ActionForm | None = None, *, refresh_version: bool = False
) -> CasePage:
    """The page for `case_id` as this person sees it. `posted` is a form that came back with
    errors, shown open in its place; with `refresh_version` (after a conflict, when the whole
    page shows what changed) it carries the case's current version, so that sending it again
    is the person's informed choice."""
    detail = case_detail(scope, case_id)
    records = case_records(detail.case)
    page = CasePage(
        detail=detail,
        records=records,
        clocks=_clock_rows(detail, records),
        timeline=timeline_entries(detail.events),
        panels=_panels(scope, detail, records),
        upload=_upload_panel(detail.case) if may_attach(scope, detail.case) else None,
        cause_label=_cause_label(detail.case.cause_code),
    )
    if posted is not None:
        _place(page, posted, refresh_version)
    return page


# --- clocks ------------------------------------------------------------------------------------


def _clock_rows(detail: CaseDetail, records: CaseRecords) -> list[ClockRow]:
    policy = case_policy(detail.case)
    tasks = {task.pk: task for task in records.tasks}
    rows = []
    for view in detail.clocks:
        clock = view.clock
        if clock.stopped_at is not None:
            badge, status = "none", gettext("Done")
        elif clock.paused_at is not None:
            badge, status = "none", gettext("Paused while suspended")
        else:
            assert view.colour is not None
            badge, label = CLOCK_STATUS[view.colour]
            status = str(label)
        limit = policy.limits.get(clock.limit_name)
        rows.append(
            ClockRow(
                view=view,
                badge=badge,
                status=status,
                rule=limit.label if limit is not None else "",
                task=tasks.get(clock.task_id) if clock.task_id else None,
                skipped=[(day, str(DAY_REASONS.get(why, why))) for day, why in view.skipped],
            )
        )
    return rows


# --- timeline ----------------------------------------------------------------------------------


def timeline_entries(events: list[AuditEvent]) -> list[TimelineEntry]:
    """The events in words: the case page's timeline and the inspector's audit trail."""
    codes = {event.payload.get("unit") for event in events} - {None}
    # One query for the names of every unit the events mention, however many events there are.
    unit_names = dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        TimelineEntry(
            event=event,
            label=event_label(event.action),
            state_before=_state_label(event.before.get("state")),
            state_after=_state_label(event.after.get("state")),
            details=[
                (
                    str(_detail_label(event.action, key)),
                    _detail_value(key, event.payload[key], unit_names),
                )
                for key in DETAIL_LABELS
                if event.payload.get(key) not in (None, "")
            ],
        )
        for event in events
    ]


def _detail_label(action: str, key: str) -> Promise:
    # A reply's channel is how the answer went out, not how the appeal came in.
    if action == CaseEvent.REPLY and key == "channel":
        return _("Reply channel")
    return DETAIL_LABELS[key]


def _state_label(value: Any) -> str:
    if value in State.values:
        return str(State(value).label)
    return ""


def _detail_value(key: str, value: Any, unit_names: dict[str, str]) -> str:
    if key == "unit":
        return unit_names.get(value, str(value))
    if key == "automatic":
        return gettext("automatic") if value else gettext("by the hub")
    if key == "solved":
        return gettext("yes") if value else gettext("no")
    if key == "code":
        return _cause_label(value)
    if key in ("due", "contacted_at"):
        return local_instant(value, "Y-m-d" if key == "due" else "Y-m-d H:i")
    return str(CHOICE_LABELS.get(key, {}).get(value, value))


def local_instant(value: Any, pattern: str) -> str:
    try:
        instant = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_naive(instant):
        return str(value)
    return date_format(timezone.localtime(instant), pattern)


def _cause_label(code: str) -> str:
    cause = causes.get(code) if code else None
    return cause.label if cause is not None else code


# --- action forms ------------------------------------------------------------------------------


def _panels(scope: Scope, detail: CaseDetail, records: CaseRecords) -> list[Panel]:
    case = detail.case
    initial = {"version": case.version}
    panels: list[Panel] = []
    for act in detail.actions:
        form_class = ACTION_FORMS[act]
        url = reverse("web:case_act", args=[case.pk, act.value])
        if act is Act.ANSWER_COHANDLING:
            for task in answerable_tasks(scope, records.tasks):
                form = form_class(initial={**initial, "task_id": task.pk})
                panels.append(Panel(form, f"{act}-{task.pk}", url, task))
        elif act is Act.DECIDE_REQUEST:
            for request in records.clock_requests:
                if request.decision == ClockRequest.Decision.PENDING:
                    form = form_class(initial={**initial, "request_id": request.pk})
                    panels.append(Panel(form, f"{act}-{request.pk}", url, request))
        else:
            panels.append(Panel(form_class(initial=initial), act.value, url))
    for panel in panels:
        panel.form.auto_id = f"{panel.key}-%s"
        _offer_units(panel.form, case)
    return panels


def _upload_panel(case: Case) -> Panel:
    return Panel(
        AttachmentForm(auto_id="attach-%s"),
        Act.ATTACH.value,
        reverse("web:case_attach", args=[case.pk]),
    )


def _offer_units(form: ActionForm, case: Case) -> None:
    if form.act is Act.DISPATCH:
        form.offer_units(handling_units())
    elif form.act is Act.REQUEST_COHANDLING:
        form.offer_units(handling_units(exclude=(case.owner_unit_id, case.handling_unit_id)))
    elif form.act is Act.DISPATCH_DOWN:
        form.offer_units(units_below(case.owner_unit))


def _place(page: CasePage, posted: ActionForm, refresh_version: bool) -> None:
    """Put the posted form, with its errors, open where its empty twin was."""
    panels = [page.upload] if isinstance(posted, AttachmentForm) else page.panels
    for panel in panels:
        if panel is None or panel.form.act is not posted.act:
            continue
        if panel.form.record_id == posted.record_id:
            posted.auto_id = panel.form.auto_id
            if refresh_version and isinstance(posted.data, QueryDict):
                posted.data = posted.data.copy()
                posted.data["version"] = str(page.case.version)
            if "unit_id" in posted.fields:
                posted.offer_units_of(panel.form)
            panel.form, panel.is_open = posted, True
            return
    page.stray_errors = [str(error) for errors in posted.errors.values() for error in errors] or [
        gettext("This can no longer be done to the case.")
    ]
