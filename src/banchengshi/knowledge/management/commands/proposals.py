from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from banchengshi.knowledge.proposals.proposer import FIELDS
from banchengshi.knowledge.proposals.records import staff_accuracy


class Command(BaseCommand):
    help = "Proposals at registration (`banchengshi proposals accuracy`)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "accuracy", help="per field, the share of staff-registered cases that kept the proposal"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = staff_accuracy()
        self.stdout.write(f"cases registered by staff with a proposal: {result.records}")
        for field in FIELDS:
            share = result.share(field)
            self.stdout.write(f"{field:<11} {result.accepted[field]:>7} kept  {share:6.1%}")
