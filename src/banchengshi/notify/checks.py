from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from banchengshi.notify.sms.templates import TemplateMapError, template_map


@register()
def check_sms_templates(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Refuse to start with an SMS template map that does not validate
    (BANCHENGSHI_SMS_TEMPLATES)."""
    try:
        template_map()
    except TemplateMapError as exc:
        return [Error(str(exc), id="banchengshi.E201")]
    return []


@register()
def check_sms_backend(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Refuse to start with an SMS backend that does not exist or lacks its settings."""
    from banchengshi.notify.senders.sms import GATEWAYS, REQUIRED

    backend = settings.BANCHENGSHI_SMS_BACKEND
    if backend not in GATEWAYS:
        known = ", ".join(GATEWAYS)
        message = f"BANCHENGSHI_SMS_BACKEND={backend!r}: use one of {known}"
        return [Error(message, id="banchengshi.E202")]
    missing = [name for name in REQUIRED.get(backend, ()) if not getattr(settings, name)]
    if missing:
        message = f"BANCHENGSHI_SMS_BACKEND={backend!r} needs {', '.join(missing)}"
        return [Error(message, id="banchengshi.E202")]
    return []
