"""The short link of the reply's SMS (/s/<code>/): on to the rating page of that answer while
it is valid; an unknown, malformed or expired code gets the same page in the reader's
language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from banchengshi.intake.tracking import rating_link
from banchengshi.notify.models import ShortLink
from tests.cases.conftest import CaseBuilder, FrozenTime, Org

EXPIRED = "This link is not valid or has expired."


def test_the_reply_link_leads_to_rating_that_answer(
    org: Org, cases: CaseBuilder, client: Client
) -> None:
    case = cases.replied()
    link = ShortLink.objects.get(case=case)
    response = client.get(f"/s/{link.code}/")
    assert response.status_code == 302
    token = response["Location"].removeprefix("/r/").removesuffix("/")
    assert response["Location"] == reverse("web:rating_link", args=[token])
    rating = rating_link(token)
    assert rating is not None
    assert (rating.case_id, rating.round) == (case.pk, 1)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert case.tracking_no in page.content.decode()


def test_the_link_expires_after_60_days(
    org: Org, cases: CaseBuilder, client: Client, frozen_time: FrozenTime
) -> None:
    case = cases.replied()
    link = ShortLink.objects.get(case=case)
    frozen_time.set(link.expires_at - dt.timedelta(seconds=1))
    assert client.get(f"/s/{link.code}/").status_code == 302
    frozen_time.set(link.expires_at)
    response = client.get(f"/s/{link.code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert EXPIRED in response.content.decode()


@pytest.mark.parametrize("code", ["Zz9Zz9Zz", "short", "l1O0l1O0", "%E6%B5%8B%E8%AF%95abcdef"])
def test_an_unknown_code_gets_the_expired_page(org: Org, client: Client, code: str) -> None:
    response = client.get(f"/s/{code}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert "链接无效或已过期" in response.content.decode()
