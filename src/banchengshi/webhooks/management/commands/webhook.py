"""`banchengshi webhook add URL [--events a,b] [--description …] | list | remove ID | enable ID`:
outbound webhook endpoints (R-API-3). The signing secret is printed once, at creation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from banchengshi.errors import ActionRefused
from banchengshi.ids import parse_number
from banchengshi.webhooks.actions import (
    check_new_endpoint,
    do_add_endpoint,
    do_enable_endpoint,
    do_remove_endpoint,
    endpoint_not_found,
)
from banchengshi.webhooks.models import WebhookEndpoint
from banchengshi.webhooks.selectors import endpoints_with_last_attempt


def events_text(endpoint: WebhookEndpoint) -> str:
    return ",".join(endpoint.event_types) or _("all")


class Command(BaseCommand):
    help = (
        "Add, list, remove and enable webhook endpoints. The secret is printed once, at creation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        common = CommandParser(add_help=False)
        common.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the language of the messages",
        )
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", parents=[common], help="add an endpoint; prints its secret")
        add.add_argument("url")
        add.add_argument("--events", default="", help="case events, comma-separated (default: all)")
        add.add_argument("--description", default="")
        sub.add_parser("list", parents=[common], help="list endpoints (never their secrets)")
        for name, what in (("remove", "remove an endpoint"), ("enable", "enable it again")):
            command = sub.add_parser(name, parents=[common], help=what)
            command.add_argument("id")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            try:
                getattr(self, f"_{options['action']}")(options)
            except ActionRefused as exc:
                raise CommandError(str(exc.message)) from None

    def _add(self, options: dict[str, Any]) -> None:
        new = check_new_endpoint(
            url=options["url"],
            events=options["events"].split(","),
            description=options["description"],
        )
        endpoint, secret = do_add_endpoint(new)
        self.stdout.write(secret)
        self.stderr.write(
            _(
                "Webhook endpoint %(id)d added: %(url)s (events: %(events)s). The secret above "
                "is shown only now: give it to the receiver."
            )
            % {"id": endpoint.pk, "url": endpoint.url, "events": events_text(endpoint)}
        )

    def _list(self, options: dict[str, Any]) -> None:
        self.stdout.write(
            "\t".join([_("ID"), _("state"), _("failures"), _("last"), _("events"), _("URL")])
        )
        for endpoint in endpoints_with_last_attempt():
            last = endpoint.last_status or endpoint.last_error or "-"  # type: ignore[attr-defined]
            row = [
                str(endpoint.pk),
                _("enabled") if endpoint.enabled else _("disabled"),
                str(endpoint.consecutive_failures),
                str(last),
                events_text(endpoint),
                endpoint.url,
            ]
            self.stdout.write("\t".join(row))

    def _remove(self, options: dict[str, Any]) -> None:
        endpoint_id = _endpoint_id(options["id"])
        endpoint = do_remove_endpoint(endpoint_id)
        self.stdout.write(
            _("Webhook endpoint %(id)d removed: %(url)s") % {"id": endpoint_id, "url": endpoint.url}
        )

    def _enable(self, options: dict[str, Any]) -> None:
        endpoint = do_enable_endpoint(_endpoint_id(options["id"]))
        self.stdout.write(
            _("Webhook endpoint %(id)d enabled: %(url)s") % {"id": endpoint.pk, "url": endpoint.url}
        )


def _endpoint_id(text: str) -> int:
    endpoint_id = parse_number(text)
    if endpoint_id is None:
        raise endpoint_not_found(text)
    return endpoint_id
