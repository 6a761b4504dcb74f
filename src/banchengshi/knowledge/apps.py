from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """The learning loop (R-KB-*): the case library and knowledge base, proposals at
    registration, rectification of department-side causes, similar open cases and hot spots."""

    name = "banchengshi.knowledge"
    verbose_name = _("Knowledge and learning")
