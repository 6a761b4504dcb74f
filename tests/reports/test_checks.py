"""The reports' data files are checked when the server starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from banchengshi.reports import checks


def test_the_shipped_files_pass() -> None:
    assert checks.reports_data_files() == []


def test_a_broken_thresholds_file_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "accountability.toml"
    broken.write_text("satisfaction_below = 2\n", encoding="utf-8")
    monkeypatch.setattr(checks, "THRESHOLDS", broken)
    [error] = checks.reports_data_files()
    assert error.id == "banchengshi.E402"
    assert "satisfaction_below must be a share between 0 and 1, not 2" in error.msg
