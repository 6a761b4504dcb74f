from typing import Any

from django.core.checks import CheckMessage, Error, register

from banchengshi.evaluation.policy import EvaluationPolicyError, evaluation_policy


@register()
def check_policy(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Refuse to start with an evaluation policy that does not validate."""
    try:
        evaluation_policy()
    except EvaluationPolicyError as exc:
        return [Error(str(exc), id="banchengshi.E301")]
    return []
