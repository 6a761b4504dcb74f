import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banchengshi.errors import ActionRefused
from banchengshi.org.models import Unit
from banchengshi.reports.actions import do_store_report
from banchengshi.reports.build import REPORT_KINDS, Format, build_report
from banchengshi.reports.scopes import ReportScope


class Command(BaseCommand):
    help = (
        "A report of the district or a unit: `banchengshi report monthly|quarterly|annual "
        "--period 2026-11|2026-Q4|2026 [--unit ID] [--unit-only] --format json|xlsx -o FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[kind.value for kind in REPORT_KINDS])
        parser.add_argument("--period", required=True)
        parser.add_argument("--unit", type=int, help="a unit's id (default: the district)")
        parser.add_argument(
            "--unit-only", action="store_true", help="the unit without the units below it"
        )
        parser.add_argument("--format", default="json", choices=[f.value for f in Format])
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument(
            "--keep",
            action="store_true",
            help="also keep the file in the list of report files on the workbench",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unit = None
        if options["unit"] is not None:
            unit = Unit.objects.filter(pk=options["unit"]).first()
            if unit is None:
                raise CommandError(f"There is no unit {options['unit']}.")
        scope = ReportScope(unit=unit, below=not options["unit_only"])
        try:
            built = build_report(options["kind"], options["period"], scope, options["format"])
            if options["keep"]:
                stored = do_store_report(options["kind"], options["period"], scope, built.format)
                self.stdout.write(f"kept as report file {stored.pk}: {stored.file.name}")
        except ActionRefused as refused:
            raise CommandError(str(refused.message)) from None
        if options["output"]:
            with open(options["output"], "wb") as out:
                out.write(built.content)
            self.stdout.write(f"{options['output']}: {built.filename} ({len(built.content)} bytes)")
        elif built.format == Format.JSON:
            self.stdout.write(built.content.decode())
        else:
            raise CommandError("An XLSX report needs a file: add -o FILE.")
        sys.stdout.flush()
