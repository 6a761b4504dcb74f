"""`banchengshi demo` outside development: refused without DEBUG unless forced, and then no
login keeps the password written in the source."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from banchengshi.cases.models import Case
from banchengshi.demo.district import DEMO_PASSWORD, USERS
from banchengshi.org.models import Unit

pytestmark = pytest.mark.django_db

REFUSAL = (
    "DEBUG is off, so this may be a production database: the demo district is loaded only "
    "with --force."
)
SRC = Path(__file__).resolve().parents[2] / "src"


def _printed_password(out: str) -> str:
    found = re.search(r"password for all: (\S+) — shown only this once", out)
    assert found is not None, out
    return found.group(1)


def test_refused_without_debug(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        call_command("demo", cases=60, stdout=StringIO())
    assert str(refused.value) == REFUSAL
    assert not Unit.objects.exists()
    assert not User.objects.exists()


def test_forced_without_debug_no_login_has_the_known_password(settings: Any) -> None:
    settings.DEBUG = False
    out = StringIO()
    call_command("demo", cases=0, force=True, stdout=out)
    password = _printed_password(out.getvalue())
    assert password != DEMO_PASSWORD
    assert len(password) == 16
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert not admin.check_password(DEMO_PASSWORD)
    assert admin.check_password(password)
    demo_people = User.objects.filter(username__in=[spec.username for spec in USERS])
    assert demo_people.count() == len(USERS)
    assert demo_people.values("password").distinct().count() == 1  # one hash for all


def test_forced_on_a_district_loaded_in_development_replaces_the_known_password(
    settings: Any,
) -> None:
    call_command("demo", cases=0, stdout=StringIO())
    assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)
    settings.DEBUG = False
    out = StringIO()
    call_command("demo", if_empty=True, force=True, stdout=out)
    assert "only its logins' password was changed" in out.getvalue()
    password = _printed_password(out.getvalue())
    admin = User.objects.get(username="admin")
    assert not admin.check_password(DEMO_PASSWORD)
    assert admin.check_password(password)
    assert not Case.objects.exists()


def _without_debug(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("BANCHENGSHI_DEMO", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DEBUG="0", SECRET_KEY="not-a-secret", PYTHONPATH=str(SRC))
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_the_product_does_not_install_the_demo_without_debug() -> None:
    found = _without_debug(
        "-c",
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'banchengshi.settings'; "
        "django.setup(); from django.apps import apps; "
        "print(apps.is_installed('banchengshi.demo'))",
    )
    assert found.stdout == "False\n", found.stderr


def test_the_command_refuses_in_one_line_with_a_failing_status() -> None:
    refused = _without_debug("-m", "banchengshi.manage", "demo", "--if-empty")
    assert refused.returncode == 1
    assert refused.stderr == f"CommandError: {REFUSAL}\n"
    assert refused.stdout == ""
