from typing import Any

from django.core.checks import CheckMessage, Error, register

from banchengshi.intake.sources import SourceError, all_sources


@register()
def check_sources(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Refuse to start with an intake source file that does not validate."""
    try:
        all_sources()
    except SourceError as exc:
        return [Error(str(exc), id="banchengshi.E101")]
    return []
