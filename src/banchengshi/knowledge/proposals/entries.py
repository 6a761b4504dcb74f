"""The knowledge entries that fit an appeal being registered (R-IN-7).

Candidates come from two indexes, each the newest CANDIDATES: the entries' full-text index
(`search.ENTRY_INDEX`) asked for three-character phrases spread over what was typed (one
bigram such as 办理 or 材料 is in half of all entries), and the entries of the matter (the
link table's index). Only published versions count, the public ones for whoever holds no
role. The candidates are ranked by how many character bigrams their published problem and
tags share with the appeal, an entry of the same matter first among equals; the best SHOWN
are returned with the shared words marked."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from banchengshi.cases.similar import bigrams
from banchengshi.catalog.models import Matter
from banchengshi.knowledge.models import Entry
from banchengshi.knowledge.search import ENTRY_INDEX
from banchengshi.knowledge.selectors import PublishedText, published_texts
from banchengshi.textsearch.index import Match
from banchengshi.textsearch.tokens import Phrase, index_tokens

CANDIDATES = 50
SHOWN = 3
# Phrases of the appeal looked up in the index: enough to find an entry told in other
# words, few enough for one index query.
TEXT_PHRASES = 8
# Bigrams an entry must share with the appeal to be shown when it is not of the same matter.
MIN_SHARED = 3
TITLE_LENGTH = 60
SNIPPET_LENGTH = 120


@dataclass(frozen=True)
class KnowledgeMatch:
    id: int
    title: str
    # The title and the solution's beginning, escaped, the words shared with the appeal in <mark>.
    title_marked: SafeString
    snippet: SafeString
    public: bool
    same_matter: bool
    url: str


def text_phrases(text: str) -> list[Match]:
    tokens = [t for t in index_tokens(text) if len(t) == 2]
    pairs = [(tokens[i], tokens[i + 1]) for i in range(len(tokens) - 1)]
    step = max(1, len(pairs) // TEXT_PHRASES)
    return [Match(ENTRY_INDEX.columns, (Phrase(pair),)) for pair in pairs[::step][:TEXT_PHRASES]]


def _candidate_ids(text: str, matter: Matter | None) -> set[int]:
    # Two reads of ids, each from its index alone, rather than one OR over the entries
    # (which PostgreSQL would answer by scanning them).
    ids: set[int] = set()
    found = ENTRY_INDEX.newest(text_phrases(text), newest=CANDIDATES)
    if found is not None:
        ids.update(found.keys)
    if matter is not None:
        of_matter = Entry.matters.through.objects.filter(matter_id=matter.pk).order_by("-entry_id")
        ids.update(of_matter.values_list("entry_id", flat=True)[:CANDIDATES])
    return ids


def cut(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else f"{text[:length]}…"


def mark_shared(text: str, grams: frozenset[str]) -> SafeString:
    """`text` escaped, each run of characters covered by a bigram of `grams` in <mark>."""
    folded = text.casefold()
    covered = [False] * len(text)
    for i in range(len(text) - 1):
        if folded[i : i + 2] in grams:
            covered[i] = covered[i + 1] = True
    parts: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and covered[j] == covered[i]:
            j += 1
        run = escape(text[i:j])
        parts.append(f"<mark>{run}</mark>" if covered[i] else run)
        i = j
    return mark_safe("".join(parts))


def entry_url(entry_id: int, *, internal: bool) -> str:
    """Staff read an entry on the workbench's entry page, everyone else on the FAQ. A path,
    not a reversed name: the workbench's knowledge pages are built in their own area."""
    return f"/staff/knowledge/{entry_id}/" if internal else f"/faq/{entry_id}/"


def _match(
    entry: Entry,
    published: PublishedText,
    grams: frozenset[str],
    *,
    same_matter: bool,
    internal: bool,
) -> KnowledgeMatch:
    title = cut(published.problem, TITLE_LENGTH)
    return KnowledgeMatch(
        id=entry.pk,
        title=title,
        title_marked=mark_shared(title, grams),
        snippet=mark_shared(cut(published.solution, SNIPPET_LENGTH), grams),
        public=entry.search_row.public,
        same_matter=same_matter,
        url=entry_url(entry.pk, internal=internal),
    )


def knowledge_for(text: str, matter: Matter | None, *, internal: bool) -> list[KnowledgeMatch]:
    """The published entries that fit the appeal, best first (see the module); `internal`:
    entries kept for staff too."""
    ids = _candidate_ids(text, matter)
    if not ids:
        return []
    rows = Entry.objects.filter(pk__in=ids, search_row__isnull=False).select_related("search_row")
    if not internal:
        rows = rows.filter(search_row__public=True)
    entries = list(rows)
    texts = published_texts(entries)
    of_matter = set(
        Entry.matters.through.objects.filter(
            entry_id__in=[e.pk for e in entries], matter_id=matter.pk
        ).values_list("entry_id", flat=True)
        if matter is not None
        else []
    )
    grams = bigrams(text)
    scored = []
    for entry in entries:
        published = texts.get(entry.pk)
        if published is None:
            continue
        shared = grams & bigrams(f"{published.problem}\n{published.tags}")
        same_matter = entry.pk in of_matter
        if not same_matter and len(shared) < MIN_SHARED:
            continue
        key = (len(shared), same_matter, entry.published_at, entry.pk)
        scored.append(
            (key, _match(entry, published, grams, same_matter=same_matter, internal=internal))
        )
    scored.sort(key=lambda pair: pair[0], reverse=True)
    return [match for _, match in scored[:SHOWN]]
