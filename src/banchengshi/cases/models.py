"""Cases and what hangs off them. Models are thin: every change goes through cases.actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from banchengshi.cases.special_groups import SpecialGroupFields
from banchengshi.catalog.models import Matter
from banchengshi.encryption.fields import EncryptedCharField, SearchHashField
from banchengshi.org.models import Unit


class Channel(models.TextChoices):
    WINDOW = "window", _("service-center window")
    PORTAL = "portal", _("web portal")
    MOBILE = "mobile", _("mobile page")
    KIOSK = "kiosk", _("self-service terminal")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline")
    MIDWAY_EXIT = "midway_exit", _("portal mid-way exit")
    REVIEW_PLATFORM = "review_platform", _("good/bad-review platform")
    SUGGESTION_BOX = "suggestion_box", _("suggestion box")
    OPEN311 = "open311", _("Open311 client")
    API = "api", _("external system")
    # A neighbourhood service point's video link to an acceptance center (seed 003, R-NB-2).
    REMOTE_WINDOW = "remote_window", _("remote virtual window")


class PetitionerType(models.TextChoices):
    PERSON = "person", _("person")
    ENTERPRISE = "enterprise", _("enterprise")


class Category(models.TextChoices):
    CONSULTATION = "consultation", _("consultation")
    HANDLING = "handling", _("handling")
    COMPLAINT = "complaint", _("complaint")
    SUGGESTION = "suggestion", _("suggestion")


class Complexity(models.TextChoices):
    SIMPLE = "simple", _("simple")
    GENERAL = "general", _("general")
    COMPLEX = "complex", _("complex")
    SPECIAL = "special", _("special")


class State(models.TextChoices):
    REGISTERED = "registered", _("registered")
    NOT_ADMISSIBLE = "not_admissible", _("not admissible")
    AWAITING_DISPATCH = "awaiting_dispatch", _("awaiting dispatch")
    DISPATCHED = "dispatched", _("dispatched")
    IN_PROGRESS = "in_progress", _("in progress")
    REPLIED = "replied", _("replied")
    CLOSED = "closed", _("closed")


class CauseSide(models.TextChoices):
    PETITIONER = "petitioner", _("petitioner side")
    DEPARTMENT = "department", _("department side")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("very satisfied")
    SATISFIED = 4, _("satisfied")
    BASICALLY_SATISFIED = 3, _("basically satisfied")
    DISSATISFIED = 2, _("dissatisfied")
    VERY_DISSATISFIED = 1, _("very dissatisfied")


class PolicyVersion(models.Model):
    """The text of a policy as a case was accepted under it, so old cases keep their rules."""

    key = models.CharField(max_length=80, unique=True)
    name = models.CharField(max_length=40)
    version = models.CharField(max_length=40)
    content = models.TextField()

    def __str__(self) -> str:
        return self.key


class TrackingSequence(models.Model):
    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="tracking_sequence_unique")
        ]


class Case(SpecialGroupFields):
    tracking_no = models.CharField(_("tracking number"), max_length=24, unique=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    registered_unit = models.ForeignKey(
        Unit, verbose_name=_("registered at"), on_delete=models.PROTECT, related_name="+"
    )
    window = models.CharField(_("window"), max_length=60, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    petitioner_type = models.CharField(
        _("petitioner type"), max_length=12, choices=PetitionerType.choices
    )
    petitioner_name = models.CharField(_("name"), max_length=100)
    phone = EncryptedCharField(_("phone"), max_length=24)
    id_number = EncryptedCharField(_("ID number"), max_length=18, blank=True)
    enterprise_name = models.CharField(_("enterprise name"), max_length=200, blank=True)
    credit_code = EncryptedCharField(_("unified social credit code"), max_length=18, blank=True)
    # The keyed hashes that find a petitioner's earlier cases (encryption.fields.equal_to).
    phone_hash = SearchHashField(source="phone")
    id_number_hash = SearchHashField(source="id_number")
    credit_code_hash = SearchHashField(source="credit_code")
    matter = models.ForeignKey(
        Matter, verbose_name=_("service matter"), null=True, blank=True, on_delete=models.PROTECT
    )
    matter_text = models.CharField(_("matter (free text)"), max_length=200, blank=True)
    department = models.ForeignKey(
        Unit,
        verbose_name=_("department involved"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    failed_at_unit = models.ForeignKey(
        Unit,
        verbose_name=_("where the business failed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    online_application_no = models.CharField(
        _("online application number"), max_length=64, blank=True
    )
    visits_count = models.PositiveSmallIntegerField(_("times already come"), default=1)
    description = models.TextField(_("what failed"))
    request = models.TextField(_("what the person asks for"), blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    complexity = models.CharField(_("complexity"), max_length=10, choices=Complexity.choices)
    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    returns_count = models.PositiveSmallIntegerField(_("returns"), default=0)
    on_the_spot = models.BooleanField(_("resolved on the spot"), default=False)
    not_admissible_reason = models.TextField(_("why not admissible"), blank=True)
    cause_code = models.CharField(_("cause"), max_length=32, blank=True)
    cause_side = models.CharField(
        _("cause side"), max_length=12, choices=CauseSide.choices, blank=True
    )
    cause_note = models.TextField(_("cause analysis"), blank=True)
    reply_text = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), choices=Satisfaction.choices, null=True, blank=True
    )
    solved = models.BooleanField(_("solved"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspended since"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    external_source = models.CharField(_("external source"), max_length=32, blank=True)
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="case_received"),
            models.Index(fields=["state", "-received_at"], name="case_state_received"),
            models.Index(fields=["phone_hash", "-received_at"], name="case_phone_received"),
            models.Index(fields=["id_number_hash", "-received_at"], name="case_id_number_received"),
            models.Index(
                fields=["credit_code_hash", "-received_at"], name="case_credit_code_received"
            ),
            models.Index(fields=["matter", "-received_at"], name="case_matter_received"),
            models.Index(
                fields=["-received_at"], condition=Q(fast_channel=True), name="case_fast_channel"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~Q(external_source=""),
                name="case_external_record_unique",
            )
        ]

    def __str__(self) -> str:
        return self.tracking_no


class CaseUnit(models.Model):
    """Which units a case concerns, and how; the index behind every unit-scoped list."""

    class Relation(models.TextChoices):
        REGISTERED = "registered", _("registered at")
        OWNER = "owner", _("responsible")
        HANDLING = "handling", _("handling")
        COHANDLING = "cohandling", _("co-handling")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(max_length=12, choices=Relation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "unit", "relation"], name="case_unit_unique")
        ]
        indexes = [models.Index(fields=["unit", "case"], name="case_unit_by_unit")]


class ClockKind(models.TextChoices):
    CONTACT = "contact", _("first contact")
    CAUSE_ANALYSIS = "cause_analysis", _("cause analysis")
    REPLY = "reply", _("reply")
    NOT_ADMISSIBLE_REPLY = "not_admissible_reply", _("reply with reasons")
    COHANDLING = "cohandling", _("co-handling")
    RETURN_VISIT = "return_visit", _("return visit")


class Clock(models.Model):
    """A running or stopped deadline of a case; the colour is derived when read."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(max_length=24, choices=ClockKind.choices)
    limit_name = models.CharField(max_length=40, blank=True)
    round = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField()
    due = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    # Working days added by approved extensions and by time suspended, kept so that a
    # recomputation under another limit (liuzhou's cause side) does not lose them.
    extra_workdays = models.PositiveSmallIntegerField(default=0)
    task = models.ForeignKey(
        "CoHandlingTask", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The working days of a deadline set by hand (co-handling, supervision); a clock under a
    # policy limit names it in `limit_name`. Either recomputes the deadline from `started_at`.
    workdays = models.PositiveSmallIntegerField(null=True, blank=True)
    # Counted through a year whose schedule was not loaded (Monday to Friday assumed, R-SLA-1):
    # recomputed when the year is loaded, found through the partial index.
    provisional = models.BooleanField(default=False)
    # Pauses (suspensions) whose working days were counted with a year assumed:
    # [[first day, last day, count], ...], counted again when the year is loaded.
    pauses: Any = models.JSONField(default=list, blank=True)
    # The next reminder (R-SLA-6): when, and which level (policy.reminders.ReminderLevel);
    # NULL once stopped, paused or past red. Set by cases.clocks.arm from due, paused_at and
    # stopped_at whenever one of them is written, moved on by cases.reminders.sweep.
    remind_at = models.DateTimeField(null=True, blank=True)
    remind_level = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["due"]
        indexes = [
            models.Index(fields=["case", "kind"], name="clock_case_kind"),
            models.Index(fields=["id"], condition=Q(provisional=True), name="clock_provisional"),
            # The reminder sweep's range scan: only clocks with a reminder to come.
            models.Index(
                fields=["remind_at"],
                condition=Q(remind_at__isnull=False),
                name="clock_remind_at",
            ),
            # The clocks running now, by deadline: what is overdue (the office's digest).
            models.Index(
                fields=["due"],
                condition=Q(stopped_at__isnull=True, paused_at__isnull=True),
                name="clock_running_due",
            ),
        ]


class WorkKind(models.TextChoices):
    SCREEN = "screen", _("screen")
    DISPATCH = "dispatch", _("dispatch")
    RECEIVE = "receive", _("receive")
    HANDLE = "handle", _("handle")
    COHANDLE = "cohandle", _("co-handle")
    APPROVE = "approve", _("approve a request")
    RETURN_VISIT = "return_visit", _("return visit")
    REPLY_REASONS = "reply_reasons", _("reply with reasons")
    SUPERVISE = "supervise", _("consider supervision")
    CLOSE = "close", _("close")


# The longest free text a person may type into one field (descriptions, replies, reasons).
MAX_TEXT = 5000

# Work without a deadline sorts after all work with one. A far date rather than NULL, because
# SQLite's indexes put NULLs first and "most urgent first" must be an index range scan.
NO_DUE = dt.datetime(2999, 12, 31, tzinfo=dt.UTC)


class WorkItem(models.Model):
    """Open work: who must act on a case next. Rows are deleted when the work is done, so the
    table holds only open work and a worklist page is one index range scan."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="work_items")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=WorkKind.choices)
    due = models.DateTimeField(default=NO_DUE)
    task = models.ForeignKey(
        "CoHandlingTask", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The deadline counted through a year whose schedule was not loaded (see Clock).
    provisional = models.BooleanField(default=False)
    # The case's fast channel (绿色通道), copied so that the hub's queues put it first
    # through their own index (work_unit_fast_due) rather than a sort over a join.
    fast = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["id"], condition=Q(provisional=True), name="work_provisional"),
            models.Index(fields=["unit", "due", "id"], name="work_unit_due"),
            # The most overdue work of every unit (the dashboard's ten): (unit, due, id) orders
            # by due only within one unit, and without it the ten were found by joining and
            # sorting every overdue item. The unit, included, lets a reader of some units skip
            # the others' rows in the index itself (PostgreSQL; SQLite ignores INCLUDE).
            models.Index(fields=["due", "id"], include=["unit"], name="work_due"),
            models.Index(fields=["unit", "-fast", "due", "id"], name="work_unit_fast_due"),
            models.Index(fields=["case", "kind"], name="work_case_kind"),
        ]

    @property
    def has_due(self) -> bool:
        return self.due < NO_DUE


class OpenWorkDay(models.Model):
    """Open work items counted by unit and the local day of their deadline, for the counts by
    colour of every unit at once (the dashboard, the unit tree), whose cost must not grow with
    the open work. Kept by triggers on WorkItem (cases.open_work): each insert, delete and
    change of unit or deadline adds a row of +1 or -1, so no writer waits for another on a
    shared counter; the job cases.open_work adds them up every few minutes."""

    # No constraint: the rows of a deleted unit's work are added up to nothing and dropped.
    unit = models.ForeignKey(
        Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    day = models.DateField()
    items = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["unit", "day"], name="open_work_unit_day")]


class CoHandlingTask(models.Model):
    class TaskState(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cohandling_tasks")
    unit = models.ForeignKey(Unit, verbose_name=_("co-handling unit"), on_delete=models.PROTECT)
    request = models.TextField(_("what is asked"))
    due = models.DateTimeField(_("due"))
    state = models.CharField(max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)


class ContactMethod(models.TextChoices):
    PHONE = "phone", pgettext_lazy("how a contact was made", "phone")
    SMS = "sms", _("SMS")
    VISIT = "visit", _("visit")
    IN_PERSON = "in_person", _("in person")


class ReplyChannel(models.TextChoices):
    """How the final answer reached the petitioner."""

    SMS = "sms", _("SMS")
    PHONE = "phone", pgettext_lazy("how a contact was made", "phone")
    EMAIL = "email", _("e-mail")
    IN_PERSON = "in_person", _("in person")
    LETTER = "letter", _("letter")


class ContactRecord(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    contacted_at = models.DateTimeField(_("contacted at"))
    method = models.CharField(_("how"), max_length=12, choices=ContactMethod.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.TextField(_("outcome"))


class ClockRequest(models.Model):
    """An extension (延期) or a suspension (挂起), asked for and then approved or refused."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", _("extension")
        SUSPENSION = "suspension", _("suspension")

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        ENDED = "ended", _("ended")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clock_requests")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)


class ReturnVisit(models.Model):
    """An opinion of the answer: a return visit by the handling unit or the hub (R-RV-1), or
    the petitioner's own rating on a public page or through the reply's link (R-RV-2)."""

    class By(models.TextChoices):
        UNIT = "unit", _("handling unit")
        HUB = "hub", _("hub")
        PETITIONER = "petitioner", _("the petitioner")

    class Channel(models.TextChoices):
        SMS_LINK = "sms_link", _("link in the reply's SMS")
        PORTAL = "portal", _("tracking page")
        KIOSK = "kiosk", _("self-service terminal")
        # Handed to the petitioner by a clerk of the registering center (TabletHandoff).
        WINDOW_TABLET = "window_tablet", _("tablet at the window")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="return_visits")
    by = models.CharField(max_length=12, choices=By.choices)
    round = models.PositiveSmallIntegerField()
    # None when the petitioner rated on a public page: nobody of the staff asked.
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where the petitioner rated; blank for a return visit by staff.
    channel = models.CharField(max_length=16, choices=Channel.choices, blank=True)
    visited_at = models.DateTimeField()
    satisfaction = models.PositiveSmallIntegerField(choices=Satisfaction.choices)
    solved = models.BooleanField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            # One rating by the petitioner per round: a second click of the link changes
            # nothing (staff may visit as often as they need).
            models.UniqueConstraint(
                fields=["case", "round"],
                condition=Q(by="petitioner"),
                name="return_visit_one_rating_per_round",
            )
        ]


