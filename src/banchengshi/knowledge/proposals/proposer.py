"""The proposer: from what was typed and the catalogue, a category, a complexity, a matter and
a responsible unit, each with its reason in words (R-IN-5); the similar cases and knowledge
entries that fit (R-IN-7).

Category and complexity come from the terms of rules.toml. The matter is the catalogue's
active matter whose name's character bigrams the text covers best, each bigram weighted by
how rare it is among the names (so 申领, 登记 count for little); everyday words are first
rewritten to the catalogue's (aliases). The unit follows the matter by the dispatch rule
(R-DIS-1, `auto_dispatch_target`). Cost: one short read of the catalogue's stamp (the
matters and their owning departments are read once per change of the catalogue or the units,
catalog.stamp), the handling centers of a matter without an owning department, and the
bounded reads of the similar cases and knowledge entries (entries.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.actions.dispatch import auto_dispatch_target
from banchengshi.cases.models import Case, Category, Channel, Complexity, PetitionerType
from banchengshi.cases.registration import Registration
from banchengshi.cases.similar import SimilarCase, bigrams, registration_hints
from banchengshi.catalog.models import Matter
from banchengshi.catalog.stamp import KeptWhileUnchanged
from banchengshi.knowledge.proposals.entries import KnowledgeMatch, knowledge_for
from banchengshi.knowledge.proposals.rules import Ladder, rules
from banchengshi.org.models import Unit
from banchengshi.org.scope import Scope

# Share of a matter name's (weighted) bigrams the text must contain for the matter to be proposed.
MIN_COVER = 0.45

FIELDS = ("category", "complexity", "matter", "unit")

TERM_REASONS: dict[str, Promise] = {
    Category.COMPLAINT: _("Contains complaint wording such as '%(term)s'."),
    Category.SUGGESTION: _("Contains suggestion wording such as '%(term)s'."),
    Category.CONSULTATION: _("Contains question wording such as '%(term)s'."),
    Complexity.SPECIAL: _("Contains '%(term)s': a special case."),
    Complexity.COMPLEX: _("Contains '%(term)s': several visits or units are likely involved."),
    Complexity.SIMPLE: _("A question ('%(term)s') that can be answered at once."),
}
DEFAULT_REASONS: dict[str, Promise] = {
    "category": _("No question, complaint or suggestion wording: a matter to be handled."),
    "complexity": _("Nothing suggests more or less than a general case."),
}


@dataclass(frozen=True)
class ProposalInput:
    description: str
    request: str = ""
    matter_id: int | None = None
    matter_text: str = ""


@dataclass
class Proposal:
    category: str
    complexity: str
    matter: Matter | None
    unit: Unit | None
    # One sentence per field of FIELDS, in the active language when the proposal was made.
    reasons: dict[str, str]
    knowledge: list[KnowledgeMatch] = field(default_factory=list)
    similar: list[SimilarCase] = field(default_factory=list)

    @property
    def matter_id(self) -> int | None:
        return self.matter.pk if self.matter else None

    @property
    def unit_id(self) -> int | None:
        return self.unit.pk if self.unit else None


def _by_terms(ladder: Ladder, text: str, name: str) -> tuple[str, str]:
    for rule in ladder.rules:
        term = rule.first_term(text)
        if term is not None:
            return rule.value, str(TERM_REASONS[rule.value] % {"term": term})
    return ladder.default, str(DEFAULT_REASONS[name])


def _expanded(text: str) -> str:
    """The text with the catalogue's word appended for each everyday word found in it."""
    extra = [word for alias, word in rules().aliases.items() if alias in text]
    return "\n".join([text, *extra])


@dataclass(frozen=True)
class _Catalogue:
    """The active matters (in the catalogue's order) with their owning departments and what
    matching needs of their names, derived once per change of the catalogue or the units
    (catalog.stamp): each name's bigrams, each bigram's weight and the matters holding it."""

    matters: dict[int, Matter]
    order: dict[int, int]
    names: dict[int, frozenset[str]]
    postings: dict[str, list[int]]
    weight: dict[str, float]


