"""`banchengshi demo`: the demo district of Putuo with its people, matters and cases.

    banchengshi demo                  units, people, matters and 3,000 cases, then the logins
    banchengshi demo --cases 100000   as many cases as wanted (bulk, in batches)
    banchengshi demo --if-empty       only print the logins when the district already exists

Run again on a database that has the district, it adds the cases asked for to it.
"""

from __future__ import annotations

import sys
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banchengshi.demo.district import (
    DEMO_PASSWORD,
    URL,
    district_exists,
    ensure_district,
    login_rows,
)
from banchengshi.demo.generator import DEFAULT_SEED, GenerationResult, generate_cases


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table(rows: list[tuple[str, str, str, str]]) -> str:
    header = ("用户名 username", "姓名", "角色 role", "单位 unit")
    table = [header, *rows]
    widths = [max(_width(row[i]) for row in table) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in table
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Load the Putuo demo district (units, people for every role, matters, cases)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases", type=int, default=3000, help="how many cases to generate (default 3000)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="when the demo district already exists, change nothing and print the logins",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="random seed (same seed, same data)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["cases"]
        if count < 0:
            raise CommandError("--cases must be 0 or more")
        if options["if_empty"] and district_exists():
            self.stdout.write("The demo district already exists; nothing was changed.")
            self._logins()
            return
        district = ensure_district(options["seed"])
        self.stdout.write(
            "Demo district created." if district.created else "Demo district already present."
        )
        if count:
            self.stdout.write(f"Generating {count:,} cases …")

            def progress(result: GenerationResult) -> None:
                sys.stderr.write(f"  {result.cases:,} cases, {result.seconds:.0f} s\n")

            result = generate_cases(
                district,
                count,
                seed=options["seed"],
                progress=progress if count >= 50_000 else None,
            )
            states = ", ".join(f"{state} {n:,}" for state, n in sorted(result.by_state.items()))
            self.stdout.write(
                f"{result.cases:,} cases and {result.events:,} audit events in "
                f"{result.seconds:.1f} s ({states})."
            )
        self._logins()

    def _logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(login_table(login_rows()))
        self.stdout.write("")
        self.stdout.write(
            f"Open {URL}/ (the public online window, {URL}/kiosk/ as a self-service terminal); "
            f"staff sign in at {URL}/staff/ (administration at {URL}/admin/, user admin)"
        )
