"""The ledger as an HTTP download (the page and the API answer the same way)."""

from __future__ import annotations

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.translation import gettext as _

from banchengshi.errors import InvalidInput
from banchengshi.reports.exports.ledger_files import csv_chunks, xlsx_file
from banchengshi.reports.ledger import Ledger

FORMATS = ("csv", "xlsx")


def check_ledger_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInput(
            {"format": [_("The ledger is exported as CSV or XLSX (format=csv or format=xlsx).")]}
        )
    return fmt


def ledger_filename(ledger: Ledger, fmt: str) -> str:
    who = f"unit{ledger.scope.unit.pk}" if ledger.scope.unit else "district"
    return f"ledger-{ledger.period.label}-{who}.{fmt}"


def ledger_response(ledger: Ledger, fmt: str) -> HttpResponseBase:
    name = ledger_filename(ledger, fmt)
    if fmt == "xlsx":
        return FileResponse(xlsx_file(ledger, _("Ledger")), as_attachment=True, filename=name)
    response = StreamingHttpResponse(csv_chunks(ledger), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
