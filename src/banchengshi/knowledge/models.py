from django.db import models
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Case, Category, Channel, Complexity
from banchengshi.catalog.models import Matter
from banchengshi.org.models import Unit


class ProposalRecord(models.Model):
    """What the proposer proposed for a case at registration and what the case was registered
    with (R-IN-5): per field, whether staff took the proposal, so that the method can be
    retuned from the district's own cases (`banchengshi proposals accuracy`). At a window the
    clerk saw the proposal and chose (`by_staff`); from other channels the proposal is kept
    for the hub, and the registered values are the channel's defaults."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="proposal_record"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    by_staff = models.BooleanField(_("chosen by staff"))
    proposed_category = models.CharField(
        _("proposed category"), max_length=16, choices=Category.choices
    )
    proposed_complexity = models.CharField(
        _("proposed complexity"), max_length=10, choices=Complexity.choices
    )
    proposed_matter = models.ForeignKey(
        Matter,
        verbose_name=_("proposed matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_unit = models.ForeignKey(
        Unit,
        verbose_name=_("proposed unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    final_category = models.CharField(_("final category"), max_length=16, choices=Category.choices)
    final_complexity = models.CharField(
        _("final complexity"), max_length=10, choices=Complexity.choices
    )
    final_matter = models.ForeignKey(
        Matter,
        verbose_name=_("final matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    final_unit = models.ForeignKey(
        Unit,
        verbose_name=_("final unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reasons = models.JSONField(_("reasons"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal record")
        verbose_name_plural = _("proposal records")
        indexes = [models.Index(fields=["by_staff", "-created_at"], name="proposal_by_staff")]

    def __str__(self) -> str:
        return str(self.case)

    def accepted(self, field: str) -> bool:
        """Whether the registered value of a field (category, complexity, matter, unit) is
        the proposed one."""
        suffix = "_id" if field in ("matter", "unit") else ""
        return bool(
            getattr(self, f"proposed_{field}{suffix}") == getattr(self, f"final_{field}{suffix}")
        )
