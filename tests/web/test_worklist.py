"""The workbench home: the person's worklist with colours (text as well as colour), counts,
filters, pages and the periodic refresh, and its cost (the same queries for 10 or 200 cases)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banchengshi.cases.actions.answer import check_return_visit
from banchengshi.cases.actions.clock_requests import check_request_extension
from banchengshi.cases.actions.dispatch import check_dispatch_case
from banchengshi.cases.models import Case
from banchengshi.cases.selectors import WORK_COUNT_SHOWN
from banchengshi.org.actions import do_grant_role
from banchengshi.org.models import Role
from tests.cases.conftest import NOW, CaseBuilder, FrozenTime, Org, sh
from tests.web.conftest import SignedIn

WORKLIST = reverse("web:worklist")
ROWS = reverse("web:worklist_rows")
TABLE = "My work, most urgent first"


class _Tables(HTMLParser):
    """The body rows of every table, each a list of its cells' text, keyed by the caption."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.caption: str | None = None
        self.in_caption = self.in_body = False
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "caption":
            self.in_caption, self.caption = True, ""
        elif tag == "tbody":
            self.in_body = True
            self.tables.setdefault(self.caption or "", [])
        elif tag == "tr" and self.in_body:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self.in_caption = False
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.caption or ""].append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.in_caption and self.caption is not None:
            self.caption += data.strip()
        if self.cell is not None:
            self.cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page(client: Client, url: str, **params: str) -> str:
    response = client.get(f"{url}?{urlencode(params)}" if params else url)
    assert response.status_code == 200
    return response.content.decode()


def numbers(html: str, caption: str = TABLE) -> list[str]:
    """The tracking numbers of a list, in order (the row header of each row)."""
    return [row[1] for row in tables(html)[caption] if len(row) > 1]


def count(html: str, label: str, shown: str) -> bool:
    return f"{label}</span> <strong>{shown}</strong>" in html


@pytest.fixture
def hub_work(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> dict[str, Case]:
    """The hub's work at Fri 2026-11-20 10:00 (as in tests/cases/test_selectors.py):

    c1 dispatch     received Thu 11-12: due Tue 11-17               red
    c6 supervise    dissatisfied return visit Thu 11-19 15:00: reviewed
                    within 1 working day, due Fri 11-20 23:59       yellow
    c2 dispatch     received Tue 11-17: due Fri 11-20 23:59         yellow
    c5 approve      extension asked now: decided by Mon 11-23       green
    c4 return visit replied now: visited by Wed 11-25               green
    c3 dispatch     received Thu 11-19, complex: due Mon 11-30      green
    """
    frozen_time.set(sh(2026, 11, 19, 9))
    c6 = cases.replied()
    frozen_time.set(sh(2026, 11, 19, 15))
    check_return_visit(org.dispatcher, c6.pk, satisfaction=2, solved=False, comment="仍未办成")
    frozen_time.set(NOW)
    c1 = cases.awaiting(received_at=sh(2026, 11, 12, 10))
    c2 = cases.awaiting(received_at=sh(2026, 11, 17, 10))
    c3 = cases.awaiting(received_at=sh(2026, 11, 19, 10), complexity="complex")
    c4 = cases.replied()
    c5 = cases.in_progress()
    check_request_extension(org.handler_a, c5.pk, days=2, reason="需要跨部门调取档案")
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5, "c6": c6}


def test_most_urgent_first_with_colour_named_in_text(
    signed_in: SignedIn, hub_work: dict[str, Case]
) -> None:
    c = hub_work
    html = page(english(signed_in("dispatcher")), WORKLIST)
    rows = tables(html)[TABLE]
    order = ["c1", "c6", "c2", "c5", "c4", "c3"]
    assert [row[1] for row in rows] == [c[name].tracking_no for name in order]
    assert [row[0] for row in rows] == [
        "Overdue 2026-11-17 23:59",
        "Due soon 2026-11-20 23:59",
        "Due soon 2026-11-20 23:59",
        "On time 2026-11-23 23:59",
        "On time 2026-11-25 23:59",
        "On time 2026-11-30 23:59",
    ]
    assert rows[0][2:] == ["dispatch", "营业执照变更登记", "张三", "awaiting dispatch"]
    assert rows[1][2] == "consider supervision"
    assert rows[4][5] == "replied"
    assert '<span class="badge red">Overdue</span>' in html  # colour and words together
    for name in order:
        assert f'href="{reverse("web:case", args=[c[name].pk])}"' in html
    assert count(html, "Overdue", "1")
    assert count(html, "Due soon", "2")
    assert count(html, "On time", "3")
    assert count(html, "No deadline", "0")
    assert "All</span> <strong>6</strong>" in html


