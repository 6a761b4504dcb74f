"""System checks: the reports' data files must validate when the server starts, not when the
first report is built."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from banchengshi.reports.accountability import PATH as THRESHOLDS
from banchengshi.reports.accountability import load_thresholds
from banchengshi.reports.definitions import DefinitionsError
from banchengshi.reports.metrics import definitions


@register()
def reports_data_files(**kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    try:
        definitions.cache_clear()
        definitions()
    except DefinitionsError as exc:
        errors.append(Error(str(exc), id="banchengshi.E401"))
    try:
        load_thresholds(THRESHOLDS.read_text(encoding="utf-8"))
    except ValueError as exc:
        errors.append(Error(str(exc), id="banchengshi.E402"))
    return errors
