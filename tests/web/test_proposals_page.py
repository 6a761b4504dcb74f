"""The office's page on proposals at registration (/staff/proposals/): per field, proposals
kept and changed by the windows over a period, the categories chosen instead; who may see
it; a wrong period."""

from __future__ import annotations

from html import unescape

from django.test import Client
from django.urls import reverse

from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh
from tests.web.conftest import SignedIn
from tests.web.test_worklist import english, page, tables

PAGE = reverse("web:proposals")
FIELDS = "Proposals kept and changed, per field"
OVERRIDES = "Categories chosen instead of the proposal"


def fill(cases: CaseBuilder, frozen_time: FrozenTime) -> None:
    """Three window cases on Fri 2026-11-20, one 40 days before, one from the hotline."""
    org = cases.org
    # Proposed complaint, complex, matter A, department A.
    complaint = "窗口人员态度恶劣，营业执照变更登记跑了三次"
    cases.register(
        description=complaint,
        category="complaint",
        complexity="complex",
        matter_id=org.matter_a.pk,
        department_id=org.dept_a.pk,
    )
    cases.register(description=complaint, matter_id=org.matter_a.pk)
    # Proposed consultation, simple, no matter (the matter text names none), no unit.
    cases.register(description="请问大厅周六开门吗", matter_text="其他")
    cases.register(channel="hotline_12345", description=complaint)
    frozen_time.set(sh(2026, 10, 11, 10))
    cases.register(description=complaint, category="complaint", matter_id=org.matter_a.pk)
    frozen_time.set(sh(2026, 11, 20, 16))


def test_the_last_30_days(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime, signed_in: SignedIn
) -> None:
    fill(cases, frozen_time)
    html = page(english(signed_in("officeadmin")), PAGE)
    assert "2026-10-22 to 2026-11-20: 3 cases registered at a window" in html
    assert 'name="start" value="2026-10-22"' in html
    assert 'name="end" value="2026-11-20"' in html
    assert tables(html)[FIELDS] == [
        ["Category", "1", "2", "33%"],
        ["Complexity", "1", "2", "33%"],
        ["Service matter", "3", "0", "100%"],
        ["Responsible unit", "2", "1", "67%"],
    ]
    assert tables(html)[OVERRIDES] == [
        ["complaint", "handling", "1"],
        ["consultation", "handling", "1"],
    ]


def test_a_longer_period_in_chinese(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime, signed_in: SignedIn
) -> None:
    fill(cases, frozen_time)
    html = page(signed_in("officeadmin"), PAGE, start="2026-10-01", end="2026-11-20")
    assert "2026-10-01 至 2026-11-20：窗口登记 4 件" in html
    assert tables(html)["各项目建议的采用与改动情况"][0] == ["问题类别", "2", "2", "50%"]
    assert 'name="start" value="2026-10-01"' in html


def test_a_wrong_period_says_why_and_shows_the_last_30_days(
    org: Org, frozen_time: FrozenTime, signed_in: SignedIn
) -> None:
    client = english(signed_in("officeadmin"))
    html = page(client, PAGE, start="2026-11-20", end="2026-11-01")
    assert "The first day must not be after the last." in html
    assert "2026-10-22 to 2026-11-20: 0 cases registered at a window" in html
    assert tables(html)[FIELDS][0] == ["Category", "0", "0", "—"]
    html = page(client, PAGE, start="2024-01-01", end="2026-11-20")
    assert "Choose a period of at most 366 days." in html
    for hostile in ("2026-13-01", "x" * 300, "２０２６-１１"):
        html = page(client, PAGE, start=hostile)
        assert "Enter a valid date." in html
        assert "2026-10-22 to 2026-11-20" in html
    # A control character is refused before any view (web.edge).
    assert client.get(PAGE, {"start": "2026-11-01\x00"}).status_code == 400


def test_only_the_office_administrators(org: Org, signed_in: SignedIn) -> None:
    for name in ("dispatcher", "clerk", "handler_a", "inspector"):
        response: Client = english(signed_in(name))
        answer = response.get(PAGE)
        assert answer.status_code == 403
        assert "shown to the office's administrators" in unescape(answer.content.decode())
    home = page(english(signed_in("officeadmin")), reverse("web:worklist"))
    assert f'href="{PAGE}"' in home
