"""The workbench's 举一反三 pages (R-KB-3): the case page's similar-cases panel and its link
form, the group page answering every case, the hot-spot page opening an alert's cases."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.events import CaseEvent
from banchengshi.cases.models import State
from banchengshi.knowledge.hotspots import concentrations
from banchengshi.knowledge.hotspots.actions import check_link_cases
from banchengshi.knowledge.hotspots.models import CaseGroupMember
from banchengshi.policy.rules import HotspotRules
from tests.cases.conftest import CaseBuilder, Org
from tests.knowledge.conftest import use_hotspot_rules
from tests.web.conftest import SignedIn


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_panel_offers_link_only_where_it_can_succeed(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    origin, other = cases.in_progress(), cases.in_progress()
    elsewhere = cases.register()  # not within department A's reach
    url = reverse("web:case_similar", args=[origin.pk])
    html = staff("handler_a").get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'name="case_ids" value="{other.pk}"' in html
    assert elsewhere.tracking_no not in html
    assert "Link the chosen cases" in html
    # The inspector sees them all and may link none.
    html = staff("inspector").get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="case_ids"' not in html
    assert elsewhere.tracking_no in html
    assert "Your roles do not allow you to link this case" in html
    # Without htmx, the panel is a page of its own.
    page = staff("handler_a").get(url).content.decode()
    assert "<html" in page
    assert f"Back to case {origin.tracking_no}" in page


def test_link_then_answer_the_group(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    first, second, unanalysed = cases.analysed(), cases.analysed(), cases.in_progress()
    client = staff("handler_a")
    response = client.post(
        reverse("web:case_link", args=[first.pk]),
        {"case_ids": [str(second.pk), str(unanalysed.pk)]},
    )
    group_id = CaseGroupMember.objects.get(case=first).group_id
    assert response.status_code == 302
    assert response["Location"] == reverse("web:group", args=[group_id])
    response = client.post(
        reverse("web:group", args=[group_id]),
        {"text": "已统一材料清单，请按新清单补交", "channel": "sms"},
    )
    page = text_of(response.content.decode())
    assert "2 cases answered." in page
    assert f"{unanalysed.tracking_no} : Record the cause analysis before replying." in page
    assert [cases.fresh(c).state for c in (first, second, unanalysed)] == [
        State.REPLIED,
        State.REPLIED,
        State.IN_PROGRESS,
    ]
    assert AuditEvent.objects.filter(action=CaseEvent.REPLY).count() == 2


def test_link_refusal_comes_back_to_the_case(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    origin, closed = cases.in_progress(), cases.closed()
    response = staff("dispatcher").post(
        reverse("web:case_link", args=[origin.pk]), {"case_ids": [str(closed.pk)]}, follow=True
    )
    assert f"{closed.tracking_no}: Only open cases are linked with similar ones." in text_of(
        response.content.decode()
    )
    assert not CaseGroupMember.objects.exists()


def test_group_answer_needs_a_text(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    first = cases.analysed()
    group = check_link_cases(org.handler_a, first.pk, others=[cases.analysed().pk])
    response = staff("handler_a").post(reverse("web:group", args=[group.pk]), {"text": "好"})
    assert response.status_code == 422
    assert "The reply needs at least 5 characters." in response.content.decode()
    assert staff("handler_b").get(reverse("web:group", args=[group.pk])).status_code == 404


def test_hotspot_page_opens_its_cases(
    org: Org, cases: CaseBuilder, staff: SignedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    three = [cases.dispatched() for _ in range(3)]
    rules = HotspotRules(period_days=30, thresholds=(("matter", 3),))
    use_hotspot_rules(monkeypatch, rules)
    concentrations.raise_hotspots(timezone.now())
    html = staff("officeadmin").get(reverse("web:hotspots")).content.decode()
    assert "service matter: 营业执照变更登记" in text_of(html)
    for case in three:
        assert reverse("web:case", args=[case.pk]) in html
    assert staff("clerk").get(reverse("web:hotspots")).status_code == 403
    menu = staff("officeadmin").get(reverse("web:worklist")).content.decode()
    assert reverse("web:hotspots") in menu
