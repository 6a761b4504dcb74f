"""Administrators see the runs and the lease, and change nothing there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from banchengshi.scheduler.lease import hold_lease
from banchengshi.scheduler.models import JobRun, Lease, RunState
from banchengshi.scheduler.registry import SHANGHAI

pytestmark = pytest.mark.django_db
SLOT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def admin() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.create_superuser("root", password="x-very-long-password"))
    return client


def test_the_runs_are_listed_read_only(admin: Client) -> None:
    run = JobRun.objects.create(
        job="notify.outbox",
        slot=SLOT,
        state=RunState.FAILED,
        claimed_by="web-1:12:ab",
        claimed_at=SLOT,
        error="ConnectionError: gateway down",
    )
    page = admin.get(reverse("admin:scheduler_jobrun_changelist"))
    assert page.status_code == 200
    assert "任务运行记录" in page.text
    assert "notify.outbox" in page.text
    assert "失败" in page.text
    detail = admin.get(reverse("admin:scheduler_jobrun_change", args=[run.pk]))
    assert "ConnectionError: gateway down" in detail.text
    assert admin.get(reverse("admin:scheduler_jobrun_add")).status_code == 403
    delete = admin.post(reverse("admin:scheduler_jobrun_delete", args=[run.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert JobRun.objects.filter(pk=run.pk).exists()


def test_the_lease_shows_who_leads(admin: Client) -> None:
    hold_lease(holder="web-2:811:cd", now=SLOT)
    page = admin.get(reverse("admin:scheduler_lease_changelist"))
    assert page.status_code == 200
    assert "web-2:811:cd" in page.text
    assert Lease.objects.count() == 1
