"""One external record → a cleaned registration, with every problem reported under the
source's own column names (the sender knows "联系电话", not "phone")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import MAX_TEXT, Case
from banchengshi.cases.registration import Registration, clean_registration
from banchengshi.catalog.models import Matter
from banchengshi.errors import InvalidInput
from banchengshi.intake.sources import CHOICES, TEXT_FIELDS, Source
from banchengshi.org.models import HANDLING_KINDS, Unit

# Sources write local time without an offset: it is Beijing time.
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Checked by their validators, whose messages say more than "too long".
VALIDATED = frozenset({"phone", "id_number", "credit_code"})
# Values of a record are read as text; spreadsheets may hold numbers, dates or nothing.
Record = Mapping[str, Any]


def _limit(target: str) -> int:
    field = Case._meta.get_field(target)
    return getattr(field, "max_length", None) or MAX_TEXT


LIMITS = {target: _limit(target) for target in TEXT_FIELDS}
EXTERNAL_ID_LIMIT = _limit("external_id")


class CatalogueLookups:
    """Matter and unit codes resolved once per import rather than once per row."""

    def __init__(self) -> None:
        self.matters: dict[str, int | None] = {}
        self.units: dict[str, int | None] = {}

    def matter_id(self, code: str) -> int | None:
        if code not in self.matters:
            self.matters[code] = (
                Matter.objects.filter(code=code, is_active=True).values_list("pk", flat=True)
            ).first()
        return self.matters[code]

    def unit_id(self, code: str) -> int | None:
        if code not in self.units:
            self.units[code] = (
                Unit.objects.filter(code=code, is_active=True, kind__in=HANDLING_KINDS)
                .values_list("pk", flat=True)
                .first()
            )
        return self.units[code]


class Problems:
    """Messages collected per column, raised together."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str | Promise]] = {}

    def add(self, column: str, message: str | Promise) -> None:
        messages = self.errors.setdefault(column, [])
        if str(message) not in map(str, messages):
            messages.append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # A phone number typed into a spreadsheet cell becomes 13812345678.0.
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def _readable(text: str) -> bool:
    """No NUL (PostgreSQL refuses it) and no lone surrogate (it cannot be stored as UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def external_id(source: Source, record: Record) -> str:
    """The record's own number, which with the source makes the intake idempotent."""
    value = as_text(record.get(source.id_column))
    if not value:
        raise InvalidInput({source.id_column: [_("The record's id is required.")]})
    if len(value) > EXTERNAL_ID_LIMIT or not _readable(value):
        raise InvalidInput(
            {
                source.id_column: [
                    _("The record's id must be at most %(limit)d characters of text.")
                    % {"limit": EXTERNAL_ID_LIMIT}
                ]
            }
        )
    return value


