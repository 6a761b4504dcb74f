from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """The learning loop (R-KB-*): the case library and knowledge base, proposals at
    registration, rectification of department-side causes, similar open cases and hot spots."""

    name = "banchengshi.knowledge"
    verbose_name = _("Knowledge and learning")

    def ready(self) -> None:
        from banchengshi.audit.chain import events_appended
        from banchengshi.cases.signals import case_registered
        from banchengshi.knowledge.proposals.records import on_case_registered
        from banchengshi.knowledge.rectification.listener import on_events_appended

        # A department-side cause analysis opens a rectification item (R-KB-2) in its
        # transaction: heard on the audit chain, so that cases does not import knowledge.
        events_appended.connect(on_events_appended, dispatch_uid="knowledge.rectification")
        # Every channel registers through the one registration action: each new case's
        # proposal is kept there, without the case engine importing this app.
        case_registered.connect(on_case_registered, dispatch_uid="knowledge.proposals")
