"""Staff case search: a tracking number's last digits, a phone's last four digits, the start
of the petitioner's or the enterprise's name, words of the matter and of what failed, each
found through one full-text index (`textsearch`) over the case's `CaseSearch` row.

How a query is read (all kinds at once; a case matching any of them is found):
- identifiers: 4 or more digits (optionally with the district's letters and dashes, as in
  PT-2026-000123) are the end of a tracking number; exactly 4 digits also a phone's last
  four; a whole phone number as typed is matched exactly against the case (its keyed hash's
  index: the phone itself is encrypted);
- names: the query, spaces and punctuation dropped, is the start of either name;
- words: every word of the query, in the matter or in the description and request.

Ranking: by the kind of match (identifier, name, matter, text), then newest first: staff
searching usually look for a particular appeal, and among appeals of the same words the
recent one. Newest is the latest received within a state or a period (`TextQuery.every`); over
every case, where each kind brings its latest-registered matches, the latest registered
(`TextQuery.newest`), so that the order is known from the keys found."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Case as SqlCase
from django.db.models import Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from banchengshi.cases.models import Case, CaseSearch
from banchengshi.encryption.fields import equal_to
from banchengshi.identifiers import validate_contact_phone
from banchengshi.textsearch.index import Match, TextIndex
from banchengshi.textsearch.tokens import Phrase, index_text, key_token, query_phrases

CASE_INDEX = TextIndex(
    table=CaseSearch._meta.db_table,
    key="case_id",
    columns=("ids", "names", "matter", "body"),
)
PHONE_DIGITS = 4
# Marks a name's token, as "t" and "p" mark the identifiers': a name's start is a prefix
# query, and without a mark "社保"* would also expand to every case's word 社保 (the full
# text index expands a prefix over all tokens, whatever the column), costing every match.
NAME_MARK = "n"
# Fewer digits than this would be the end of a tenth of all tracking numbers or more.
MIN_TRACKING_DIGITS = 4
# Letters (a district's prefix), digits, dashes and spaces: what a tracking number looks like.
_NUMBER_LIKE = re.compile(r"[A-Za-z]{0,8}[-\s]*[\d][\d\s-]*")


def digits_of(text: str) -> str:
    normalised = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in normalised if ch.isascii() and ch.isdigit())


def search_fields(
    *,
    tracking_no: str,
    phone: str,
    petitioner_name: str,
    enterprise_name: str,
    matter_name: str,
    matter_text: str,
    description: str,
    request: str,
) -> dict[str, str]:
    """A case's CaseSearch columns (the same for a registration and the demo generator)."""
    ids = [f"t{digits_of(tracking_no)[::-1]}"]
    phone_digits = digits_of(phone)
    if len(phone_digits) >= PHONE_DIGITS:
        ids.append(f"p{phone_digits[-PHONE_DIGITS:]}")
    names = [key_token(name) for name in (petitioner_name, enterprise_name)]
    return {
        "ids": " ".join(ids),
        "names": " ".join(f"{NAME_MARK}{name}" for name in names if name),
        "matter": index_text(matter_name, matter_text),
        "body": index_text(description, request),
    }


def index_case(case: Case) -> None:
    """Write the search row of a case just registered (its matter already in hand)."""
    CaseSearch.objects.create(case=case, **case_search_fields(case))


def case_search_fields(case: Case) -> dict[str, str]:
    return search_fields(
        tracking_no=case.tracking_no,
        phone=case.phone,
        petitioner_name=case.petitioner_name,
        enterprise_name=case.enterprise_name,
        matter_name=case.matter.name if case.matter is not None else "",
        matter_text=case.matter_text,
        description=case.description,
        request=case.request,
    )


@dataclass(frozen=True)
class Ranked:
    """A search's matches with their ranks (see TextQuery.rank), to filter and order cases."""

    found: Q
    rank: SqlCase


