from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banchengshi.backup.manifest import BackupRefused
from banchengshi.backup.operations import RestoreUnverified, check_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `banchengshi backup` into the configured database and "
        "MEDIA_ROOT, after checking its manifest and checksums; then verify the audit chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that holds cases, audit events or users",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="only check the backup (manifest, checksums, engine, migrations)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        try:
            if options["check"]:
                manifest = check_backup(directory)
                self.stdout.write(
                    f"backup {directory} is whole: {len(manifest.files)} files, "
                    f"{manifest.engine}, made {manifest.created_at}"
                )
                return
            restored = restore_backup(directory, force=options["force"])
        except RestoreUnverified as exc:
            raise CommandError(f"restored, but it does NOT verify: {exc}") from exc
        except BackupRefused as exc:
            raise CommandError(f"restore refused: {exc}") from exc
        manifest = restored.manifest
        self.stdout.write(
            f"restored {directory} (made {manifest.created_at}, release {manifest.version}): "
            f"audit chain intact, {restored.events} events, head event #{manifest.audit_seq} "
            f"as the manifest says; anchors hold: {restored.anchors_held}"
        )
        if restored.lost:
            first, last = restored.lost
            self.stdout.write(
                f"events #{first} to #{last}, anchored after the backup was made, are not in it"
            )
        if restored.pending_migrations:
            self.stdout.write(
                f"{restored.pending_migrations} migrations of this release are not applied "
                "yet: run `banchengshi migrate`"
            )
