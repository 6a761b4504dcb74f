"""The learning loop's rows. Rectification (R-KB-2): an item per unit and department-side
cause while it is open, the cases behind it, its history and the reminders sent.
Proposals (R-IN-5): what was proposed at registration and what staff kept. The case library
and knowledge base (R-KB-1): entries, their published versions, and the search row the
full-text index is built over (`knowledge.search`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Case, Category, Channel, Complexity
from banchengshi.catalog.models import Matter
from banchengshi.org.models import Unit


class FixTarget(models.TextChoices):
    """What a rectification fixes (seeds 001 §四(五), 002 §三(三))."""

    IMPLEMENTATION_LIST = "implementation_list", _("implementation list")
    PROCESS = "process", _("process")
    SERVICE_GUIDE = "service_guide", _("service guide")
    SYSTEM = "system", _("information system")
    CONDUCT = "conduct", _("conduct")


# The cause code of an item the office ordered (the accountability list) rather than one a
# case's department-side cause opened.
ORDERED_CAUSE = "office_order"


class RectificationStatus(models.TextChoices):
    """Overdue is no status: an open item past its deadline (`due`)."""

    OPEN = "open", _("open")
    DONE = "done", _("done, awaiting verification")
    VERIFIED = "verified", _("verified")


class RectificationItem(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+"
    )
    cause_code = models.CharField(_("cause"), max_length=40)
    target = models.CharField(_("what to fix"), max_length=24, choices=FixTarget.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    # The policy version of the case that opened it: its limit and reminder times.
    policy = models.ForeignKey("cases.PolicyVersion", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"))
    due = models.DateTimeField(_("deadline"))
    provisional = models.BooleanField(default=False)
    remind_at = models.DateTimeField(null=True, blank=True)
    remind_level = models.CharField(max_length=16, blank=True)
    evidence = models.TextField(_("evidence of the fix"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The knowledge entry that records the fix (R-KB-1), linked by the owner unit or the office.
    knowledge_entry = models.ForeignKey(
        "Entry",
        verbose_name=_("knowledge entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        indexes = [
            # A unit's list and the office's list filtered by unit: status, then deadline.
            models.Index(fields=["unit", "status", "due", "id"], name="rectification_unit"),
            # The office's list by status, overdue (the earliest deadlines) first.
            models.Index(fields=["status", "due", "id"], name="rectification_status"),
            # The office's list filtered by what to fix.
            models.Index(fields=["target", "status", "due", "id"], name="rectification_target"),
            # The reminder sweep reads only items with a reminder to come.
            models.Index(
                fields=["remind_at"],
                condition=Q(remind_at__isnull=False),
                name="rectification_remind",
            ),
        ]
        constraints = [
            # One open item per unit and cause: later cases join it.
            models.UniqueConstraint(
                fields=["unit", "cause_code"],
                condition=Q(status="open"),
                name="rectification_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.cause_code}"


class RectificationCase(models.Model):
    """A case behind an item."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "case"], name="rectification_case_once")
        ]
        indexes = [models.Index(fields=["case"], name="rectification_of_case")]


class RectificationAction(models.TextChoices):
    OPENED = "opened", _("opened")
    CASE_ADDED = "case_added", _("case added")
    DONE = "done", _("reported done")
    VERIFIED = "verified", _("verified")
    SENT_BACK = "sent_back", _("sent back")
    ENTRY_LINKED = "entry_linked", _("knowledge entry linked")
    ENTRY_UNLINKED = "entry_unlinked", _("knowledge entry unlinked")


class RectificationEvent(models.Model):
    """An item's history, one row per transition (each is also on the audit chain)."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=RectificationAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["item", "id"], name="rectification_history")]


class RectificationFile(models.Model):
    """A file of the evidence of a fix (a revised guide, a screenshot of the changed system),
    kept as a case's attachments are (cases.attachments: kind judged by the bytes, a random
    name on disk) and served only to people who see the item."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="rectification/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["item", "id"], name="rectification_files")]


class RectificationReminder(models.Model):
    """A reminder level sent for an item's deadline: once per item, level and deadline."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=16)
    due = models.DateTimeField()
    sent_at = models.DateTimeField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "level", "due"], name="rectification_reminded_once"
            )
        ]


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
    # The digest of the rules file that proposed (rules.Rules.version): accuracy before and
    # after a retuning can be told apart.
    rules_version = models.CharField(_("rules version"), max_length=12, blank=True)
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


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("staff only")
    PUBLIC = "public", _("also on the public FAQ")


class Entry(models.Model):
    """One problem and its solution, shared by every center. The texts here are the working
    copy: while published, an edit goes back to draft and the published text stays in the
    last `EntryVersion` until the reviewer publishes again."""

    problem = models.TextField(_("problem"))
    cause_code = models.CharField(_("cause"), max_length=32, blank=True)
    solution = models.TextField(_("solution"))
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    matters = models.ManyToManyField(
        Matter, verbose_name=_("service matters"), blank=True, related_name="+"
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("departments"), blank=True, related_name="+"
    )
    source_cases = models.ManyToManyField(
        Case, verbose_name=_("source cases"), blank=True, related_name="knowledge_entries"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who last wrote the working copy (the author, or a reviewer or author editing it later).
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    # The number of the last published version (0: never published).
    published_version = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("knowledge entry")
        verbose_name_plural = _("knowledge entries")
        indexes = [
            # The lists without a query: staff by status, the FAQ its public entries, newest first.
            models.Index(fields=["status", "-id"], name="kb_entry_status"),
            models.Index(fields=["status", "visibility", "-id"], name="kb_entry_public"),
            # The staff list filtered by cause.
            models.Index(fields=["cause_code", "-id"], name="kb_entry_cause"),
        ]

    def __str__(self) -> str:
        return self.problem[:40]


class EntryVersion(models.Model):
    """The text of an entry as it was published, each publication one row: what the FAQ and
    the staff read while a newer draft waits for review, and the history of the entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    problem = models.TextField()
    cause_code = models.CharField(max_length=32, blank=True)
    solution = models.TextField()
    tags = models.CharField(max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who wrote this version's text last (None for versions published before it was kept).
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="kb_version_unique")
        ]


class EntrySearch(models.Model):
    """An entry's published text as index tokens (`textsearch`), rewritten on each
    publication and removed on withdrawal: only published entries are found by search.

    On SQLite, triggers keep the FTS5 index in step with this table; a migration that makes
    Django rebuild the table drops them, so it must call ENTRY_INDEX.create again."""

    entry = models.OneToOneField(
        Entry, primary_key=True, on_delete=models.CASCADE, related_name="search_row"
    )
    problem = models.TextField()
    tags = models.TextField()
    solution = models.TextField()
    matters = models.TextField()
    # Copied from the entry so that the FAQ's search needs no join to refuse internal ones.
    public = models.BooleanField(default=False)


# Defined in their area's package, registered with the app here (Django looks in models.py).
from banchengshi.knowledge.hotspots.models import (  # noqa: E402
    CaseGroup,
    CaseGroupMember,
    HotspotAlert,
    HotspotDimension,
)

__all__ = ["CaseGroup", "CaseGroupMember", "HotspotAlert", "HotspotDimension"]
