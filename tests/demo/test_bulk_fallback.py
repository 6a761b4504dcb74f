"""The demo generator on engines other than SQLite and PostgreSQL (bulk_create), in a module
of its own: tests/demo/test_demo.py keeps one district loaded for all its tests."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from banchengshi.audit.chain import verify_chain
from banchengshi.cases.models import Case, CaseSearch
from banchengshi.demo import bulk
from banchengshi.demo.sessions import SESSION_CASES

pytestmark = pytest.mark.django_db


def test_the_bulk_create_fallback_writes_the_same_kind_of_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Engines other than SQLite and PostgreSQL go through bulk_create."""
    monkeypatch.setattr(bulk, "fast_path", lambda: False)
    call_command("demo", cases=120, stdout=StringIO())
    assert Case.objects.count() == 120 + SESSION_CASES
    assert CaseSearch.objects.count() == 120 + SESSION_CASES
    assert verify_chain().ok
    oldest = Case.objects.order_by("received_at").first()
    assert oldest is not None
    assert oldest.created_at < timezone.now() - dt.timedelta(days=30)
