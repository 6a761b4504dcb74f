from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banchengshi.audit.anchors import anchor_head, anchor_path, check_anchors
from banchengshi.audit.chain import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail (`banchengshi audit verify`) or anchor its head (`anchor`)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "verify",
            help="recompute the chain, name the first broken event, check every anchor",
        )
        sub.add_parser("anchor", help="append the chain's head to the anchor file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            anchor = anchor_head()
            self.stdout.write(f"anchored event #{anchor.seq} ({anchor.hash}) in {anchor_path()}")
            return
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"audit chain broken after {result.checked} good events: {result.problem}"
            )
        anchors = check_anchors()
        if not anchors.ok:
            raise CommandError(
                f"audit chain does not hold to its anchors ({anchor_path()}): {anchors.problem}"
            )
        self.stdout.write(f"audit chain intact: {result.checked} events")
        superseded = f", {anchors.superseded} before a restore" if anchors.superseded else ""
        self.stdout.write(f"anchors hold: {anchors.checked}{superseded} in {anchor_path()}")
