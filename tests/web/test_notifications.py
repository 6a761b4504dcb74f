"""The workbench inbox: the bell on every staff page (and its refresh), the list newest first
with the unread marked, opening a notice (read, then its case), marking all read, the
settings page; and their cost, the same for 1 notice as for 60."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banchengshi.notify.inbox import notify
from banchengshi.notify.models import Notification, NotificationKind
from banchengshi.notify.preferences import Channel, preferences_of
from banchengshi.org.models import StaffProfile
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh
from tests.web.conftest import SignedIn

INBOX = reverse("web:notifications")
BELL = reverse("web:notifications_bell")
SETTINGS = reverse("web:notification_settings")
K = NotificationKind


def bell_count(html: str) -> str:
    found = re.search(r'<span class="bell-count">([^<]*)</span>', html)
    assert found is not None, "no bell on the page"
    return found.group(1)


def notices_of(html: str) -> list[tuple[bool, str]]:
    """(unread, text) of each notice listed, in order."""
    items = re.findall(r'<li class="notice( unread)?" id="notice-\d+">(.*?)</li>', html, re.S)
    return [
        (bool(unread), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip())
        for unread, body in items
    ]


def dispatch_notices(org: Org, cases: CaseBuilder, frozen_time: FrozenTime, count: int) -> None:
    for minute in range(count):
        frozen_time.set(sh(2026, 11, 20, 10, minute))
        cases.dispatched()


@pytest.mark.django_db
def test_the_bell_shows_the_unread_count_on_every_staff_page(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime, staff: SignedIn
) -> None:
    client = staff("handler_a")
    assert bell_count(client.get(reverse("web:worklist")).content.decode()) == "0"
    dispatch_notices(org, cases, frozen_time, 2)
    for page in ("web:worklist", "web:units", "web:notifications", "web:notification_settings"):
        html = client.get(reverse(page)).content.decode()
        assert bell_count(html) == "2", page
    fragment = client.get(BELL, headers={"HX-Request": "true"}).content.decode()
    assert bell_count(fragment) == "2"
    assert 'hx-trigger="every 30s"' in fragment
    # A person of another unit has nothing; the public pages have no bell.
    assert bell_count(staff("handler_b").get(INBOX).content.decode()) == "0"
    assert "bell-count" not in Client().get(reverse("web:home")).content.decode()


@pytest.mark.django_db
def test_the_bell_counts_up_to_99(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.awaiting()
    for _ in range(100):
        notify(user_ids=[org.handler_b.pk], kind=K.CASE_DISPATCHED, case_id=case.pk)
    assert bell_count(staff("handler_b").get(INBOX).content.decode()) == "99+"


@pytest.mark.django_db
def test_the_list_newest_first_with_the_unread_marked_and_pages(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime, signed_in: SignedIn
) -> None:
    dispatch_notices(org, cases, frozen_time, 26)
    client = signed_in("handler_a")
    first = Notification.objects.filter(user=org.handler_a).order_by("id").first()
    assert first is not None
    first.read_at = first.created_at
    first.save()
    page1 = client.get(INBOX).content.decode()
    listed = notices_of(page1)
    assert len(listed) == 25
    assert listed[0] == (
        True,
        "未读 2026-11-20 10:25 案件 PT-2026-000026 已派发至区市场监管局。",
    )
    assert 'rel="next"' in page1
    page2 = notices_of(client.get(INBOX, {"page": "2"}).content.decode())
    assert page2 == [(False, "2026-11-20 10:00 案件 PT-2026-000001 已派发至区市场监管局。")]
    unread = notices_of(client.get(INBOX, {"unread": "1", "page": "2"}).content.decode())
    assert unread == []
    # A page that is no number is the first page.
    assert len(notices_of(client.get(INBOX, {"page": "²"}).content.decode())) == 25


@pytest.mark.django_db
def test_the_list_in_english(org: Org, cases: CaseBuilder, staff: SignedIn) -> None:
    case = cases.dispatched()
    html = staff("handler_a").get(INBOX, headers={"Accept-Language": "en"}).content.decode()
    assert notices_of(html) == [
        (True, f"Unread 2026-11-20 10:00 Case {case.tracking_no} was dispatched to 区市场监管局.")
    ]


@pytest.mark.django_db
def test_the_cost_of_the_pages_does_not_grow_with_the_notices(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.awaiting()
    client = staff("handler_b")

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    notify(user_ids=[org.handler_b.pk], kind=K.CASE_DISPATCHED, case_id=case.pk)
    few = {path: queries(path) for path in (INBOX, BELL, reverse("web:worklist"))}
    for _ in range(60):
        notify(user_ids=[org.handler_b.pk], kind=K.CASE_DISPATCHED, case_id=case.pk)
    many = {path: queries(path) for path in (INBOX, BELL, reverse("web:worklist"))}
    assert few == many


@pytest.mark.django_db
def test_opening_a_notice_reads_it_and_lands_on_its_case(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.dispatched()
    notice = Notification.objects.get(user=org.handler_a)
    client = staff("handler_a")
    response = client.post(reverse("web:notification_open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:case", args=[case.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert bell_count(client.get(INBOX).content.decode()) == "0"
    # A notice about no case returns to the list.
    notify(user_ids=[org.handler_a.pk], kind=K.OVERDUE_DIGEST, params={"count": 3})
    digest = Notification.objects.get(user=org.handler_a, kind=K.OVERDUE_DIGEST)
    response = client.post(reverse("web:notification_open", args=[digest.pk]))
    assert response["Location"] == INBOX


@pytest.mark.django_db
@pytest.mark.parametrize("notice_id", ["theirs", 99_999_999, 10**20])
def test_another_persons_notice_is_not_found(
    org: Org, cases: CaseBuilder, staff: SignedIn, notice_id: object
) -> None:
    cases.dispatched()
    theirs = Notification.objects.get(user=org.leader_a)
    number = theirs.pk if notice_id == "theirs" else notice_id
    response = staff("handler_b").post(f"/staff/notifications/{number}/open/")
    assert response.status_code == 404
    assert "There is no notice with this number among yours." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # Opening is a change: a GET changes nothing.
    assert staff("leader_a").get(f"/staff/notifications/{theirs.pk}/open/").status_code == 405


@pytest.mark.django_db
def test_mark_all_read(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime, staff: SignedIn
) -> None:
    dispatch_notices(org, cases, frozen_time, 3)
    client = staff("handler_a")
    response = client.post(reverse("web:notifications_read_all"), follow=True)
    html = response.content.decode()
    assert "3 notices marked read." in html
    assert bell_count(html) == "0"
    assert [unread for unread, _ in notices_of(html)] == [False, False, False]
    assert Notification.objects.filter(user=org.leader_a, read_at__isnull=True).count() == 3


@pytest.mark.django_db
def test_the_settings_page_shows_the_defaults_and_saves(org: Org, staff: SignedIn) -> None:
    client = staff("handler_a")
    html = client.get(SETTINGS).content.decode()
    assert re.search(r'name="sms_supervision_opened"[^>]*checked', html)
    assert not re.search(r'name="sms_case_dispatched"[^>]*checked', html)
    assert "Your account has no e-mail address; ask your administrator to add one." in html
    response = client.post(
        SETTINGS, {"mobile": "139-1234-5678", "sms_case_dispatched": "on"}, follow=True
    )
    assert "Your notification settings are saved." in response.content.decode()
    assert StaffProfile.objects.get(user=org.handler_a).mobile == "13912345678"
    chosen = preferences_of(org.handler_a.pk)
    assert chosen[K.CASE_DISPATCHED] == {Channel.SMS}
    assert chosen[K.SUPERVISION_OPENED] == frozenset()


@pytest.mark.django_db
def test_the_settings_page_refuses_in_words(org: Org, staff: SignedIn) -> None:
    client = staff("handler_a")
    response = client.post(
        SETTINGS, {"mobile": "", "sms_reminder_red": "on", "email_reminder_red": "on"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "The settings were not saved" in html
    assert "Give your mobile number to receive notices by SMS." in html
    assert "Your account has no e-mail address; ask your administrator to add one." in html
    response = client.post(SETTINGS, {"mobile": "12\x0034"})
    assert response.status_code == 422
    assert "Remove the invisible control character (such as NUL) from this text." in (
        response.content.decode()
    )
    assert not StaffProfile.objects.exists()


@pytest.mark.django_db
def test_signed_out_the_bell_refresh_leads_to_the_sign_in(org: Org) -> None:
    response = Client().get(BELL, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("web:login")
