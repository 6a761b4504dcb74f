from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banchengshi.backup.manifest import BackupRefused
from banchengshi.backup.operations import make_backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database and the uploaded files to DIR (a new or "
        "empty directory), with a manifest of checksums and the audit chain's head."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        try:
            manifest = make_backup(directory)
        except BackupRefused as exc:
            raise CommandError(f"backup refused: {exc}") from exc
        size = sum(entry.size for entry in manifest.files.values())
        self.stdout.write(
            f"backup of the {manifest.engine} database written to {directory}: "
            f"{len(manifest.files)} files, {size} bytes, audit chain head event "
            f"#{manifest.audit_seq}"
        )
