"""External sources (R-IN-3): how a record of the 12345 hotline, the portal's mid-way exit or
the good/bad-review platform becomes a registration.

Each source is a TOML file in `sources/`, validated when loaded, so that a new source or a
renamed column is a change of data, never an `if source == …` in code. A file names:

- `key` (the file's name; the external source stored on the case), `name`, `channel`, and
  `id`: the column holding the record's own number (the idempotency key with `key`);
- `[fields]`: registration field → column; `matter_code` and `department_code` are looked
  up in the catalogue and the unit tree;
- `[templates]`: a text field made of several columns, as a list of segments such as
  "退出原因：{退出原因}。"; a segment is kept only when every column it names has a value;
- `[defaults]`: values for fields the record leaves empty;
- `[values.<field>]`: the source's words for our choices ("投诉" = "complaint");
- `[accept]`: column → the values a record must have to become a case (others are refused
  with the reason);
- `acknowledge`: whether the petitioner is sent an SMS with the tracking number;
- `account` (optional, "intake" when absent): the user name of the source's own intake
  account, the only one that may register records under the source's ids (by its API token,
  or as the `import --source` command's user), so no other token holder can take a future
  record's id;
- `[evaluation]` (optional): every record is also a service rating (好差评, R-NB-4), kept
  whether or not it becomes a case: `level` and `comment` name the columns, and
  `[evaluation.levels]` maps the source's words to the five levels (5 very satisfied … 1
  very dissatisfied).

Errors are for the operator who edits the files: plain English naming the file and the key.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Category, Channel, Complexity, PetitionerType
from banchengshi.errors import ActionRefused

SOURCE_DIR = Path(__file__).resolve().parent / "sources"
# The key is stored in Case.external_source (32 characters) and appears in URLs.
KEY = re.compile(r"^[a-z0-9][a-z0-9_]{0,31}$")
MAX_COLUMN_NAME = 100
DEFAULT_ACCOUNT = "intake"
TOP_LEVEL = frozenset(
    {"key", "name", "channel", "id", "acknowledge", "account", "fields", "templates", "defaults"}
    | {"values", "accept", "evaluation"}
)
LEVELS = frozenset(range(1, 6))
TEXT_FIELDS = (
    "petitioner_name",
    "phone",
    "id_number",
    "enterprise_name",
    "credit_code",
    "description",
    "request",
    "matter_text",
    "online_application_no",
    "window",
)
CHOICES: dict[str, frozenset[str]] = {
    "petitioner_type": frozenset(PetitionerType.values),
    "category": frozenset(Category.values),
    "complexity": frozenset(Complexity.values),
}
LOOKUPS = ("matter_code", "department_code")
TARGETS = frozenset((*TEXT_FIELDS, *CHOICES, "received_at", "visits_count", *LOOKUPS))
# What a registration cannot do without: each must come from a column or a template.
REQUIRED = ("petitioner_name", "phone", "description")


class SourceError(ValueError):
    """A source file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Template:
    """Segments of text with {column} placeholders."""

    segments: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(name for _, names in self.segments for name in names)

    def render(self, values: Mapping[str, str]) -> str:
        """The segments whose columns all have a value; "" when none of those with a
        placeholder does, so that a record without the text is refused as such rather than
        registered with the template's bare wording."""
        kept: list[str] = []
        filled = False
        for text, names in self.segments:
            if all(values.get(name) for name in names):
                kept.append(text.format_map({name: values[name] for name in names}))
                filled = filled or bool(names)
        return "".join(kept).strip() if filled else ""