def test_colour_filter_narrows_the_rows_not_the_counts(
    signed_in: SignedIn, hub_work: dict[str, Case]
) -> None:
    c = hub_work
    client = english(signed_in("dispatcher"))
    red = page(client, WORKLIST, colour="red")
    assert numbers(red) == [c["c1"].tracking_no]
    assert count(red, "Due soon", "2")  # the counts say what each colour would show
    assert 'href="/staff/?colour=red" aria-current="true"' in red
    assert numbers(page(client, WORKLIST, colour="yellow")) == [
        c["c6"].tracking_no,
        c["c2"].tracking_no,
    ]
    assert numbers(page(client, WORKLIST, colour="green")) == [
        c["c5"].tracking_no,
        c["c4"].tracking_no,
        c["c3"].tracking_no,
    ]
    assert numbers(page(client, WORKLIST, colour="none")) == []


def test_filters_by_state_text_dates_category_and_channel(
    signed_in: SignedIn, hub_work: dict[str, Case]
) -> None:
    c = hub_work
    client = english(signed_in("dispatcher"))

    def shown(**params: str) -> list[str]:
        return numbers(page(client, WORKLIST, **params))

    awaiting = [c["c1"].tracking_no, c["c2"].tracking_no, c["c3"].tracking_no]
    assert shown(state="awaiting_dispatch") == awaiting
    assert shown(q=c["c2"].tracking_no.lower()) == [c["c2"].tracking_no]
    assert shown(q="张三") == numbers(page(client, WORKLIST))
    assert shown(received_from="2026-11-17", received_to="2026-11-17") == [c["c2"].tracking_no]
    # The end day counts whole: c6 (11-19 09:00) and c3 (11-19 10:00) are in.
    assert shown(received_from="2026-11-12", received_to="2026-11-19") == [
        c["c1"].tracking_no,
        c["c6"].tracking_no,
        c["c2"].tracking_no,
        c["c3"].tracking_no,
    ]
    assert shown(channel="window", state="awaiting_dispatch", colour="green") == [
        c["c3"].tracking_no
    ]
    assert shown(channel="portal") == []
    empty = page(client, WORKLIST, category="suggestion")
    assert "No work matches these filters." in empty
    assert "All</span> <strong>0</strong>" in empty


def test_a_wrong_filter_value_is_explained_not_a_server_error(
    signed_in: SignedIn, hub_work: dict[str, Case]
) -> None:
    html = page(
        english(signed_in("dispatcher")),
        WORKLIST,
        state="bogus",
        received_from="yesterday",
        page="x",
        colour="red",
    )
    assert "Select a valid choice" in html
    assert "Enter a valid date" in html
    assert len(numbers(html)) == 1  # the valid colour filter still applies


