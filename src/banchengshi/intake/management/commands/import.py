"""`banchengshi import FILE --source 12345 [--dry-run] [--report rejected.csv]`.

Registers the rows of a CSV or XLSX export of an external source as cases, as the source's
own intake account (its `account`, "intake" unless the source's file names another: a person
holding the dispatcher role at the hub). Only that account registers under the source's ids
(issue 15), so the command takes no other.
Progress goes to stderr; the summary and every rejected row, with its reason, to stdout.
Exit status: 0 when every row was taken in, 2 when some were rejected, 1 when the file could
not be read at all."""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from banchengshi.intake.importer import ImportFileError, ImportReport, import_table, read_table
from banchengshi.intake.sources import all_sources
from banchengshi.org.models import Role
from banchengshi.org.scope import scope_for


class ProgressBar:
    """A bar redrawn in place on a terminal, a line every 10% (or 1,000 rows when the file
    does not say how many it has) in a log."""

    WIDTH = 30

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.next_line = 0.1
        self.done = 0
        self.total: int | None = None
        self.written = ""

    def __call__(self, done: int, total: int | None) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if self.interactive:
            if now - self.drawn_at >= 0.2:
                self.drawn_at = now
                self._write("\r" + self._line(now), ending="")
            return
        fraction = done / total if total else None
        due = done % 1000 == 0 if fraction is None else fraction >= self.next_line
        if due:
            self.next_line = (int((fraction or 0) * 10) + 1) / 10
            self._write(self._line(now))

    def _line(self, now: float) -> str:
        rate = self.done / max(now - self.started, 1e-6)
        if not self.total:
            return f"{self.done:,} rows · {rate:,.0f} rows/s"
        filled = int(min(self.done / self.total, 1.0) * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        return f"[{bar}] {self.done:,}/{self.total:,} rows · {rate:,.0f} rows/s"

    def _write(self, text: str, ending: str = "\n") -> None:
        # Not in the red that Django gives stderr on a terminal: progress is no error.
        self.stream.write(text, style_func=lambda plain: plain, ending=ending)
        self.written = text

    def finish(self) -> None:
        """The final state, whatever was last drawn."""
        line = self._line(time.monotonic())
        if self.interactive:
            self._write("\r" + line)
        elif self.done and self.written.split(" · ")[0] != line.split(" · ")[0]:
            self._write(line)


class Command(BaseCommand):
    help = (
        "Import the records of an external source (12345, mid-way exit, reviews) from CSV or XLSX."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .csv or .xlsx file; row 1 names the columns")
        parser.add_argument(
            "--source", required=True, help=f"one of: {', '.join(sorted(all_sources()))}"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate every row and write nothing"
        )
        parser.add_argument("--report", type=Path, help="also write the rejected rows to this CSV")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the language of the messages",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        source = all_sources().get(options["source"])
        if source is None:
            raise CommandError(
                _("Unknown source “%(source)s”; the sources are: %(sources)s.")
                % {"source": options["source"], "sources": ", ".join(sorted(all_sources()))}
            )
        actor = self._system_account(source.account)
        progress = ProgressBar(self.stderr)
        try:
            table = read_table(options["file"])
            report = import_table(
                actor, source, table, dry_run=options["dry_run"], progress=progress
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        finally:
            progress.finish()
        self._summary(report)
        if options["report"] is not None:
            self._write_report(options["report"], report)
        if report.rejected:
            raise CommandError(
                ngettext(
                    "%(count)d row was rejected.",
                    "%(count)d rows were rejected.",
                    len(report.rejected),
                )
                % {"count": len(report.rejected)},
                returncode=2,
            )

    def _system_account(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(
                _(
                    "There is no active account “%(user)s”, the source's intake account. Create "
                    "it with the dispatcher role at the hub."
                )
                % {"user": username}
            )
        if Role.DISPATCHER not in scope_for(user).roles:
            raise CommandError(
                _(
                    "“%(user)s” does not hold the dispatcher role, which registers external "
                    "records at the hub."
                )
                % {"user": username}
            )
        return user

    def _summary(self, report: ImportReport) -> None:
        if report.missing_columns:
            self.stdout.write(
                _("Columns not in the file (left empty): %(columns)s")
                % {"columns": "、".join(report.missing_columns)}
            )
        for rejected in report.rejected:
            reasons = "; ".join(
                f"{column}: {message}" if column else message
                for column, message in rejected.problems
            )
            self.stdout.write(
                _("Row %(row)d (%(id)s): %(reasons)s")
                % {"row": rejected.row, "id": rejected.record_id or "-", "reasons": reasons}
            )
        counts = {
            "rows": report.rows,
            "created": report.created,
            "existing": report.existing,
            "rejected": len(report.rejected),
        }
        if report.dry_run:
            line = _(
                "Dry run, nothing written: %(rows)d rows; %(created)d would be registered, "
                "%(existing)d are registered already, %(rejected)d rejected."
            )
        else:
            line = _(
                "%(rows)d rows: %(created)d registered, %(existing)d registered already, "
                "%(rejected)d rejected."
            )
        self.stdout.write(line % counts)

    def _write_report(self, path: Path, report: ImportReport) -> None:
        # utf-8-sig: Excel opens it with the Chinese intact.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([_("row"), _("record id"), _("column"), _("problem")])
            for rejected in report.rejected:
                for column, message in rejected.problems:
                    writer.writerow([rejected.row, rejected.record_id, column, message])
