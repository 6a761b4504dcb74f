from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from banchengshi.notify.sending import send_pending


class Command(BaseCommand):
    help = "Send the messages due in the outbox (`banchengshi outbox send`)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send")
        send.add_argument("--limit", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"sent {send_pending(options['limit'])} messages")
