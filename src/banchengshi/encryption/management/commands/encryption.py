from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand, CommandParser

from banchengshi.encryption.keys import keys
from banchengshi.encryption.rotation import encrypted_tables, rotate


class Command(BaseCommand):
    help = (
        "Keys of encryption at rest: `new-keys` prints a fresh pair for the settings, `rotate` "
        "rewrites every encrypted value and keyed hash under the newest keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("new-keys", help="print a new field key and a new search key")
        sub.add_parser("rotate", help="rewrite every row under the first key of each setting")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "new-keys":
            self.stdout.write(f"BANCHENGSHI_FIELD_KEYS={Fernet.generate_key().decode()}")
            self.stdout.write(f"BANCHENGSHI_SEARCH_KEYS={Fernet.generate_key().decode()}")
            return
        newest = keys().field_fingerprints[0]
        total = 0
        for table in encrypted_tables():
            count = rotate(table)
            total += count
            self.stdout.write(f"{table.model._meta.label}: {count} rows")
        self.stdout.write(f"rotated {total} rows to field key {newest} and the first search key")
