import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banchengshi.errors import ActionRefused
from banchengshi.org.models import Unit
from banchengshi.reports.scopes import ReportScope
from banchengshi.reports.whatif_output import as_json, whatif

FIGURES = ("on_time", "late", "open_overdue", "open", "on_time_rate")


class Command(BaseCommand):
    help = (
        "A period's cases replayed under another policy, beside what happened; no case "
        "changes: `banchengshi whatif --period 2026-11 [--unit ID] [--unit-only] "
        "--policy chongming|putuo@2023.3 [--format text|json]`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="2026-11, 2026-Q4, 2026 or a range")
        parser.add_argument("--unit", type=int, help="a unit's id (default: the district)")
        parser.add_argument(
            "--unit-only", action="store_true", help="the unit without the units below it"
        )
        parser.add_argument(
            "--policy", required=True, help="a policy file's name or a kept version's key"
        )
        parser.add_argument("--format", default="text", choices=("text", "json"))

    def handle(self, *args: Any, **options: Any) -> None:
        unit = None
        if options["unit"] is not None:
            unit = Unit.objects.filter(pk=options["unit"]).first()
            if unit is None:
                raise CommandError(f"There is no unit {options['unit']}.")
        scope = ReportScope(unit=unit, below=not options["unit_only"])
        try:
            data = as_json(whatif(options["period"], scope, options["policy"]))
        except ActionRefused as refused:
            raise CommandError(str(refused.message)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        actual = ", ".join(row["key"] for row in data["actual_policy"]) or "-"
        self.stdout.write(
            f"{data['period']} {data['scope']['key']}: {data['cases']} cases, as of "
            f"{data['as_of']}; actual {actual} / replayed {data['target_policy']['key']}"
        )
        self.stdout.write(f"{'clock':<22}" + "".join(f"{name:>26}" for name in FIGURES))
        for clock in data["clocks"]:
            cells = "".join(
                f"{_cell(clock['actual'][name]):>12} -> {_cell(clock['replayed'][name]):<10}"
                for name in FIGURES
            )
            self.stdout.write(f"{clock['kind']:<22}{cells}")
        self.stdout.write(f"flipped: {data['flipped_total']}")
        for row in data["flipped"]:
            self.stdout.write(
                f"  {row['tracking_no']} {row['kind']}: {row['actual']} -> {row['replayed']}"
            )
        for note in data["notes"]:
            self.stdout.write(f"note ({note['kind']}): {note['text']}")


def _cell(value: float | int | None) -> str:
    return "-" if value is None else str(value)
