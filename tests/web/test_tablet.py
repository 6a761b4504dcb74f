"""The window's tablet pages (web/views/tablet.py): handed over from the case page, the rating
screen with nothing of the case but its number, the thank-you, the neutral screen, and every
refusal shown in the tablet's frame."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from banchengshi.cases.actions.tablet import do_hand_tablet
from banchengshi.cases.models import Case, TabletHandoff
from tests.cases.conftest import PHONE, CaseBuilder, FrozenTime, Org
from tests.web.conftest import SignedIn
from tests.web.test_case_page import text

RATING = {"satisfaction": "4", "solved": "1", "comment": ""}


def hand_over(client: Client, case: Case) -> str:
    """The clerk's button on the case page; returns where it leads."""
    version = Case.objects.get(pk=case.pk).version
    response = client.post(
        reverse("web:case_act", args=[case.pk, "window_rating"]), {"version": version}
    )
    assert response.status_code == 302
    return str(response["Location"])


def test_the_case_page_offers_it_to_the_registering_window_only(
    cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.replied()
    url = reverse("web:case", args=[case.pk])
    page = staff("clerk").get(url).content.decode()
    assert 'id="panel-window_rating"' in page
    assert "Hand the tablet to the petitioner for rating" in page
    for other in ("handler_a", "dispatcher"):
        assert 'id="panel-window_rating"' not in staff(other).get(url).content.decode()


def test_handing_over_opens_the_rating_screen(cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.replied()
    clerk = staff("clerk")
    location = hand_over(clerk, case)
    handoff = TabletHandoff.objects.get(case=case)
    assert location == f"/staff/tablet/{handoff.pk}/"
    response = clerk.get(location)
    assert response.status_code == 200
    html = response.content.decode()
    words = text(html)
    assert f"Appeal {case.tracking_no}" in words
    assert "How satisfied are you with the answer?" in words
    # No workbench: no menu, no link into /staff/, nothing personal of the case.
    assert not re.search(r'href="/staff/', html)
    assert 'class="topbar' not in html
    for personal in ("张三", PHONE, PHONE[-4:], "营业执照"):
        assert personal not in html
    # Nothing said to the clerk on the petitioner's screen.
    assert 'class="message' not in html


def test_a_rating_thanks_and_returns_to_the_neutral_screen(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.replied()
    clerk = staff("clerk")
    location = hand_over(clerk, case)
    response = clerk.post(location, {**RATING, "comment": "窗口很耐心"})
    assert (response.status_code, response["Location"]) == (302, "/staff/tablet/thanks/")
    thanks = clerk.get("/staff/tablet/thanks/").content.decode()
    assert "Thank you for your rating." in text(thanks)
    assert '<meta http-equiv="refresh" content="5;url=/staff/tablet/">' in thanks
    neutral = clerk.get("/staff/tablet/")
    assert neutral.status_code == 200
    assert "Welcome" in text(neutral.content.decode())
    # The case shows the rating, how it was taken and who handed the tablet.
    html = clerk.get(reverse("web:case", args=[case.pk])).content.decode()
    words = text(html)
    assert "Rated by the petitioner" in words
    assert "clerk the petitioner · tablet at the window" in words
    assert "Channel tablet at the window" in words
    assert 'id="panel-window_rating"' not in html


def test_the_neutral_screen_shows_a_screen_the_clerk_opened(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    tablet = staff("clerk")  # a second device signed in as the same clerk
    assert tablet.get("/staff/tablet/").status_code == 200
    handoff = do_hand_tablet(org.clerk, cases.replied().pk)
    response = tablet.get("/staff/tablet/")
    assert (response.status_code, response["Location"]) == (302, f"/staff/tablet/{handoff.pk}/")
    # Another clerk's tablet waits on.
    assert staff("windowhead").get("/staff/tablet/").status_code == 200


def test_a_rating_without_a_level_is_asked_again(cases: CaseBuilder, staff: SignedIn) -> None:
    clerk = staff("clerk")
    location = hand_over(clerk, cases.replied())
    response = clerk.post(location, {"solved": "1"})
    assert response.status_code == 422
    assert "This field is required." in text(response.content.decode())
    assert TabletHandoff.objects.get().used_at is None


def test_refusals_stay_in_the_tablets_frame(
    org: Org, cases: CaseBuilder, signed_in: SignedIn, frozen_time: FrozenTime
) -> None:
    """In the district's language (zh-Hans), with no workbench around them."""
    case = cases.replied()
    clerk = signed_in("clerk")
    location = hand_over(clerk, case)
    other = signed_in("windowhead").get(location)
    assert other.status_code == 403
    assert "此评价页面由其他工作人员打开。" in text(other.content.decode())
    assert 'class="topbar' not in other.content.decode()
    frozen_time.advance(minutes=6)
    expired = clerk.get(location)
    assert expired.status_code == 409
    assert "此评价页面已过期，请在工单页面重新打开。" in text(expired.content.decode())
    assert "请将平板交还窗口工作人员。" in text(expired.content.decode())


def test_a_used_screen_refuses(cases: CaseBuilder, staff: SignedIn) -> None:
    clerk = staff("clerk")
    location = hand_over(clerk, cases.replied())
    assert clerk.post(location, RATING).status_code == 302
    for response in (clerk.get(location), clerk.post(location, RATING)):
        assert response.status_code == 409
        assert "This rating screen has been used already; open a new one on the case page." in text(
            response.content.decode()
        )


def test_no_such_screen(cases: CaseBuilder, staff: SignedIn) -> None:
    for number in ("0", "99999", "9" * 30):
        response = staff("clerk").get(f"/staff/tablet/{number}/")
        assert response.status_code == 404
        assert "There is no such rating screen." in text(response.content.decode())


def test_signed_out_the_tablet_asks_for_sign_in(cases: CaseBuilder) -> None:
    response = Client().get("/staff/tablet/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_the_pages_cost_a_few_queries(
    cases: CaseBuilder, staff: SignedIn, django_assert_num_queries: Any
) -> None:
    """Session, person and scope as every workbench page; then the screen, its case with its
    unit links, and whether the petitioner rated: none grows with the number of cases."""
    clerk = staff("clerk")
    location = hand_over(clerk, cases.replied())
    with django_assert_num_queries(7):
        assert clerk.get(location).status_code == 200
    with django_assert_num_queries(4):
        assert clerk.get("/staff/tablet/").status_code == 302
