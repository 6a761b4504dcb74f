"""The case library and knowledge base (R-KB-1): entries, their published versions, and the
search row the full-text index is built over (`knowledge.search`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Case
from banchengshi.catalog.models import Matter
from banchengshi.org.models import Unit


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
