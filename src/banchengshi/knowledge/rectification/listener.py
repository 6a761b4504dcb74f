"""Opening rectification items from the cause analysis: heard on the audit chain's
`events_appended` (connected in KnowledgeConfig.ready), in the analysis's transaction, so
cases never imports knowledge; a failure rolls the analysis back."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.events import CaseEvent
from banchengshi.knowledge.rectification.actions import do_open_for_cause


def on_events_appended(sender: object, *, events: list[AuditEvent], **kwargs: Any) -> None:
    for event in events:
        if event.action != CaseEvent.RECORD_CAUSE or event.case_id is None:
            continue
        payload = event.payload if isinstance(event.payload, dict) else {}
        if payload.get("side") != "department":
            continue
        actor = User.objects.get(pk=event.actor_id) if event.actor_id is not None else None
        do_open_for_cause(case_id=event.case_id, cause_code=str(payload["code"]), actor=actor)
