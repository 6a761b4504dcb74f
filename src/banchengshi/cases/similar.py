"""Earlier and similar cases, shown while an appeal is being registered (R-IN-7).

Every list is read from at most CANDIDATES of the newest rows of one index (the petitioner's
phone, ID number or credit code; the matter; the time received), so its cost does not grow
with the number of cases. The person's scope is then applied to those candidates with the rule
of `access.may_see` (one query for their unit links): a clerk sees the cases of their own
center, as everywhere else, and a case outside it is not even counted. The sidebar shows of
each case its tracking number, date, state, matter and what failed, never another
petitioner's name, phone or ID number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.access import may_see
from banchengshi.cases.models import Case, PetitionerType
from banchengshi.cases.registration import Registration
from banchengshi.cases.states import ACTIVE_STATES
from banchengshi.encryption.fields import equal_to
from banchengshi.identifiers import (
    validate_contact_phone,
    validate_credit_code,
    validate_id_number,
)
from banchengshi.org.scope import Scope

CANDIDATES = 50  # newest rows read per index; the lists are picked from these
EARLIER_SHOWN = 10
SIMILAR_SHOWN = 5
SIMILAR_PERIOD = dt.timedelta(days=90)
# Share of character bigrams two descriptions must have in common (Dice coefficient) for a
# case of another matter to count as similar; a case of the same matter always counts.
MIN_OVERLAP = 0.2
EXCERPT_LENGTH = 80

MATCH_LABELS: dict[str, str | Promise] = {
    "phone": _("same phone"),
    "id_number": _("same ID number"),
    "credit_code": _("same credit code"),
}

# Runs of letters, digits and CJK characters: punctuation and spaces end a run, so that no
# bigram straddles two phrases.
WORD_RUN = re.compile(r"\w+")


@dataclass(frozen=True)
class EarlierCase:
    case: Case
    matched_by: tuple[str | Promise, ...]

    @property
    def is_open(self) -> bool:
        return self.case.state in ACTIVE_STATES


@dataclass(frozen=True)
class SimilarCase:
    case: Case
    overlap: float
    same_matter: bool

    @property
    def is_open(self) -> bool:
        return self.case.state in ACTIVE_STATES

    @property
    def excerpt(self) -> str:
        text = " ".join(self.case.description.split())
        return text if len(text) <= EXCERPT_LENGTH else f"{text[:EXCERPT_LENGTH]}…"

    @property
    def overlap_percent(self) -> int:
        return round(self.overlap * 100)


@dataclass(frozen=True)
class RegistrationHints:
    earlier: list[EarlierCase]
    similar: list[SimilarCase]
    # Whether the form held anything to search by: an empty list then means "none found".
    searched: bool


def bigrams(text: str) -> frozenset[str]:
    """The character bigrams of a text, case-folded; Chinese has no spaces to split words at."""
    grams: set[str] = set()
    for run in WORD_RUN.findall(text.casefold()):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(grams)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two bigram sets: 1.0 for the same text, 0.0 for nothing shared."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _newest(cases: QuerySet[Case]) -> list[Case]:
    # In the order of the indexes used here (phone, ID number, credit code or matter, then the
    # time received), so the LIMIT stops the scan; the id only orders cases received together.
    newest = cases.select_related("matter", "handling_unit").order_by("-received_at", "-id")
    return list(newest[:CANDIDATES])


def _visible_ids(scope: Scope, cases: dict[int, Case]) -> set[int]:
    """The candidates the person may see, by the rule of access.may_see (one query)."""
    if scope.sees_all:
        return set(cases)
    found = list(cases.values())
    prefetch_related_objects(found, "unit_links")
    return {case.pk for case in found if may_see(scope, case)}


def _identifiers(data: Registration) -> dict[str, str]:
    """The petitioner's identifiers as the engine stores them; a value that does not validate
    cannot match a stored one and is left out."""
    typed = {"phone": data.phone, "id_number": data.id_number}
    if data.petitioner_type == PetitionerType.ENTERPRISE:
        typed["credit_code"] = data.credit_code
    validators = {
        "phone": validate_contact_phone,
        "id_number": validate_id_number,
        "credit_code": validate_credit_code,
    }
    found = {}
    for field, value in typed.items():
        if not value.strip():
            continue
        try:
            found[field] = validators[field](value.strip())
        except ValidationError:
            continue
    return found


def _petitioners_cases(
    identifiers: dict[str, str],
) -> tuple[dict[int, Case], dict[int, list[str | Promise]]]:
    """The newest cases of each identifier, and which identifiers each matched."""
    found: dict[int, Case] = {}
    matched: dict[int, list[str | Promise]] = {}
    for field, value in identifiers.items():
        for case in _newest(Case.objects.filter(equal_to(field, value))):
            found.setdefault(case.pk, case)
            matched.setdefault(case.pk, []).append(MATCH_LABELS[field])
    return found, matched


def _similar_candidates(
    data: Registration, grams: frozenset[str], now: dt.datetime
) -> dict[int, Case]:
    """The newest cases of the same matter in SIMILAR_PERIOD and, when there is a description
    to compare, the newest cases of that period whatever their matter."""
    recent = Case.objects.filter(received_at__gte=now - SIMILAR_PERIOD)
    found: dict[int, Case] = {}
    if data.matter_id is not None:
        found.update((c.pk, c) for c in _newest(recent.filter(matter_id=data.matter_id)))
    if grams:
        for case in _newest(recent):
            found.setdefault(case.pk, case)
    return found


def registration_hints(
    scope: Scope, data: Registration, now: dt.datetime | None = None
) -> RegistrationHints:
    """What the sidebar of the registration form shows for what has been typed so far: the
    petitioner's cases (same phone, ID number or credit code), open ones first, then newest;
    and cases of the same matter or with a description alike, most similar first, leaving
    out the petitioner's own."""
    identifiers = _identifiers(data)
    grams = bigrams(data.description)
    own, matched = _petitioners_cases(identifiers)
    others = _similar_candidates(data, grams, now or timezone.now())
    visible = _visible_ids(scope, {**others, **own})

    earlier = [EarlierCase(case, tuple(matched[pk])) for pk, case in own.items() if pk in visible]
    earlier.sort(key=lambda e: (e.is_open, e.case.received_at, e.case.pk), reverse=True)

    similar = []
    for pk, case in others.items():
        if pk not in visible or pk in own:
            continue
        same_matter = data.matter_id is not None and case.matter_id == data.matter_id
        score = overlap(grams, bigrams(case.description))
        if same_matter or score >= MIN_OVERLAP:
            similar.append(SimilarCase(case, score, same_matter))
    similar.sort(key=lambda s: (s.overlap, s.same_matter, s.case.received_at), reverse=True)
    return RegistrationHints(
        earlier=earlier[:EARLIER_SHOWN],
        similar=similar[:SIMILAR_SHOWN],
        searched=bool(identifiers) or data.matter_id is not None or bool(grams),
    )
