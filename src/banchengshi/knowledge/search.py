"""Search over published knowledge entries through the shared full-text index (`textsearch`):
1- to many-character Chinese queries, Latin words and digits, all answered by the index.

Ranking: relevance first — the query found in the problem, else in the tags, else only in
the solution or the matters' names — then recency (the latest written first: the newest
matches are taken by their keys, so the order is known from them). Each query
takes at most SEARCH_NEWEST matches of the index, newest first, so a common word costs the
same whatever the number of entries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import QuerySet, Value, When

from banchengshi.knowledge.models import Entry, EntrySearch
from banchengshi.textsearch.index import Found, Match, TextIndex, among
from banchengshi.textsearch.listed import Listed
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


def search_entries(queryset: QuerySet[Entry], text: str) -> QuerySet[Entry]:
    """The entries of `queryset` whose published version matches `text`, best first (see
    the module), as a queryset the staff's list narrows further. Only published versions are
    indexed (a withdrawn entry's row is deleted)."""
    found = _found(text)
    if found is None:
        return queryset.none()
    problem, tags = found.flagged
    tiers = [
        When(id__in=among(keys), then=Value(tier))
        for tier, keys in ((3, problem), (2, tags))
        if keys
    ]
    queryset = queryset.filter(id__in=among(found.keys))
    return queryset.annotate(relevance=SqlCase(*tiers, default=Value(1))).order_by(
        "-relevance", "-id"
    )


def ranked_entries(queryset: QuerySet[Entry], text: str, *, public: bool) -> Listed[Entry]:
    """As search_entries, in the same order, for a list with no other filter: the order is
    known from the keys found, so that a page reads its own entries only and the count is the
    number of keys (`public`: one narrow query keeps the public ones)."""
    found = _found(text)
    if found is None:
        return Listed(queryset.none(), order=())
    problem, tags = found.flagged
    keys = found.keys
    if public:
        shown = set(
            EntrySearch.objects.filter(entry_id__in=among(keys), public=True).values_list(
                "entry_id", flat=True
            )
        )
        keys = [key for key in keys if key in shown]

    def rank(key: int) -> tuple[int, int]:
        return (-(3 if key in problem else 2 if key in tags else 1), -key)

    return Listed(queryset, order=tuple(sorted(keys, key=rank)))


def _found(text: str) -> Found | None:
    """The newest matches read now, with the tiers tested on the same rows."""
    query = EntryQuery.read(text)
    return ENTRY_INDEX.newest(
        [query.everywhere], newest=SEARCH_NEWEST, flags=[query.problem, query.tags]
    )
