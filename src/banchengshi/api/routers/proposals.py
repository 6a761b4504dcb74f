"""Proposals at registration: category, complexity, matter and unit with their reasons, and the
similar cases and knowledge entries the caller may see (R-IN-5, R-IN-7). Reads only; nothing
is stored."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router

from banchengshi.api.auth import actor
from banchengshi.api.schemas.base import ERRORS, Overlay
from banchengshi.api.schemas.proposals import (
    KnowledgeOut,
    ProposalIn,
    ProposalOut,
    ProposalReasons,
    SimilarOut,
)
from banchengshi.cases.models import Category, Complexity
from banchengshi.catalog.selectors import search_matters
from banchengshi.errors import InvalidInput
from banchengshi.knowledge.proposals.proposer import ProposalInput, propose
from banchengshi.org.scope import scope_for

router = Router(tags=["proposals"])


@router.post("/proposals", response={200: ProposalOut, **ERRORS}, summary="Propose at registration")
def proposals(request: HttpRequest, body: ProposalIn) -> ProposalOut:
    if body.matter_id is not None and not search_matters().filter(pk=body.matter_id).exists():
        raise InvalidInput({"matter_id": [_("There is no such service matter.")]})
    data = ProposalInput(
        description=body.description,
        request=body.request,
        matter_id=body.matter_id,
        matter_text=body.matter_text,
    )
    proposal = propose(data, scope=scope_for(actor(request)))
    similar = [
        SimilarOut.model_validate(Overlay(s, case_id=s.case.pk, tracking_no=s.case.tracking_no))
        for s in proposal.similar
    ]
    return ProposalOut(
        category=Category(proposal.category),
        complexity=Complexity(proposal.complexity),
        matter_id=proposal.matter_id,
        unit_id=proposal.unit_id,
        reasons=ProposalReasons(**proposal.reasons),
        knowledge=[KnowledgeOut.model_validate(found) for found in proposal.knowledge],
        similar=similar,
    )
