"""Search over published knowledge entries through the shared full-text index (`textsearch`):
1- to many-character Chinese queries, Latin words and digits, all answered by the index.

Ranking: relevance first — the query found in the problem, else in the tags, else only in
the solution or the matters' names — then recency (the latest published first). Each query
takes at most SEARCH_NEWEST matches of the index, newest first, so a common word costs the
same whatever the number of entries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import QuerySet, Value, When

from banchengshi.knowledge.models import Entry, EntrySearch
from banchengshi.textsearch.index import Match, TextIndex, among
from banchengshi.textsearch.tokens import index_text, query_phrases

ENTRY_INDEX = TextIndex(
    table=EntrySearch._meta.db_table,
    key="entry_id",
    columns=("problem", "tags", "solution", "matters"),
)
SEARCH_NEWEST = 500


def search_fields(*, problem: str, tags: str, solution: str, matter_names: list[str]) -> dict:
    return {
        "problem": index_text(problem),
        "tags": index_text(tags),
        "solution": index_text(solution),
        "matters": index_text(*matter_names),
    }


def index_entry(entry: Entry) -> None:
    """Write (or rewrite) the search row of an entry just published."""
    fields = search_fields(
        problem=entry.problem,
        tags=entry.tags,
        solution=entry.solution,
        matter_names=[matter.name for matter in entry.matters.all()],
    )
    EntrySearch.objects.update_or_create(
        entry=entry, defaults={**fields, "public": entry.visibility == "public"}
    )


def unindex_entry(entry: Entry) -> None:
    EntrySearch.objects.filter(entry=entry).delete()


@dataclass(frozen=True)
class EntryQuery:
    everywhere: Match
    problem: Match
    tags: Match

    @classmethod
    def read(cls, text: str) -> EntryQuery:
        phrases = tuple(query_phrases(text))
        return cls(
            everywhere=Match(ENTRY_INDEX.columns, phrases),
            problem=Match(("problem",), phrases),
            tags=Match(("tags",), phrases),
        )

    @property
    def empty(self) -> bool:
        return not self.everywhere.phrases


def search_entries(queryset: QuerySet[Entry], text: str, *, public: bool) -> QuerySet[Entry]:
    """The entries of `queryset` whose published version matches `text`, best first (see
    the module). Only published versions are indexed (a withdrawn entry's row is deleted);
    `public`: only those published for the FAQ."""
    query = EntryQuery.read(text)
    # Read now, with the tiers tested on the same rows; the page and the count read the keys.
    found = ENTRY_INDEX.newest(
        [query.everywhere], newest=SEARCH_NEWEST, flags=[query.problem, query.tags]
    )
    if found is None:
        return queryset.none()
    problem, tags = found.flagged
    tiers = [
        When(id__in=among(keys), then=Value(tier))
        for tier, keys in ((3, problem), (2, tags))
        if keys
    ]
    queryset = queryset.filter(id__in=among(found.keys))
    if public:
        queryset = queryset.filter(search_row__public=True)
    return queryset.annotate(relevance=SqlCase(*tiers, default=Value(1))).order_by(
        "-relevance", "-published_at", "-id"
    )
