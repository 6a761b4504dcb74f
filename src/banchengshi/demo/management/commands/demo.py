"""`banchengshi demo`: the demo district of Putuo with its people, matters and cases.

    banchengshi demo                  units, people, matters, 3,000 cases and case-library
                                      entries drafted from closed ones, then the logins
    banchengshi demo --cases 100000   as many cases as wanted (bulk, in batches)
    banchengshi demo --if-empty       only print the logins when the district already exists

Run again on a database that has the district, it adds the cases asked for to it.

Development only: with DEBUG off it refuses (exit 1) unless given --force, and then leaves no
login with the known demo password: every demo person, the superuser `admin` included, gets
one new random password, printed this once (even with --if-empty, where it is the only
change).
"""

from __future__ import annotations

import secrets
import sys
import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from banchengshi.demo.district import (
    DEMO_PASSWORD,
    URL,
    district_exists,
    ensure_district,
    login_rows,
    set_password,
)
from banchengshi.demo.generator import GenerationResult, generate_cases
from banchengshi.demo.library import build_library
from banchengshi.demo.plans import DEFAULT_SEED
from banchengshi.demo.points import ensure_points
from banchengshi.demo.rectification import settle_rectifications


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
        parser.add_argument(
            "--force",
            action="store_true",
            help="run although DEBUG is off; the demo logins get a random password, shown once",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["cases"]
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this may be a production database: the demo district is "
                "loaded only with --force."
            )
        if count < 0:
            raise CommandError("--cases must be 0 or more")
        # Without DEBUG, no login may keep a password anyone can read in the source.
        password = DEMO_PASSWORD if settings.DEBUG else secrets.token_urlsafe(12)
        if options["if_empty"] and district_exists():
            if settings.DEBUG:
                self.stdout.write("The demo district already exists; nothing was changed.")
            else:
                set_password(password)
                self.stdout.write(
                    "The demo district already exists; only its logins' password was changed."
                )
            self._logins(password)
            return
        district = ensure_district(options["seed"], password=password)
        if not settings.DEBUG:
            set_password(password)  # the people the district had already as well
        self.stdout.write(
            "Demo district created." if district.created else "Demo district already present."
        )
        if ensure_points(district):
            self.stdout.write("Service points created (/points/, /staff/points/).")
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
            library = build_library(district, seed=options["seed"])
            statuses = ", ".join(f"{s} {n}" for s, n in sorted(library.by_status.items()))
            self.stdout.write(
                f"{library.entries} case-library entries from closed cases ({statuses}; "
                f"{library.edited} edited into a second version)."
            )
            settled = settle_rectifications(district, seed=options["seed"])
            self.stdout.write(
                f"Rectifications: {settled['open']} open ({settled['overdue']} overdue), "
                f"{settled['done']} done, {settled['verified']} verified."
            )
        self._logins(password)

    def _logins(self, password: str) -> None:
        self.stdout.write("")
        if password == DEMO_PASSWORD:
            self.stdout.write(f"Demo logins (password for all: {password}):")
        else:
            self.stdout.write(f"Demo logins (password for all: {password} — shown only this once):")
        self.stdout.write(login_table(login_rows()))
        self.stdout.write("")
        self.stdout.write(
            f"Open {URL}/ (the public online window, {URL}/kiosk/ as a self-service terminal); "
            f"staff sign in at {URL}/staff/ (administration at {URL}/admin/, user admin)"
        )
