"""Reading knowledge entries: the staff's list and search, the public FAQ, one entry with its
history, and the published text of a page of entries (one query for the page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet

from banchengshi.cases.access import visible_cases
from banchengshi.cases.models import Case
from banchengshi.catalog.models import Matter
from banchengshi.ids import MAX_ID
from banchengshi.knowledge.models import Entry, EntryStatus, EntryVersion
from banchengshi.knowledge.search import ranked_entries, search_entries
from banchengshi.org.models import HANDLING_KINDS, Unit
from banchengshi.org.scope import Scope
from banchengshi.textsearch.listed import Listed

# Drafts waiting for a reviewer are counted up to this many (the badge says "99+").
DRAFTS_CAP = 100


def staff_entries(
    *,
    text: str = "",
    status: str = "",
    visibility: str = "",
    cause_code: str = "",
    matter_id: int | None = None,
    unit_id: int | None = None,
) -> QuerySet[Entry]:
    """Every center's entries (the library is shared, R-KB-1), narrowed by the filters given.
    With `text`: the entries whose published version it finds, by relevance and recency (a
    draft never published is not searched); else newest first. Without `status`, all but
    the withdrawn ones."""
    if text.strip():
        entries = search_entries(Entry.objects.all(), text)
    else:
        entries = Entry.objects.order_by("-id")
    if status in EntryStatus.values:
        entries = entries.filter(status=status)
    else:
        entries = entries.filter(status__in=[EntryStatus.DRAFT, EntryStatus.PUBLISHED])
    if visibility:
        entries = entries.filter(visibility=visibility)
    if cause_code:
        entries = entries.filter(cause_code=cause_code)
    if matter_id is not None:
        entries = entries.filter(matters=matter_id)
    if unit_id is not None:
        entries = entries.filter(units=unit_id)
    return entries


def drafts_waiting() -> int:
    """How many drafts wait for a reviewer, up to DRAFTS_CAP (index kb_entry_status)."""
    return Entry.objects.filter(status=EntryStatus.DRAFT).order_by()[:DRAFTS_CAP].count()


def staff_entry(entry_id: int) -> Entry | None:
    if not 1 <= entry_id <= MAX_ID:  # a number the database would refuse as a parameter
        return None
    return (
        Entry.objects.select_related("author", "edited_by", "reviewer")
        .prefetch_related("matters", "units")
        .filter(pk=entry_id)
        .first()
    )


def source_cases(scope: Scope, entry: Entry) -> list[Case]:
    """The entry's source cases that this person may open; the others are not named."""
    return list(
        entry.source_cases.filter(pk__in=visible_cases(scope).values("pk"))
        .select_related("matter")
        .order_by("-id")
    )


def hidden_source_cases(scope: Scope, entry: Entry) -> int:
    return entry.source_cases.exclude(pk__in=visible_cases(scope).values("pk")).count()


VERSIONED = ("problem", "cause_code", "solution", "tags")


@dataclass(frozen=True)
class VersionRow:
    """A published version and the fields in which it differs from the one before it."""

    version: EntryVersion
    changed: tuple[str, ...]


def version_rows(entry: Entry) -> list[VersionRow]:
    """The entry's published versions, newest first, each with what it changed."""
    versions = list(
        entry.versions.select_related("author", "edited_by", "reviewer").order_by("number")
    )
    rows: list[VersionRow] = []
    previous: EntryVersion | None = None
    for version in versions:
        changed = tuple(
            name
            for name in VERSIONED
            if previous is None or getattr(version, name) != getattr(previous, name)
        )
        rows.append(VersionRow(version, changed))
        previous = version
    return rows[::-1]


def pending_changes(entry: Entry, rows: list[VersionRow]) -> tuple[str, ...]:
    """The fields in which a draft differs from its last published version (none if the
    entry was never published, or is not a draft)."""
    if entry.status != EntryStatus.DRAFT or not rows:
        return ()
    last = rows[0].version
    return tuple(name for name in VERSIONED if getattr(entry, name) != getattr(last, name))


def listed_entries(*, text: str, internal: bool) -> Listed[Entry]:
    """Entries with a published version (the API's list): all of them for staff (`internal`),
    else the public ones; searched by `text`, else the latest published first; each with its
    author, reviewer, matters, units and source cases."""
    entries = Entry.objects.select_related("author", "reviewer").prefetch_related(
        "matters", "units", "source_cases"
    )
    if text.strip():
        return ranked_entries(entries, text, public=not internal)
    rows = entries.filter(search_row__isnull=False)
    if not internal:
        rows = rows.filter(search_row__public=True)
    return Listed(rows.order_by("-published_at", "-id"))


def faq_entries(text: str = "") -> Listed[Entry]:
    """What the public FAQ lists: entries whose published version is public."""
    if text.strip():
        return ranked_entries(Entry.objects.all(), text, public=True)
    return Listed(Entry.objects.filter(search_row__public=True).order_by("-published_at", "-id"))


def faq_entry(entry_id: int) -> Entry | None:
    return Entry.objects.filter(pk=entry_id, search_row__public=True).first()


@dataclass(frozen=True)
class PublishedText:
    problem: str
    solution: str
    tags: str
    cause_code: str


def published_texts(entries: list[Entry]) -> dict[int, PublishedText]:
    """The last published version of each entry that has one, by entry id."""
    versions = EntryVersion.objects.filter(
        entry_id__in=[entry.pk for entry in entries if entry.published_version],
        number=F("entry__published_version"),
    ).values_list("entry_id", "problem", "solution", "tags", "cause_code")
    return {row[0]: PublishedText(*row[1:]) for row in versions}


def case_ids_by_tracking_no(scope: Scope, numbers: list[str]) -> dict[str, int]:
    """The ids of the cases this person may open among these tracking numbers, by number
    (one query on the unique index of tracking numbers)."""
    if not numbers:
        return {}
    rows = visible_cases(scope).filter(tracking_no__in=numbers).values_list("tracking_no", "pk")
    return dict(rows)


def matter_choices() -> list[tuple[int, str]]:
    return list(Matter.objects.filter(is_active=True).order_by("code").values_list("pk", "name"))


def unit_choices() -> list[tuple[int, str]]:
    """The units an entry can name as its departments: those that handle cases."""
    return list(
        Unit.objects.filter(is_active=True, kind__in=HANDLING_KINDS)
        .order_by("path")
        .values_list("pk", "name")
    )