@dataclass(frozen=True)
class EvaluationColumns:
    """Where a record's rating is: the columns of its level and comment, and the source's
    words for the five levels."""

    level: str
    comment: str
    levels: Mapping[str, int]


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    channel: str
    id_column: str
    acknowledge: bool
    fields: Mapping[str, str]
    templates: Mapping[str, Template]
    defaults: Mapping[str, str]
    values: Mapping[str, Mapping[str, str]]
    accept: Mapping[str, tuple[str, ...]]
    evaluation: EvaluationColumns | None = None
    account: str = DEFAULT_ACCOUNT

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the source reads, its id first."""
        names = [self.id_column, *self.fields.values(), *self.accept]
        for template in self.templates.values():
            names.extend(template.columns)
        return tuple(dict.fromkeys(names))

    def column_for(self, target: str) -> str:
        """Where a problem with a registration field is reported: under the source's own
        column when the field comes from one, so that the sender recognises it."""
        if target == "matter_id":
            target = "matter_code" if "matter_code" in self.fields else "matter_text"
        elif target == "department_id":
            target = "department_code"
        elif target in ("external_id", "external_source"):
            return self.id_column
        return self.fields.get(target, target)


def _text(raw: Any, key: str, where: str, *, limit: int = MAX_COLUMN_NAME) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise SourceError(f"{where}: {key!r} is required and must be text")
    if len(raw) > limit:
        raise SourceError(f"{where}: {key!r} is longer than {limit} characters")
    return raw


def _table(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise SourceError(f"{where}: [{key}] must be a table")
    return value


def _target(name: str, where: str, allowed: frozenset[str] | tuple[str, ...] = TARGETS) -> str:
    if name not in allowed:
        raise SourceError(
            f"{where}: {name!r} is not a registration field (use one of: "
            f"{', '.join(sorted(allowed))})"
        )
    return name


def _template(raw: Any, where: str) -> Template:
    parts = [raw] if isinstance(raw, str) else raw
    if not isinstance(parts, list) or not parts or not all(isinstance(p, str) for p in parts):
        raise SourceError(f"{where}: a template is a text or a list of texts")
    segments = []
    for part in parts:
        names = []
        try:
            parsed = list(string.Formatter().parse(part))
        except ValueError as exc:
            raise SourceError(f"{where}: {part!r} is not a valid template ({exc})") from None
        for _text, name, spec, conversion in parsed:
            if name is None:
                continue
            # Only plain column names: {a.b}, {a[0]}, {a!r} and {a:>5} would let the file
            # reach into the values' attributes or reformat them.
            if not name or spec or conversion or any(c in name for c in ".[]"):
                raise SourceError(f"{where}: {{{name}}} must be a plain column name in {part!r}")
            if len(name) > MAX_COLUMN_NAME:
                raise SourceError(f"{where}: the column name {name!r} is too long")
            names.append(name)
        segments.append((part, tuple(names)))
    template = Template(tuple(segments))
    if not template.columns:
        raise SourceError(f"{where}: the template names no column")
    return template


def parse_source(text: str, origin: str) -> Source:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{origin}: not valid TOML ({exc})") from None
    unknown = set(raw) - TOP_LEVEL
    if unknown:
        raise SourceError(f"{origin}: unknown keys {', '.join(sorted(unknown))}")
    key = _text(raw.get("key"), "key", origin)
    if not KEY.match(key):
        raise SourceError(
            f"{origin}: 'key' must be 1 to 32 lower-case letters, digits or _, starting with "
            "a letter or digit"
        )
    name = _text(raw.get("name"), "name", origin)
    channel = _text(raw.get("channel"), "channel", origin)
    if channel not in Channel.values:
        raise SourceError(f"{origin}: unknown channel {channel!r} ({', '.join(Channel.values)})")
    id_column = _text(raw.get("id"), "id", origin)
    acknowledge = raw.get("acknowledge", True)
    if not isinstance(acknowledge, bool):
        raise SourceError(f"{origin}: 'acknowledge' must be true or false")
    account = _text(raw.get("account", DEFAULT_ACCOUNT), "account", origin, limit=150)

    fields = {
        _target(target, f"{origin} [fields]"): _text(column, target, f"{origin} [fields]")
        for target, column in _table(raw, "fields", origin).items()
    }
    templates = {
        _target(target, f"{origin} [templates]", TEXT_FIELDS): _template(
            spec, f"{origin} [templates] {target}"
        )
        for target, spec in _table(raw, "templates", origin).items()
    }
    both = set(fields) & set(templates)
    if both:
        raise SourceError(f"{origin}: {', '.join(sorted(both))} in both [fields] and [templates]")

    defaults: dict[str, str] = {}
    for target, value in _table(raw, "defaults", origin).items():
        where = f"{origin} [defaults]"
        defaults[_target(target, where)] = _text(value, target, where, limit=200)
        if target in CHOICES and value not in CHOICES[target]:
            raise SourceError(f"{where}: {target} = {value!r} is not one of our choices")

    values: dict[str, dict[str, str]] = {}
    for target, table in _table(raw, "values", origin).items():
        where = f"{origin} [values.{target}]"
        _target(target, where, tuple(CHOICES))
        if not isinstance(table, dict) or not table:
            raise SourceError(f"{where}: must be a table of the source's words to our choices")
        for word, ours in table.items():
            if ours not in CHOICES[target]:
                raise SourceError(
                    f"{where}: {word!r} = {ours!r}; our choices are "
                    f"{', '.join(sorted(CHOICES[target]))}"
                )
        values[target] = dict(table)

    accept: dict[str, tuple[str, ...]] = {}
    for column, allowed in _table(raw, "accept", origin).items():
        where = f"{origin} [accept]"
        if not isinstance(allowed, list) or not allowed:
            raise SourceError(f"{where}: {column!r} must list the values that are taken in")
        accept[_text(column, "column", where)] = tuple(
            _text(value, column, where, limit=200) for value in allowed
        )

    given = set(fields) | set(templates)
    evaluation = _evaluation(raw, origin) if "evaluation" in raw else None
    for target in REQUIRED:
        if target not in given:
            raise SourceError(f"{origin}: nothing gives {target!r} (map a column to it)")
    if not given & {"matter_code", "matter_text"} and not set(defaults) & {"matter_text"}:
        raise SourceError(f"{origin}: nothing gives the matter (map matter_code or matter_text)")
    return Source(
        key=key,
        name=name,
        channel=channel,
        id_column=id_column,
        acknowledge=acknowledge,
        fields=fields,
        templates=templates,
        defaults=defaults,
        values=values,
        accept=accept,
        evaluation=evaluation,
        account=account,
    )


def _evaluation(raw: dict[str, Any], origin: str) -> EvaluationColumns:
    where = f"{origin} [evaluation]"
    table = _table(raw, "evaluation", origin)
    unknown = set(table) - {"level", "comment", "levels"}
    if unknown:
        raise SourceError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    levels = table.get("levels")
    if not isinstance(levels, dict) or not levels:
        raise SourceError(f"{where}: [evaluation.levels] maps the source's words to 1…5")
    for word, level in levels.items():
        if not isinstance(level, int) or isinstance(level, bool) or level not in LEVELS:
            raise SourceError(f"{where}: {word!r} = {level!r}; a level is a whole number 1…5")
    if set(levels.values()) != LEVELS:
        raise SourceError(f"{where}: [evaluation.levels] must give each of the levels 1…5")
    return EvaluationColumns(
        level=_text(table.get("level"), "level", where),
        comment=_text(table.get("comment"), "comment", where),
        levels=dict(levels),
    )


@cache
def all_sources() -> dict[str, Source]:
    """Every source file, validated; the first broken one raises SourceError."""
    found: dict[str, Source] = {}
    for path in sorted(SOURCE_DIR.glob("*.toml")):
        source = parse_source(path.read_text(encoding="utf-8"), path.name)
        if source.key != path.stem:
            raise SourceError(f"{path.name}: 'key' is {source.key!r}, expected {path.stem!r}")
        found[source.key] = source
    return found


def find_source(key: str) -> Source | None:
    return all_sources().get(key)


def may_register_for(actor: User, key: str) -> bool:
    """Whether `actor` is the intake account of the source `key` (an unknown key has none)."""
    source = find_source(key)
    return source is not None and actor.is_active and actor.get_username() == source.account


class ExternalSourceRefused(ActionRefused):
    """A record under an external source's ids from anyone but that source's own intake
    account: whoever holds a token could otherwise take the id of a record still to come,
    and the real record would be answered with their case."""

    status = 400

    def __init__(self, source: str) -> None:
        super().__init__(
            "external_source_not_allowed",
            _(
                "Only the intake account of the external source “%(source)s” may register "
                "records under its ids."
            )
            % {"source": source},
            "external_source",
        )


def require_source_account(actor: User, key: str) -> None:
    """Refuse a registration under the external source `key` by anyone but its intake account
    (every path that takes external ids from outside calls it: the API and the intake)."""
    if not may_register_for(actor, key):
        raise ExternalSourceRefused(key)
