"""The registration form's proposals panel: one row per proposed field, with what taking it
into the form means (R-IN-5)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Category, Complexity
from banchengshi.cases.registration import Registration
from banchengshi.knowledge.proposals.proposer import Proposal
from banchengshi.org.models import UnitKind


@dataclass(frozen=True)
class ProposalRow:
    label: str | Promise
    value: str  # the proposed value in words, "" when nothing is proposed
    reason: str
    on_form: bool  # the form holds the proposed value already
    # How "accept" fills the form: a field's id and value (register.js), or a URL whose
    # fragment replaces the matter picker (htmx). Neither: nothing the form can take.
    field_id: str = ""
    field_value: str = ""
    picker_url: str = ""


def proposal_rows(proposal: Proposal, chosen: Registration) -> list[ProposalRow]:
    matter, unit = proposal.matter, proposal.unit
    # The form names departments only: a place of handling follows from the matter.
    unit_on_form = unit is not None and unit.kind == UnitKind.DEPARTMENT
    return [
        ProposalRow(
            _("Category"),
            str(Category(proposal.category).label),
            proposal.reasons["category"],
            on_form=chosen.category == proposal.category,
            field_id="id_category",
            field_value=proposal.category,
        ),
        ProposalRow(
            _("Complexity"),
            str(Complexity(proposal.complexity).label),
            proposal.reasons["complexity"],
            on_form=chosen.complexity == proposal.complexity,
            field_id="id_complexity",
            field_value=proposal.complexity,
        ),
        ProposalRow(
            _("Service matter"),
            matter.name if matter else "",
            proposal.reasons["matter"],
            on_form=matter is not None and chosen.matter_id == matter.pk,
            picker_url=reverse("web:register_matter", args=[matter.pk]) if matter else "",
        ),
        ProposalRow(
            _("Responsible unit"),
            unit.name if unit else "",
            proposal.reasons["unit"],
            on_form=unit is not None and chosen.department_id == unit.pk,
            field_id="id_department_id" if unit_on_form else "",
            field_value=str(unit.pk) if unit is not None and unit_on_form else "",
        ),
    ]
