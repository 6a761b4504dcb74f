"""The demo's door-to-door service and fast channel: the service list of door_services.toml,
one request at every stage for each street with neighbourhood staff, taken there by the real
actions (their events, no SMS left to invented numbers), and fast-channel cases."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from banchengshi.audit.chain import verify_chain
from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import Case, WorkItem
from banchengshi.demo.assistance import SERVICES_FILE, parse_services
from banchengshi.neighborhood.assistance.models import AssistanceRequest, ServiceItem, Stage
from banchengshi.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_every_stage_for_every_street() -> None:
    out = StringIO()
    call_command("demo", cases=0, stdout=out)
    assert "21 door-to-door requests, one at every stage per street." in out.getvalue()
    assert ServiceItem.objects.filter(street=None).count() == 6
    assert ServiceItem.objects.exclude(street=None).count() == 3
    by_street = Counter(AssistanceRequest.objects.values_list("street__code", "stage"))
    assert set(by_street.values()) == {1}
    assert {stage for _street, stage in by_street} == set(Stage.values)
    assert len({street for street, _stage in by_street}) == 3
    assert AuditEvent.objects.filter(action__startswith="assistance.").count() == 3 * (
        1 + 2 + 2 + 3 + 4 + 5 + 6
    )
    assert not AuditEvent.objects.filter(at__gt=timezone.now()).exists()
    assert verify_chain().ok
    assert not OutboxMessage.objects.exists()
    call_command("demo", cases=0, stdout=StringIO())
    assert AssistanceRequest.objects.count() == 21


def test_some_cases_go_by_the_fast_channel() -> None:
    call_command("demo", cases=300, stdout=StringIO())
    fast = Case.objects.filter(fast_channel=True)
    assert 10 <= fast.count() <= 40
    assert not fast.filter(consent_by="").exists()
    assert set(fast.values_list("channel", flat=True)) <= {"window", "hotline_12345"}
    assert WorkItem.objects.filter(fast=True).exists()


def test_a_wrong_service_list_is_refused() -> None:
    text = SERVICES_FILE.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=r"t.toml: SH-CA-004 = 'tough' is not one of"):
        parse_services(text.replace('"SH-CA-004" = "hard"', '"SH-CA-004" = "tough"'), "t.toml")
    with pytest.raises(ValueError, match=r"\[streets.CSL\] is no street with neighbourhood"):
        parse_services(text.replace("[streets.WL]", "[streets.CSL]"), "t.toml")