def parse_instant(value: Any) -> dt.datetime | None:
    """ISO 8601 or "2026-11-20 09:30[:00]" (also with slashes); without an offset, Beijing
    time. None when the value is not a time."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = as_text(value).replace("/", "-")
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    if not 1900 <= moment.year <= 2999:
        return None
    return moment


def _whole_number(value: Any) -> int | None:
    text = as_text(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def _accepted(source: Source, values: Mapping[str, str], problems: Problems) -> None:
    for column, allowed in source.accept.items():
        if values.get(column, "") not in allowed:
            problems.add(
                column,
                _(
                    "Only records with %(column)s in (%(allowed)s) become cases; "
                    "this one has “%(value)s”."
                )
                % {
                    "column": column,
                    "allowed": "、".join(allowed),
                    "value": values.get(column, ""),
                },
            )


def map_record(
    source: Source, record: Record, lookups: CatalogueLookups, *, record_id: str
) -> tuple[Registration, Problems]:
    """The registration the record asks for, before the engine's validation, and the
    problems found on the way (a field with a problem is left out or cut to its limit, so
    that the engine does not report it a second time)."""
    problems = Problems()
    values = {column: as_text(record.get(column)) for column in source.columns}
    for column, text in values.items():
        if not _readable(text):
            problems.add(column, _("Null characters are not allowed."))
            values[column] = ""
    _accepted(source, values, problems)

    fields: dict[str, Any] = {}
    for target, column in source.fields.items():
        fields[target] = values[column]
    for target, template in source.templates.items():
        fields[target] = template.render(values)
    for target, default in source.defaults.items():
        if not fields.get(target):
            fields[target] = default

    for target, table in source.values.items():
        word = fields.get(target, "")
        if word and word not in CHOICES[target]:
            if word in table:
                fields[target] = table[word]
            else:
                fields[target] = ""
                problems.add(
                    source.column_for(target),
                    _("Unknown value “%(value)s”; expected one of: %(choices)s.")
                    % {"value": word, "choices": "、".join([*table, *sorted(CHOICES[target])])},
                )
    for target in CHOICES:
        word = fields.get(target, "")
        if word and target not in source.values and word not in CHOICES[target]:
            fields[target] = ""
            problems.add(
                source.column_for(target),
                _("Unknown value “%(value)s”; expected one of: %(choices)s.")
                % {"value": word, "choices": "、".join(sorted(CHOICES[target]))},
            )

    for target in TEXT_FIELDS:
        text = fields.get(target, "")
        if target not in VALIDATED and len(text) > LIMITS[target]:
            problems.add(
                source.column_for(target),
                _("The text is too long (at most %(limit)d characters).")
                % {"limit": LIMITS[target]},
            )
            fields[target] = text[: LIMITS[target]]

    registration: dict[str, Any] = {
        target: fields.get(target, "") for target in TEXT_FIELDS if target in fields
    }
    for target in CHOICES:
        if fields.get(target):
            registration[target] = fields[target]
    if fields.get("received_at"):
        received_at = parse_instant(fields["received_at"])
        if received_at is None:
            problems.add(
                source.column_for("received_at"),
                _("Enter a date and time such as 2026-11-20 09:30 (Beijing time)."),
            )
        registration["received_at"] = received_at
    if fields.get("visits_count"):
        visits = _whole_number(fields["visits_count"])
        if visits is None:
            problems.add(source.column_for("visits_count"), _("Enter a whole number."))
        registration["visits_count"] = 1 if visits is None else visits
    _look_up(source, fields, lookups, registration, problems)
    return Registration(
        channel=source.channel,
        petitioner_type=registration.pop("petitioner_type", "person"),
        petitioner_name=registration.pop("petitioner_name", ""),
        phone=registration.pop("phone", ""),
        description=registration.pop("description", ""),
        external_source=source.key,
        external_id=record_id,
        **registration,
    ), problems


def _look_up(
    source: Source,
    fields: Mapping[str, Any],
    lookups: CatalogueLookups,
    registration: dict[str, Any],
    problems: Problems,
) -> None:
    matter_code = fields.get("matter_code", "")
    if matter_code:
        matter_id = lookups.matter_id(matter_code)
        if matter_id is not None:
            registration["matter_id"] = matter_id
        elif not fields.get("matter_text"):
            # Another catalogue's code with no name to fall back on: nothing says what the
            # matter is.
            problems.add(
                source.column_for("matter_code"),
                _("No service matter has the code “%(code)s”.") % {"code": matter_code},
            )
    department_code = fields.get("department_code", "")
    if department_code:
        unit_id = lookups.unit_id(department_code)
        if unit_id is None:
            problems.add(
                source.column_for("department_code"),
                _("No department or service center has the code “%(code)s”.")
                % {"code": department_code},
            )
        registration["department_id"] = unit_id


def prepare_registration(
    source: Source,
    record: Record,
    lookups: CatalogueLookups,
    *,
    record_id: str,
    now: dt.datetime | None = None,
) -> Registration:
    """Mapped and validated as the engine will validate it, every problem at once under the
    source's columns; nothing is written."""
    registration, problems = map_record(source, record, lookups, record_id=record_id)
    try:
        cleaned = clean_registration(registration, now)
    except InvalidInput as exc:
        mapped = set(problems.errors)
        for target, messages in exc.errors.items():
            column = source.column_for(target)
            # A column the mapping refused was left empty: the engine's complaint about it
            # would repeat the problem in other words.
            if column not in mapped:
                for message in messages:
                    problems.add(column, message)
        raise InvalidInput(problems.errors) from None
    problems.raise_any()
    return cleaned