@dataclass(frozen=True)
class TextQuery:
    """A query read as identifiers, a name's start and words (see the module's docstring)."""

    ids: tuple[Match, ...]  # any of them (a tracking number's end, a phone's last four)
    names: Match
    matter: Match
    words: Match
    phone: str  # a whole phone number (as the case stores it), or ""
    # A name's start of two characters or more: few cases. One character is a surname, and
    # 王 or 张 each start about one name in fourteen.
    rare_name: bool = False

    @classmethod
    def read(cls, text: str) -> TextQuery:
        text = text.strip()
        ids: list[Phrase] = []
        if _NUMBER_LIKE.fullmatch(unicodedata.normalize("NFKC", text)):
            digits = digits_of(text)
            if len(digits) >= MIN_TRACKING_DIGITS:
                ids.append(Phrase((f"t{digits[::-1]}",), prefix=True))
            if len(digits) == PHONE_DIGITS and text.isdigit():
                ids.append(Phrase((f"p{digits}",)))
        name = key_token(text)
        words = tuple(query_phrases(text))
        return cls(
            ids=tuple(Match(("ids",), (phrase,)) for phrase in ids),
            names=Match(
                ("names",), (Phrase((f"{NAME_MARK}{name}",), prefix=True),) if name else ()
            ),
            matter=Match(("matter",), words),
            words=Match(("matter", "body"), words),
            phone=_phone(text),
            rare_name=len(name) >= 2,
        )

    def found(self, prefix: str = "") -> Q:
        """Every case matching the query: one subquery (the text index, and the phone's own
        index for a whole number), so that PostgreSQL joins it rather than testing every case
        against an OR of subqueries."""
        parts: list[tuple[str, tuple[str, ...]]] = []
        if self.phone:
            parts.append(self._same_phone().values("id").query.sql_with_params())
        for kind in (self.ids, (self.names,), (self.words,)):
            sql = CASE_INDEX.matching_sql(kind)
            if sql is not None:
                parts.append(sql)
        if not parts:  # nothing searchable in the query (punctuation only): nothing found
            return Q(**{f"{prefix}id__in": []})
        subquery = RawSQL(
            " UNION ALL ".join(part[0] for part in parts),
            tuple(param for part in parts for param in part[1]),
        )
        return Q(**{f"{prefix}id__in": subquery})

    def rank(self) -> SqlCase:
        """Higher for a better kind of match: 4 identifier, 3 name, 2 matter, 1 other words.
        Each kind's subquery runs once per search (it does not depend on the row)."""
        tiers = [When(equal_to("phone", self.phone), then=Value(4))] if self.phone else []
        for tier, matches in ((4, self.ids), (3, (self.names,)), (2, (self.matter,))):
            subquery = CASE_INDEX.matching(matches)
            if subquery is not None:
                tiers.append(When(id__in=subquery, then=Value(tier)))
        return SqlCase(*tiers, default=Value(1))

    def every(self) -> Ranked:
        """Every match, ranked (`found` and `rank`)."""
        return Ranked(self.found(), self.rank())

    def newest(self, newest: int) -> tuple[int, ...]:
        """The keys of the cases found in the order shown: each kind (identifiers, names,
        words) bringing only its `newest` latest-registered matches, read now, ranked as
        `rank` ranks, then the latest registered first. A page then reads its own cases by
        their keys, and the count is the number of keys (see textsearch.listed.Listed)."""
        tier_of: dict[int, int] = {}

        def add(keys: Iterable[int], tier: int) -> None:
            for key in keys:
                tier_of[key] = max(tier, tier_of.get(key, 0))

        if self.phone:
            add(self._same_phone().order_by("-id").values_list("id", flat=True)[:newest], 4)
        # Identifiers and names of two characters or more are expected rare (TextIndex.newest).
        for matches, tier, rare in ((self.ids, 4, True), ((self.names,), 3, self.rare_name)):
            found = CASE_INDEX.newest(matches, newest=newest, rare=rare)
            if found is not None:
                add(found.keys, tier)
        words = CASE_INDEX.newest((self.words,), newest=newest, flags=(self.matter,))
        if words is not None:
            add(words.keys, 1)
            add(words.flagged[0], 2)
        return tuple(sorted(tier_of, key=lambda key: (-tier_of[key], -key)))

    def _same_phone(self) -> QuerySet[Case]:
        return Case.objects.filter(equal_to("phone", self.phone)).order_by()


def _phone(text: str) -> str:
    try:
        return validate_contact_phone(text)
    except ValidationError:
        return ""
