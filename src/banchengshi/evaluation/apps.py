from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Service evaluations (好差评, R-NB-4, 国办发〔2019〕51号): a rating of any service, from
    any channel; every bad one verified, answered and rectified within a time limit."""

    name = "banchengshi.evaluation"
    verbose_name = _("Service evaluation")

    def ready(self) -> None:
        from banchengshi.evaluation import checks  # noqa: F401  (registers the system check)