class TabletHandoff(models.Model):
    """The window's tablet handed to the petitioner to rate one answer (R-RV-2): opened on the
    case page by a clerk of the center that registered the case, for the case's current round;
    it works once, only in that clerk's session, until `expires_at`
    (cases.actions.tablet)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tablet_handoffs")
    round = models.PositiveSmallIntegerField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The tablet's waiting screen asks for the clerk's handoffs of the last few minutes.
        indexes = [models.Index(fields=["opened_by", "opened_at"], name="tablet_handoff_clerk")]


class Supervision(models.Model):
    """督办: a replied or closed case reopened with a new deadline (R-RV-3)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervisions")
    round = models.PositiveSmallIntegerField()
    reason = models.TextField(_("reason"))
    due = models.DateTimeField(_("new deadline"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()


class Attachment(models.Model):
    """A file kept with a case (a photo of a notice, a scanned form). Files live under
    MEDIA_ROOT and are served only through a view that checks the person may see the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["case", "uploaded_at"], name="attachment_case")]


class CaseSearch(models.Model):
    """What staff search finds a case by, as index tokens (`cases.search`); the database's
    full-text index over these columns (`textsearch.index`) answers the search. One row per
    case, written with the case (registration, the demo generator): the fields it is made of
    never change afterwards. The full phone is not here, only its last four digits.

    On SQLite, triggers keep the FTS5 index in step with this table; a migration that makes
    Django rebuild the table (SQLite's way of altering one) drops them, so it must call
    CASE_INDEX.create again."""

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="search_row"
    )
    # "t" + the tracking number's digits reversed (its last digits are a prefix of it), and
    # "p" + the phone's last four digits.
    ids = models.TextField()
    # Petitioner's and enterprise's names, each one whole token (searched by its start).
    names = models.TextField()
    # The matter's catalogue name and the free text naming it, as bigrams and words.
    matter = models.TextField()
    # What failed and what the person asks for, as bigrams and words.
    body = models.TextField()
