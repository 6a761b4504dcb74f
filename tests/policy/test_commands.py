"""`banchengshi deadline` and `banchengshi policy` as other tools and people use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

REPO = Path(__file__).resolve().parents[2]
BANCHENGSHI = Path(sys.executable).with_name("banchengshi")


def deadline(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


@pytest.mark.django_db
def test_deadline_json_for_the_chongming_example() -> None:
    result = deadline(
        "--policy",
        "chongming",
        "--limit",
        "reply.complex",
        "--received",
        "2025-09-30T10:00:00+08:00",
    )
    assert {
        "policy",
        "policy_version",
        "limit",
        "received",
        "due_date",
        "due",
        "counted",
        "skipped",
    } <= set(result)
    assert result["policy"] == "chongming"
    assert result["policy_version"] == "2023.3"
    assert result["limit"] == "reply.complex"
    assert result["rule"] == "5 working days"
    assert result["received"] == "2025-09-30T10:00:00+08:00"
    assert result["due_date"] == "2025-10-14"
    assert result["due"] == "2025-10-14T23:59:59.999999+08:00"
    assert result["counted"] == [
        "2025-10-09",
        "2025-10-10",
        "2025-10-11",
        "2025-10-13",
        "2025-10-14",
    ]
    assert [item["date"] for item in result["skipped"]] == [
        *(f"2025-10-0{day}" for day in range(1, 9)),
        "2025-10-12",
    ]
    assert result["skipped"][0] == {"date": "2025-10-01", "reason": "国庆节"}
    assert result["skipped"][-1] == {"date": "2025-10-12", "reason": "weekend"}


@pytest.mark.django_db
def test_deadline_reads_times_without_offset_in_shanghai_and_shows_utc_in_shanghai() -> None:
    local = deadline(
        "--policy", "putuo", "--limit", "reply.general", "--received", "2025-01-27T00:30"
    )
    utc = deadline(
        "--policy", "putuo", "--limit", "reply.general", "--received", "2025-01-26T16:30:00Z"
    )
    assert local["received"] == utc["received"] == "2025-01-27T00:30:00+08:00"
    assert local["due_date"] == utc["due_date"] == "2025-02-07"


@pytest.mark.django_db
def test_deadline_uses_the_policy_in_force_by_default(settings: Any) -> None:
    settings.BANCHENGSHI_POLICY = "liuzhou"
    result = deadline("--limit", "reply.department_side", "--received", "2025-10-03T11:00:00+08:00")
    assert (result["policy"], result["policy_version"]) == ("liuzhou", "2021.3")
    assert result["due_date"] == "2025-10-21"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--policy", "putuo", "--limit", "reply.general", "--received", "yesterday"],
            "--received 'yesterday' is not an ISO 8601 time",
        ),
        (
            ["--policy", "nowhere", "--limit", "reply.general", "--received", "2025-03-03"],
            "unknown policy 'nowhere' (available: chongming, liuzhou, putuo)",
        ),
        (
            ["--policy", "chongming", "--limit", "reply.urgent", "--received", "2025-03-03"],
            "policy 'chongming' has no limit 'reply.urgent'",
        ),
        (
            ["--policy", "chongming", "--limit", "reply.complex", "--received", "2026-12-30T10:00"],
            "no statutory holiday schedule is known for 2027",
        ),
        (
            ["--policy", "chongming", "--limit", "reply.simple", "--received", "2027-01-04T10:00"],
            "no statutory holiday schedule is known for 2027",
        ),
    ],
)
def test_deadline_errors(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as caught:
        deadline(*args)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_deadline_past_the_known_years_from_the_console_script(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BANCHENGSHI_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "banchengshi.settings",
    }
    migrate = subprocess.run(
        [str(BANCHENGSHI), "migrate", "--noinput", "-v0"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    run = subprocess.run(
        [
            str(BANCHENGSHI),
            "deadline",
            "--policy",
            "chongming",
            "--limit",
            "reply.complex",
            "--received",
            "2026-12-30T10:00:00+08:00",
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode != 0
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "no statutory holiday schedule is known for 2027" in lines[0]
    assert "banchengshi calendar load" in lines[0]


def test_policy_show_lists_the_limits() -> None:
    out = StringIO()
    call_command("policy", "show", "putuo", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("putuo 2023.3  ")
    assert "yellow warning: 24 hours before a deadline" in lines
    rows = {line.split()[0]: line.split(None, 1)[1] for line in lines if line.startswith("  ")}
    assert list(rows) == [
        "reply.simple",
        "reply.general",
        "reply.complex",
        "not_admissible",
        "cause_analysis",
        "extension.max_total",
        "return_visit",
        "hub_review",
    ]
    assert rows["reply.simple"].startswith("same day ")
    assert rows["reply.general"].startswith("3 working days ")
    assert rows["reply.complex"].startswith("7 working days ")
    assert rows["not_admissible"].startswith("3 working days ")
    assert rows["cause_analysis"].startswith("same day ")
    assert rows["extension.max_total"].startswith("10 working days ")
    assert rows["return_visit"].startswith("3 working days ")
    assert rows["hub_review"].startswith("1 working day ")
    assert (
        "reply clock by complexity: simple → reply.simple, general → reply.general, "
        "complex → reply.complex, special → reply.complex (until known: reply.general)"
    ) in lines


def test_policy_show_unknown() -> None:
    with pytest.raises(CommandError, match=r"unknown policy 'nowhere'"):
        call_command("policy", "show", "nowhere")


def test_policy_list_marks_the_one_in_force(settings: Any) -> None:
    settings.BANCHENGSHI_POLICY = "chongming"
    out = StringIO()
    call_command("policy", "list", stdout=out)
    names = [line[:2] + line[2:].split()[0] for line in out.getvalue().splitlines()]
    assert names == ["* chongming", "  liuzhou", "  putuo"]
