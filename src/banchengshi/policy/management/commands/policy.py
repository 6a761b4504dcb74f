"""`banchengshi policy show NAME` and `banchengshi policy list`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    no_translations,
)

from banchengshi.policy.rules import PolicyError, available_policies, load_policy


class Command(BaseCommand):
    help = "List the shipped policies or show one policy's time limits."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="the shipped policies and the one in force")
        show = sub.add_parser("show", help="one policy's limits and clocks")
        show.add_argument("name")

    # The limits in English whatever the site's language, as every other line here.
    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for name in available_policies():
                marker = "*" if name == settings.BANCHENGSHI_POLICY else " "
                policy = load_policy(name)
                self.stdout.write(f"{marker} {name} {policy.version}  {policy.title}")
            return
        try:
            policy = load_policy(options["name"])
        except PolicyError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{policy.name} {policy.version}  {policy.title}")
        self.stdout.write(f"source: {policy.source}")
        hours = int(policy.yellow_window.total_seconds() // 3600)
        self.stdout.write(f"yellow warning: {hours} hours before a deadline")
        for limit in policy.limits.values():
            self.stdout.write(f"  {limit.name:<22} {limit.describe():<16} {limit.label}")
        choices = ", ".join(f"{k} → {v}" for k, v in policy.reply.choices.items())
        self.stdout.write(
            f"reply clock by {policy.reply.by}: {choices} (until known: {policy.reply.default})"
        )
        for clock, limit_name in policy.clocks.items():
            self.stdout.write(f"{clock} clock: {limit_name}")
