"""The words of a staff notice, composed when shown in the reader's language (the active
one) from its kind, its params and its case's tracking number.

Each kind has one composer (a test fails when a NotificationKind member has none). The
params each kind reads, as the code that calls `notify()` writes them (all optional: a
notice missing one is still worded, in a shorter sentence):

    reminder.before_yellow, reminder.yellow, reminder.red   due (ISO 8601 instant)
    reminder.digest                      count (overdue cases), tracking_numbers (the first few)
    case.dispatched                      unit (the unit's name)
    cohandling.requested                 unit (the unit asked), due (ISO 8601 instant)
    supervision.opened                   round, due (ISO 8601 instant)
    extension.granted                    due (ISO 8601 date)
    deadline.moved                       old_due, new_due (ISO 8601 instants: the first moved)
    calendar.missing_year                year
    webhook.disabled                     url
    outbox.given_up                      channel, recipient (already masked)
    rectification.*                      item (its number), unit (the owner unit's name),
                                         due (ISO 8601 instant)
    assistance.*                         request (its number), clock (review, visit or
                                         approval), due (ISO 8601 instant)
    hotspot.raised                       subject (the matter's, unit's or cause's name),
                                         count, since (ISO 8601 date)
    bad_review.*                         evaluation (its number), unit (the rated unit's
                                         name), due (ISO 8601 instant)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override, pgettext, pgettext_lazy

from banchengshi.notify.models import NotificationKind


@dataclass(frozen=True)
class Params:
    """A notice's params read safely: a value missing or of the wrong shape is None, so a
    notice written by older or newer code is still worded, never an error on the page."""

    values: dict[str, Any]
    tracking_no: str

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
        return None

    def number(self, name: str) -> int | None:
        value = self.values.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def when(self, name: str) -> str | None:
        """An instant shown in Asia/Shanghai ("2026-11-25 23:59"), or a date as given."""
        value = self.text(name)
        if value is None:
            return None
        try:
            instant = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
        if len(value) <= len("2026-11-25"):
            return instant.date().isoformat()
        if timezone.is_naive(instant):
            return None
        return timezone.localtime(instant).strftime("%Y-%m-%d %H:%M")


Composer = Callable[[Params], str]


def _reminder(with_due: str, without: str) -> Composer:
    def compose(p: Params) -> str:
        due = p.when("due")
        if due is None:
            return _(without) % {"no": p.tracking_no}
        return _(with_due) % {"no": p.tracking_no, "due": due}

    return compose


def _digest(p: Params) -> str:
    count = p.number("count")
    if count is None:
        return _("Cases are overdue; see the supervision list.")
    numbers = p.values.get("tracking_numbers")
    if isinstance(numbers, list) and numbers and all(isinstance(n, str) for n in numbers):
        return _(
            "%(count)d cases are overdue, among them %(numbers)s; see the supervision list."
        ) % {
            "count": count,
            "numbers": pgettext("list separator", ", ").join(numbers),
        }
    return _("%(count)d cases are overdue; see the supervision list.") % {"count": count}


def _dispatched(p: Params) -> str:
    unit = p.text("unit")
    if unit is None:
        return _("Case %(no)s was dispatched to your unit.") % {"no": p.tracking_no}
    return _("Case %(no)s was dispatched to %(unit)s.") % {"no": p.tracking_no, "unit": unit}


def _cohandling(p: Params) -> str:
    values = {"no": p.tracking_no, "unit": p.text("unit"), "due": p.when("due")}
    if values["unit"] is None or values["due"] is None:
        return _("Your unit is asked to co-handle case %(no)s.") % values
    return _("%(unit)s is asked to co-handle case %(no)s; answer by %(due)s.") % values


def _supervision(p: Params) -> str:
    values = {"no": p.tracking_no, "round": p.number("round"), "due": p.when("due")}
    if values["round"] is None or values["due"] is None:
        return _("Case %(no)s is under supervision.") % values
    return _("Case %(no)s is under supervision (round %(round)d); reply by %(due)s.") % values


def _extension(p: Params) -> str:
    due = p.when("due")
    if due is None:
        return _("The reply deadline of case %(no)s was extended.") % {"no": p.tracking_no}
    return _("The reply deadline of case %(no)s was extended to %(due)s.") % {
        "no": p.tracking_no,
        "due": due,
    }


def _moved(p: Params) -> str:
    values = {"no": p.tracking_no, "old": p.when("old_due"), "new": p.when("new_due")}
    if values["new"] is None:
        return _("A deadline of case %(no)s was recomputed.") % values
    if values["old"] is None:
        return _("A deadline of case %(no)s was recomputed: now %(new)s.") % values
    return _("A deadline of case %(no)s moved from %(old)s to %(new)s.") % values


def _missing_year(p: Params) -> str:
    year = p.number("year")
    if year is None:
        return _("Next year's holiday schedule is not loaded; deadlines in it are provisional.")
    return _(
        "The holiday schedule of %(year)d is not loaded; deadlines in it are provisional. "
        "Load it under Administration."
    ) % {"year": year}


def _webhook(p: Params) -> str:
    url = p.text("url")
    if url is None:
        return _("A webhook endpoint was disabled after repeated failures.")
    return _("The webhook endpoint %(url)s was disabled after repeated failures.") % {"url": url}


def _given_up(p: Params) -> str:
    channel, recipient = p.text("channel"), p.text("recipient")
    if channel is None or recipient is None:
        return _("A message could not be sent and was given up.")
    return _("A message (%(channel)s) to %(recipient)s could not be sent and was given up.") % {
        "channel": channel,
        "recipient": recipient,
    }


def _rectification(with_due: str, without: str) -> Composer:
    def compose(p: Params) -> str:
        values = {"item": p.number("item"), "unit": p.text("unit"), "due": p.when("due")}
        if None in values.values():
            return _(without)
        return _(with_due) % values

    return compose


# The words of assistance.models.AssistanceClock's values, which notify does not import.
ASSISTANCE_CLOCKS = {
    "review": pgettext_lazy("assistance clock", "review"),
    "visit": pgettext_lazy("assistance clock", "visit"),
    "approval": pgettext_lazy("assistance clock", "approval follow-up"),
}


def _assistance(with_due: str, without: str) -> Composer:
    def compose(p: Params) -> str:
        clock = p.text("clock")
        values = {
            "request": p.number("request"),
            "clock": str(ASSISTANCE_CLOCKS[clock]) if clock in ASSISTANCE_CLOCKS else None,
            "due": p.when("due"),
        }
        if None in values.values():
            return _(without)
        return _(with_due) % values

    return compose


def _bad_review(with_due: str, without: str) -> Composer:
    def compose(p: Params) -> str:
        values = {
            "evaluation": p.number("evaluation"),
            "unit": p.text("unit"),
            "due": p.when("due"),
        }
        if None in values.values():
            return _(without)
        return _(with_due) % values

    return compose


def _hotspot(p: Params) -> str:
    values = {"subject": p.text("subject"), "count": p.number("count"), "since": p.when("since")}
    if None in values.values():
        return _("Similar cases are piling up; see the hot spots.")
    return _("Hot spot: %(count)d cases about %(subject)s since %(since)s.") % values


def _report(p: Params) -> str:
    kind, period = p.text("kind"), p.text("period")
    words = {
        "monthly": gettext_noop("The monthly report of %(period)s is ready under Reports."),
        "quarterly": gettext_noop("The quarterly report of %(period)s is ready under Reports."),
        "annual": gettext_noop("The annual report of %(period)s is ready under Reports."),
    }
    if kind not in words or period is None:
        return _("A periodic report is ready under Reports.")
    return _(words[kind]) % {"period": period}


# The reminders' msgids are only marked (gettext_noop) and translated when composed: the
# language is the reader's at that moment, not the one at import.
COMPOSERS: dict[NotificationKind, Composer] = {
    NotificationKind.REMINDER_BEFORE_YELLOW: _reminder(
        gettext_noop("The deadline of case %(no)s is approaching: %(due)s."),
        gettext_noop("The deadline of case %(no)s is approaching."),
    ),
    NotificationKind.REMINDER_YELLOW: _reminder(
        gettext_noop("Case %(no)s is due soon: %(due)s."),
        gettext_noop("Case %(no)s is due soon."),
    ),
    NotificationKind.REMINDER_RED: _reminder(
        gettext_noop("Case %(no)s is overdue since %(due)s."),
        gettext_noop("Case %(no)s is overdue."),
    ),
    NotificationKind.OVERDUE_DIGEST: _digest,
    NotificationKind.CASE_DISPATCHED: _dispatched,
    NotificationKind.COHANDLING_REQUESTED: _cohandling,
    NotificationKind.SUPERVISION_OPENED: _supervision,
    NotificationKind.EXTENSION_GRANTED: _extension,
    NotificationKind.DEADLINE_MOVED: _moved,
    NotificationKind.CALENDAR_MISSING_YEAR: _missing_year,
    NotificationKind.WEBHOOK_DISABLED: _webhook,
    NotificationKind.MESSAGE_GIVEN_UP: _given_up,
    NotificationKind.RECTIFICATION_OPENED: _rectification(
        gettext_noop("Rectification no. %(item)d is opened for %(unit)s; due by %(due)s."),
        gettext_noop("A rectification is opened for your unit."),
    ),
    NotificationKind.RECTIFICATION_DUE_SOON: _rectification(
        gettext_noop("Rectification no. %(item)d of %(unit)s is due by %(due)s."),
        gettext_noop("A rectification of your unit is due soon."),
    ),
    NotificationKind.RECTIFICATION_OVERDUE: _rectification(
        gettext_noop("Rectification no. %(item)d of %(unit)s is overdue since %(due)s."),
        gettext_noop("A rectification of your unit is overdue."),
    ),
    NotificationKind.RECTIFICATION_SENT_BACK: _rectification(
        gettext_noop("Rectification no. %(item)d of %(unit)s was sent back; due by %(due)s."),
        gettext_noop("A rectification of your unit was sent back."),
    ),
    NotificationKind.HOTSPOT_RAISED: _hotspot,
    NotificationKind.ASSISTANCE_DUE_SOON: _assistance(
        gettext_noop("Door-to-door request no. %(request)d: the %(clock)s is due by %(due)s."),
        gettext_noop("A door-to-door request is due soon."),
    ),
    NotificationKind.ASSISTANCE_OVERDUE: _assistance(
        gettext_noop(
            "Door-to-door request no. %(request)d: the %(clock)s is overdue since %(due)s."
        ),
        gettext_noop("A door-to-door request is overdue."),
    ),
    NotificationKind.BAD_REVIEW_OPENED: _bad_review(
        gettext_noop("Bad review no. %(evaluation)d of %(unit)s to handle by %(due)s."),
        gettext_noop("A bad review of your unit is to be handled."),
    ),
    NotificationKind.BAD_REVIEW_DUE_SOON: _bad_review(
        gettext_noop("Bad review no. %(evaluation)d of %(unit)s is due by %(due)s."),
        gettext_noop("A bad review of your unit is due soon."),
    ),
    NotificationKind.BAD_REVIEW_OVERDUE: _bad_review(
        gettext_noop("Bad review no. %(evaluation)d of %(unit)s is overdue since %(due)s."),
        gettext_noop("A bad review of your unit is overdue."),
    ),
    NotificationKind.REPORT_READY: _report,
}


def notice_text(kind: str, params: dict[str, Any], tracking_no: str | None) -> str:
    """The notice in the active language; a kind no longer known is shown by its name."""
    try:
        compose = COMPOSERS[NotificationKind(kind)]
    except ValueError:
        return kind
    return compose(Params(params if isinstance(params, dict) else {}, tracking_no or ""))


def what(kind: NotificationKind) -> str:
    """The kind's short label in the active language (an SMS's "what", a subject line)."""
    return str(kind.label)


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def staff_email(kind: NotificationKind, params: dict[str, Any], tracking_no: str | None) -> Email:
    """The e-mail copy of a notice, in Chinese: the district's staff language, whoever caused
    it (as the petitioners' SMS, notify.messages)."""
    with override("zh-hans"):
        text = notice_text(kind, params, tracking_no)
        label = what(kind)
        subject = f"{label}：{tracking_no}" if tracking_no else label
        hint = _("Open the workbench to see it among your notices.")
        body = f"{text}\n\n{hint}"
    return Email(subject=subject, body=body)


def sms_what(kind: NotificationKind) -> str:
    with override("zh-hans"):
        return what(kind)
