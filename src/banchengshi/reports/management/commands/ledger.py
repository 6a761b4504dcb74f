import shutil
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banchengshi.errors import ActionRefused
from banchengshi.org.models import Unit
from banchengshi.reports.exports.ledger_files import csv_chunks, xlsx_file
from banchengshi.reports.exports.ledger_response import FORMATS
from banchengshi.reports.ledger import do_open_ledger
from banchengshi.reports.periods import parse_any_period
from banchengshi.reports.scopes import ReportScope


class Command(BaseCommand):
    help = (
        "The ledger (台账) of a period: `banchengshi ledger --period 2026-11|2026-Q4|2026|"
        "2026-11-03..2026-11-20 [--unit ID] [--unmasked] --format csv|xlsx -o FILE`. "
        "Recorded in the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True)
        parser.add_argument("--unit", type=int, help="a unit's id (default: the district)")
        parser.add_argument("--unit-only", action="store_true")
        parser.add_argument("--unmasked", action="store_true", help="full phone and ID numbers")
        parser.add_argument("--format", default="csv", choices=FORMATS)
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = None
        if options["unit"] is not None:
            unit = Unit.objects.filter(pk=options["unit"]).first()
            if unit is None:
                raise CommandError(f"There is no unit {options['unit']}.")
        try:
            period = parse_any_period(options["period"])
        except ActionRefused as refused:
            raise CommandError(str(refused.message)) from None
        scope = ReportScope(unit=unit, below=not options["unit_only"])
        ledger = do_open_ledger(
            None,
            period,
            scope,
            unmasked=options["unmasked"],
            fmt=options["format"],
            path="banchengshi ledger",
        )
        if options["format"] == "xlsx":
            if not options["output"]:
                raise CommandError("An XLSX ledger needs a file: add -o FILE.")
            with xlsx_file(ledger, "台账") as source, open(options["output"], "wb") as out:
                shutil.copyfileobj(source, out)
        elif options["output"]:
            with open(options["output"], "wb") as out:
                out.writelines(csv_chunks(ledger))
        else:
            sys.stdout.buffer.writelines(csv_chunks(ledger))
        self.stderr.write(f"{ledger.rows} cases")
