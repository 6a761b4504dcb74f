"""The `banchengshi` console script: Django's manage with the project's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    if sys.argv[1:2] == ["demo"]:
        # The demo's app is installed for development only (settings.INSTALLED_APPS); asked
        # for by name, it is loaded so that the command refuses with its reason without
        # DEBUG (or runs, with --force) instead of being an unknown command.
        os.environ["BANCHENGSHI_DEMO"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