def _read_catalogue() -> _Catalogue:
    matters = {
        m.pk: m for m in Matter.objects.filter(is_active=True).select_related("owning_department")
    }
    names = {pk: bigrams(m.name) for pk, m in matters.items()}
    postings: dict[str, list[int]] = {}
    for pk, grams in names.items():
        for gram in grams:
            postings.setdefault(gram, []).append(pk)
    weight = {g: math.log(1 + len(matters) / len(pks)) for g, pks in postings.items()}
    order = {pk: i for i, pk in enumerate(matters)}
    return _Catalogue(matters, order, names, postings, weight)


_catalogue = KeptWhileUnchanged(_read_catalogue)


def _best_matter(text: str, catalogue: _Catalogue) -> tuple[Matter, float] | None:
    """The matter whose name the text covers best; of two alike, the first in the catalogue's
    order. Only the matters sharing a bigram with the text can cover any of it."""
    grams = bigrams(_expanded(text))
    candidates = {pk for gram in grams for pk in catalogue.postings.get(gram, ())}
    weight = catalogue.weight
    best: tuple[float, float, Matter] | None = None
    for pk in sorted(candidates, key=catalogue.order.__getitem__):
        name = catalogue.names[pk]
        # Summed over the same sets in the same order whatever the candidates, so that two
        # names the text covers alike tie exactly and the catalogue's order decides.
        found = sum(weight[g] for g in name & grams)
        key = (found / sum(weight[g] for g in name), found, catalogue.matters[pk])
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None or best[0] < MIN_COVER:
        return None
    return best[2], best[0]


def _matter(data: ProposalInput) -> tuple[Matter | None, str]:
    catalogue = _catalogue.get()
    if data.matter_id is not None:
        chosen = catalogue.matters.get(data.matter_id)
        if chosen is not None:
            return chosen, str(_("Chosen on the form."))
    # The words naming the matter are the surest; the description only when they fit none.
    for text in (data.matter_text, f"{data.description}\n{data.request}"):
        found = _best_matter(text, catalogue) if text.strip() else None
        if found is not None:
            matter, cover = found
            reason = _("The text has %(percent)s%% of the words of the matter '%(name)s'.")
            return matter, str(reason % {"percent": round(cover * 100), "name": matter.name})
    return None, str(_("No matter of the catalogue fits the text."))


def _unit(matter: Matter | None) -> tuple[Unit | None, str]:
    unit = auto_dispatch_target(Case(matter=matter)) if matter is not None else None
    if unit is None or matter is None:
        return None, str(_("No single responsible unit: the hub dispatches by hand."))
    if unit.pk == matter.owning_department_id:
        return unit, str(_("The department owning '%(matter)s'.") % {"matter": matter.name})
    reason = _("The only place where '%(matter)s' is handled.")
    return unit, str(reason % {"matter": matter.name})


def propose(data: ProposalInput, *, scope: Scope | None = None, similar: bool = True) -> Proposal:
    """What the system proposes for an appeal; with a scope, the similar cases that person
    may see and the knowledge entries that fit (internal ones for a person holding a role);
    none without: intake channels store the proposal, nobody reads the lists. `similar`
    False: no similar cases (a page that lists them already)."""
    text = f"{data.description}\n{data.request}"
    category, category_reason = _by_terms(rules().category, text, "category")
    complexity, complexity_reason = _by_terms(rules().complexity, text, "complexity")
    matter, matter_reason = _matter(data)
    unit, unit_reason = _unit(matter)
    similar_cases: list[SimilarCase] = []
    knowledge: list[KnowledgeMatch] = []
    if scope is not None:
        knowledge = knowledge_for(text, matter, internal=bool(scope.roles))
    if scope is not None and similar:
        typed = Registration(
            channel=Channel.WINDOW,
            petitioner_type=PetitionerType.PERSON,
            petitioner_name="",
            phone="",
            description=text,
            matter_id=matter.pk if matter else None,
        )
        similar_cases = registration_hints(scope, typed).similar
    return Proposal(
        category=category,
        complexity=complexity,
        matter=matter,
        unit=unit,
        reasons={
            "category": category_reason,
            "complexity": complexity_reason,
            "matter": matter_reason,
            "unit": unit_reason,
        },
        knowledge=knowledge,
        similar=similar_cases,
    )
