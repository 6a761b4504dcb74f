from typing import Any

from django.core.checks import CheckMessage, Error, register

from banchengshi.policy.rules import PolicyError, policy_in_force


@register()
def check_policy_in_force(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Refuse to start under a policy that does not validate (setting BANCHENGSHI_POLICY)."""
    try:
        policy_in_force()
    except PolicyError as exc:
        return [Error(str(exc), id="banchengshi.E001")]
    return []
