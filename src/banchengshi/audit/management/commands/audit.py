from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banchengshi.audit.chain import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain (`banchengshi audit verify`)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute the chain and name the first broken event")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"audit chain broken after {result.checked} good events: {result.problem}"
            )
        self.stdout.write(f"audit chain intact: {result.checked} events")
