"""/open/: the public figures per center and month, from the office's own figures, with no
personal datum."""

from __future__ import annotations

import re

from django.test import Client

from tests.cases.conftest import sh
from tests.reports.conftest import District


def test_it_publishes_the_months_figures_per_center(district: District, frozen_time) -> None:
    frozen_time.set(sh(2026, 12, 2, 9))
    html = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/open/?month=2026-11").content.decode()
    assert re.search(r'data-key="received">8<', html)
    assert re.search(r'data-key="replied_on_time">5 / 6<', html)
    assert re.search(r'data-key="satisfied">2 / 3<', html)
    hall = re.search(r'<th scope="row">区政务服务中心大厅</th><td>8</td><td>([^<]+)</td>', html)
    assert hall
    assert hall[1] == "14.3%"
    case = district.cases["late"]
    for personal in ("张三", "13812345678", "310107199003072012", case.tracking_no):
        assert personal not in html


def test_it_opens_on_last_month_and_refuses_a_bad_month_in_words(district: District) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    # The clock stands at 2026-11-30: last month is October; November is not over, so it is
    # not shown yet, nor any month to come.
    assert re.search(r'data-key="received">1<', client.get("/open/").content.decode())
    for month in ("2026-11", "2027-01"):
        html = client.get(f"/open/?month={month}").content.decode()
        assert re.search(r'data-key="received">1<', html)
    bad = client.get("/open/?month=2026-1%C2%B2")
    assert bad.status_code == 200
    assert "不是本报告的统计期，请写成 2026-11 的形式。" in bad.content.decode()