def test_a_person_with_two_queues_filters_by_unit(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    do_grant_role(org.handler_a, org.dept_b, Role.UNIT_HANDLER)
    at_a = cases.dispatched()
    at_b = cases.awaiting()
    check_dispatch_case(org.dispatcher, at_b.pk, unit_id=org.dept_b.pk)
    client = english(signed_in("handler_a"))
    html = page(client, WORKLIST)
    rows = tables(html)[TABLE]
    assert {row[1]: row[6] for row in rows} == {
        at_a.tracking_no: "区市场监管局",
        at_b.tracking_no: "区人社局",
    }
    assert f'<option value="{org.dept_b.pk}">区人社局</option>' in html
    assert numbers(page(client, WORKLIST, unit=str(org.dept_b.pk))) == [at_b.tracking_no]
    # A queue that is not the person's shows nothing, whatever the address says.
    assert "Select a valid choice" in page(client, WORKLIST, unit=str(org.hub.pk))


def test_a_handler_sees_only_the_work_of_their_unit(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    mine = cases.dispatched()
    cases.awaiting()  # the hub's
    html = page(english(signed_in("handler_a")), WORKLIST)
    assert numbers(html) == [mine.tracking_no]
    assert tables(html)[TABLE][0][2] == "receive"


def test_the_rows_refresh_themselves_with_the_same_filters(
    signed_in: SignedIn, hub_work: dict[str, Case]
) -> None:
    client = english(signed_in("dispatcher"))
    html = page(client, WORKLIST, colour="red", state="awaiting_dispatch")
    poll = f'hx-get="{ROWS}?colour=red&amp;state=awaiting_dispatch" hx-trigger="every 30s"'
    assert poll in html
    fragment = page(client, ROWS, colour="red", state="awaiting_dispatch")
    assert "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="work"')
    assert poll in fragment  # the new fragment goes on polling
    assert numbers(fragment) == [hub_work["c1"].tracking_no]
    assert 'id="work-' in fragment  # ids let htmx keep the keyboard focus on a link


def test_pages(org: Org, cases: CaseBuilder, signed_in: SignedIn) -> None:
    made = [cases.awaiting() for _ in range(27)]
    client = english(signed_in("dispatcher"))
    first = page(client, WORKLIST, state="awaiting_dispatch")
    assert len(numbers(first)) == 25
    assert 'href="/staff/?state=awaiting_dispatch&amp;page=2" rel="next"' in first
    assert "Previous page" not in first
    second = page(client, WORKLIST, state="awaiting_dispatch", page="2")
    assert set(numbers(second)) | set(numbers(first)) == {c.tracking_no for c in made}
    assert 'href="/staff/?state=awaiting_dispatch&amp;page=1" rel="prev"' in second
    assert "Next page" not in second
    # Pages end where the capped count ends: a page far beyond is not a query offset.
    assert len(numbers(page(client, WORKLIST, page="1000000"))) == 25


def test_counts_are_exact_up_to_the_bound_then_say_more_than(
    cases: CaseBuilder, signed_in: SignedIn, frozen_time: FrozenTime
) -> None:
    """Each colour is counted up to WORK_COUNT_SHOWN rows and one more, so that the busiest
    queue of a district costs what a small one does (issue 15)."""
    assert WORK_COUNT_SHOWN == 100
    frozen_time.set(NOW)
    overdue = [cases.awaiting(received_at=sh(2026, 11, 12, 10)) for _ in range(100)]
    client = english(signed_in("dispatcher"))
    at_bound = page(client, WORKLIST)
    assert count(at_bound, "Overdue", "100")
    assert count(at_bound, "Due soon", "0")
    assert "All</span> <strong>100</strong>" in at_bound
    assert "counted exactly" not in at_bound
    assert 'href="/staff/?page=2" rel="next"' in at_bound

    cases.awaiting(received_at=sh(2026, 11, 12, 10))
    beyond = page(client, WORKLIST)
    assert count(beyond, "Overdue", "more than 100")
    assert count(beyond, "Due soon", "0")
    assert count(beyond, "On time", "0")
    assert count(beyond, "No deadline", "0")
    assert "All</span> <strong>more than 100</strong>" in beyond
    note = "Each colour is counted exactly up to 100; filter the list to see exact numbers."
    assert note in beyond
    # The pages go on past the bound: 101 rows are five pages, the fifth with one row.
    fifth = page(client, WORKLIST, page="5")
    assert len(numbers(fifth)) == 1
    assert 'rel="next"' not in fifth
    assert 'href="/staff/?page=4" rel="prev"' in fifth
    # A filter that selects fewer counts them exactly.
    one = page(client, WORKLIST, q=overdue[0].tracking_no)
    assert count(one, "Overdue", "1")
    assert note not in one

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    chinese = page(client, WORKLIST)
    assert chinese.count("<strong>超过 100</strong>") == 2  # overdue and all
    assert "每种颜色最多精确计数到 100；筛选列表可看到确切数字。" in chinese


def test_a_person_without_a_queue_is_told(signed_in: SignedIn) -> None:
    html = page(english(signed_in("inspector")), WORKLIST)
    assert "Your roles take no work from a queue" in html


def _queries(client: Client, url: str) -> int:
    client.get(url)  # caches filled by the first request of a process are not the point
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_cases(
    org: Org, cases: CaseBuilder, signed_in: SignedIn, capsys: pytest.CaptureFixture[str]
) -> None:
    dispatcher = signed_in("dispatcher")
    handler = signed_in("handler_a")
    filtered = f"{WORKLIST}?state=awaiting_dispatch&colour=red&received_from=2026-01-01"

    def measure() -> dict[str, int]:
        return {
            "dispatcher": _queries(dispatcher, WORKLIST),
            "dispatcher, filtered": _queries(dispatcher, filtered),
            "dispatcher, rows": _queries(dispatcher, ROWS),
            "handler": _queries(handler, WORKLIST),
        }

    for _ in range(5):
        cases.awaiting()
        cases.in_progress()
    small = measure()
    for _ in range(95):
        cases.awaiting()
        cases.in_progress()
    assert Case.objects.count() == 200
    large = measure()
    with capsys.disabled():
        print(f"\nworklist queries with 10 cases: {small}; with 200: {large}")
    assert small == large
