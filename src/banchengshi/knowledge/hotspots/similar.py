"""Similar OPEN cases of a case (R-KB-3): the candidates of the same matter (its index) and
those sharing words of the description (the cases' text index, `cases.search.CASE_INDEX`),
each list the newest CANDIDATES, so the cost does not grow with the number of cases; then
scored by the share of character bigrams (`cases.similar.overlap`) and the same cause, and
cut to what the person may see."""

from __future__ import annotations

from dataclasses import dataclass

from banchengshi.cases.access import may_see
from banchengshi.cases.models import Case
from banchengshi.cases.search import CASE_INDEX
from banchengshi.cases.similar import (
    MIN_OVERLAP,
    SIMILAR_PERIOD,
    SimilarCase,
    bigrams,
    overlap,
)
from banchengshi.cases.states import ACTIVE_STATES
from banchengshi.knowledge.hotspots.models import CaseGroupMember
from banchengshi.org.scope import Scope
from banchengshi.textsearch.index import Match
from banchengshi.textsearch.tokens import Phrase, index_tokens

CANDIDATES = 50
SHOWN = 10
# Phrases of the description looked up in the text index: enough to find a case told in
# other words, few enough for one index query.
TEXT_PHRASES = 8


@dataclass(frozen=True)
class SimilarOpen:
    similar: SimilarCase
    same_cause: bool
    group_id: int | None  # the group it is already in


def _text_phrases(case: Case) -> list[Match]:
    """Pairs of consecutive bigrams (three characters) spread over the description: a
    single bigram (办理, 材料) is in half of all appeals."""
    tokens = [t for t in index_tokens(case.description) if len(t) == 2]
    pairs = [(tokens[i], tokens[i + 1]) for i in range(len(tokens) - 1)]
    step = max(1, len(pairs) // TEXT_PHRASES)
    return [Match(("matter", "body"), (Phrase(pair),)) for pair in pairs[::step][:TEXT_PHRASES]]


def _candidates(case: Case) -> list[Case]:
    open_cases = Case.objects.filter(state__in=ACTIVE_STATES).exclude(pk=case.pk)
    ids: set[int] = set()
    if case.matter_id is not None:
        newest = open_cases.filter(matter_id=case.matter_id).order_by("-received_at", "-id")
        ids.update(newest.values_list("id", flat=True)[:CANDIDATES])
    text = CASE_INDEX.newest(_text_phrases(case), newest=CANDIDATES)
    if text is not None:
        ids.update(open_cases.filter(id__in=text.keys).values_list("id", flat=True))
    if case.cause_code:
        # No index on the cause: the index on the time received, over SIMILAR_PERIOD only.
        recent = open_cases.filter(received_at__gte=case.received_at - SIMILAR_PERIOD)
        newest = recent.filter(cause_code=case.cause_code).order_by("-received_at", "-id")
        ids.update(newest.values_list("id", flat=True)[:CANDIDATES])
    return list(
        Case.objects.filter(pk__in=ids).select_related("matter").prefetch_related("unit_links")
    )


def similar_open_cases(scope: Scope, case: Case) -> list[SimilarOpen]:
    """The open cases most like `case` that the person may see, most alike first; a case of
    the same matter or cause always counts, another only with MIN_OVERLAP of its text."""
    grams = bigrams(case.description)
    found = []
    for other in _candidates(case):
        if not may_see(scope, other):
            continue
        same_matter = case.matter_id is not None and other.matter_id == case.matter_id
        same_cause = bool(case.cause_code) and other.cause_code == case.cause_code
        score = overlap(grams, bigrams(other.description))
        if same_matter or same_cause or score >= MIN_OVERLAP:
            found.append((SimilarCase(other, score, same_matter), same_cause))
    found.sort(
        key=lambda f: (f[0].overlap, f[0].same_matter, f[1], f[0].case.received_at), reverse=True
    )
    found = found[:SHOWN]
    groups = dict(
        CaseGroupMember.objects.filter(case_id__in=[f[0].case.pk for f in found]).values_list(
            "case_id", "group_id"
        )
    )
    return [SimilarOpen(s, same_cause, groups.get(s.case.pk)) for s, same_cause in found]
