"""Reading knowledge entries: the staff's list and search, the public FAQ, one entry with its
history, and the published text of a page of entries (one query for the page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet

from banchengshi.knowledge.models import Entry, EntryStatus, EntryVersion
from banchengshi.knowledge.search import search_entries


def staff_entries(*, text: str = "", status: str = "") -> QuerySet[Entry]:
    """Every center's entries (the library is shared, R-KB-1): searched, the published ones by
    relevance and recency; else the entries of `status` (all but withdrawn when empty),
    newest first."""
    if text.strip():
        return search_entries(Entry.objects.all(), text, public=False)
    entries = Entry.objects.all()
    if status in EntryStatus.values:
        entries = entries.filter(status=status)
    else:
        entries = entries.exclude(status=EntryStatus.WITHDRAWN)
    return entries.order_by("-id")


def listed_entries(*, text: str, internal: bool) -> QuerySet[Entry]:
    """Entries with a published version (the API's list): all of them for staff (`internal`),
    else the public ones; searched by `text`, else the latest published first."""
    if text.strip():
        return search_entries(Entry.objects.all(), text, public=not internal)
    rows = Entry.objects.filter(search_row__isnull=False)
    if not internal:
        rows = rows.filter(search_row__public=True)
    return rows.order_by("-published_at", "-id")


def faq_entries(text: str = "") -> QuerySet[Entry]:
    """What the public FAQ lists: entries whose published version is public."""
    if text.strip():
        return search_entries(Entry.objects.all(), text, public=True)
    return Entry.objects.filter(search_row__public=True).order_by("-published_at", "-id")


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


def history(entry: Entry) -> list[EntryVersion]:
    return list(entry.versions.select_related("author", "reviewer").order_by("-number"))
