"""Logging the looks at a remote session's unmasked phone and ID number (audit.personal_data):
the session's page, and the list's rows shown with their full phone."""

from __future__ import annotations

from django.http import HttpRequest

from banchengshi.audit.personal_data import log_list_view, log_request_view
from banchengshi.neighborhood.sessions.selectors import SessionRow, SessionView


def log_session_view(request: HttpRequest, view: SessionView) -> None:
    session = view.session
    log_request_view(
        request,
        subject=f"remote session {session.pk}",
        case_id=session.case_id,
        unmasked=True,
        # Only what is shown in full: a masked value differs from the stored one.
        phone=view.phone if view.phone == session.phone else "",
        id_number=view.id_number if view.id_number == session.id_number else "",
    )


def log_session_rows(request: HttpRequest, rows: list[SessionRow]) -> None:
    shown = sum(1 for row in rows if row.phone and row.phone == row.session.phone)
    log_list_view(request, subject="remote sessions", fields=["phone"], rows=shown)
