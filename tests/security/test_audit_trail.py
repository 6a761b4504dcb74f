"""Role grants and revokes, administration changes and calendar loads in the audit trail."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from banchengshi.audit.models import AuditEvent
from banchengshi.org.models import Membership, Role
from banchengshi.workdays.actions import check_load_calendar_year, do_load_calendar_year
from banchengshi.workdays.registry import forget_calendar
from tests.cases.conftest import Org

SCHEDULE_2027 = """year = 2027
workdays = []
[[holidays]]
name = "元旦"
start = 2027-01-01
end = 2027-01-01
"""


def _root() -> tuple[User, Client]:
    root = User.objects.create_superuser("root", password="Root-pass-2026")
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.0.0.9")
    client.force_login(root)
    return root, client


def _events(prefix: str) -> list[tuple[str, int | None, dict[str, object]]]:
    return list(
        AuditEvent.objects.filter(action__startswith=prefix)
        .order_by("seq")
        .values_list("action", "actor_id", "payload")
    )


def test_granting_and_revoking_a_role_in_the_admin_is_audited(org: Org) -> None:
    root, client = _root()
    added = client.post(
        reverse("admin:org_membership_add"),
        {"user": org.clerk.pk, "unit": org.office.pk, "role": Role.OFFICE_ADMIN},
    )
    assert added.status_code == 302
    membership = Membership.objects.get(user=org.clerk, role=Role.OFFICE_ADMIN)
    changed = client.post(
        reverse("admin:org_membership_change", args=[membership.pk]),
        {"user": org.clerk.pk, "unit": org.office.pk, "role": Role.SYSADMIN},
    )
    assert changed.status_code == 302
    deleted = client.post(
        reverse("admin:org_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    code = org.office.code
    assert _events("org.") == [
        (
            "org.role_granted",
            root.pk,
            {"username": "clerk", "unit": code, "role": "office_admin", "address": "10.0.0.9"},
        ),
        (
            "org.role_revoked",
            root.pk,
            {"username": "clerk", "unit": code, "role": "office_admin", "address": "10.0.0.9"},
        ),
        (
            "org.role_granted",
            root.pk,
            {"username": "clerk", "unit": code, "role": "sysadmin", "address": "10.0.0.9"},
        ),
        (
            "org.role_revoked",
            root.pk,
            {"username": "clerk", "unit": code, "role": "sysadmin", "address": "10.0.0.9"},
        ),
    ]
    admin_changes = [(a, p["change"], p["model"]) for a, _, p in _events("config.admin_change")]
    assert admin_changes == [
        ("config.admin_change", "added", "org.membership"),
        ("config.admin_change", "changed", "org.membership"),
        ("config.admin_change", "deleted", "org.membership"),
    ]


def test_a_role_removed_on_the_persons_page_is_audited(org: Org) -> None:
    _root_user, client = _root()
    page = client.get(reverse("admin:auth_user_change", args=[org.clerk.pk]))
    assert page.status_code == 200
    membership = Membership.objects.get(user=org.clerk)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in {"username", "first_name", "last_name", "email", "is_active", "is_staff"}
        and value not in (None, False)
    }
    data.update(
        {
            "date_joined_0": "2026-11-20",
            "date_joined_1": "10:00:00",
            "staff_profile-TOTAL_FORMS": "1",
            "staff_profile-INITIAL_FORMS": "0",
            "staff_profile-0-mobile": "",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(membership.pk),
            "memberships-0-user": str(org.clerk.pk),
            "memberships-0-unit": str(membership.unit_id),
            "memberships-0-role": membership.role,
            "memberships-0-DELETE": "on",
        }
    )
    response = client.post(reverse("admin:auth_user_change", args=[org.clerk.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Membership.objects.filter(user=org.clerk).exists()
    assert [a for a, _, _ in _events("org.")] == ["org.role_revoked"]


def test_loading_a_calendar_year_is_audited(org: Org) -> None:
    content = SCHEDULE_2027.encode()
    schedule = check_load_calendar_year(content, "2027.toml")
    do_load_calendar_year(schedule, content, "2027.toml", actor=org.sysadmin)
    # The load drops the cached calendar on commit, which a test's transaction never reaches.
    forget_calendar()
    assert _events("config.calendar") == [
        (
            "config.calendar_loaded",
            org.sysadmin.pk,
            {"year": 2027, "source": "2027.toml", "replaced": False},
        )
    ]
