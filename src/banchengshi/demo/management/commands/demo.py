"""`banchengshi demo`: load the demo district and print its logins."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandParser

DEMO_PASSWORD = "banchengshi-demo"


class Command(BaseCommand):
    help = "Load the demo district (users for every role) and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when demo users already exist"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["if_empty"] and User.objects.filter(username="admin").exists()):
            admin, _ = User.objects.get_or_create(
                username="admin", defaults={"is_staff": True, "is_superuser": True}
            )
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write("  admin   system administrator, http://127.0.0.1:8000/admin/")
