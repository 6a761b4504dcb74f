"""One form per action on the case page.

A form only turns what was posted into the arguments of its `check_*` action. The rules
(lengths, ranges, which unit, who may, in which state) are the action's; its InvalidInput errors
come back onto the fields of the same names. The units and causes offered are a convenience:
the action checks whatever is sent.
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib.auth.models import User
from django.forms import BoundField
from django.forms.forms import DeclarativeFieldsMetaclass
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from banchengshi.cases import attachments, causes
from banchengshi.cases.actions.answer import (
    check_reply_case,
    check_return_visit,
    check_supervise_case,
    do_close_case,
)
from banchengshi.cases.actions.clock_requests import (
    check_decide_request,
    check_request_extension,
    check_request_suspension,
    do_resume_case,
)
from banchengshi.cases.actions.cohandling import check_answer_cohandling, check_request_cohandling
from banchengshi.cases.actions.dispatch import (
    check_dispatch_case,
    check_resolve_on_spot,
    check_return_case,
    check_screen_case,
    do_dispatch_down,
    do_receive_case,
)
from banchengshi.cases.actions.handling import check_record_cause, check_record_contact
from banchengshi.cases.actions.tablet import do_hand_tablet
from banchengshi.cases.models import (
    MAX_TEXT,
    Category,
    CauseSide,
    Complexity,
    ContactMethod,
    Satisfaction,
)
from banchengshi.cases.states import Act
from banchengshi.knowledge.actions import check_draft_from_case
from banchengshi.org.models import Unit
from banchengshi.web.forms.fields import NumberField, TextField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TEXT = forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT})
DAYS = forms.NumberInput(attrs={"min": 1, "class": "days"})
CHOOSE = ("", _("Choose…"))
YES_NO = (("yes", _("Yes")), ("no", _("No")))
REPLY_CHANNELS = (
    ("sms", _("SMS")),
    ("phone", pgettext_lazy("how a contact was made", "phone")),
    ("email", _("e-mail")),
    ("in_person", _("in person")),
    ("letter", _("letter")),
)


def _yes(value: str) -> bool:
    return value == "yes"


def _yes_no(label: StrOrPromise, choices: Iterable[tuple[str, Any]] = YES_NO) -> forms.Field:
    return forms.TypedChoiceField(
        label=label, choices=list(choices), coerce=_yes, widget=forms.RadioSelect
    )


class _AbstractFormMeta(DeclarativeFieldsMetaclass, ABCMeta):
    """Django's form metaclass with abc's, so that a form missing `perform` cannot be made."""


class ActionForm(forms.Form, metaclass=_AbstractFormMeta):
    act: ClassVar[Act]
    title: ClassVar[StrOrPromise]  # the panel's heading and its button
    done: ClassVar[StrOrPromise]  # said after it worked
    # The hidden field naming the record acted on, when there may be several (task, request).
    record_field: ClassVar[str] = ""
    # A choice made by pressing one of several buttons rather than by a field.
    button_field: ClassVar[str] = ""
    button_choices: ClassVar[tuple[tuple[str, StrOrPromise], ...]] = ()

    @abstractmethod
    def perform(self, actor: User, case_id: int) -> None:
        """Call the action's check_* with the cleaned fields."""

    def success_message(self) -> str:
        """Said on the next page; empty: nothing to say."""
        return str(self.done)

    def next_url(self, case_id: int) -> str:
        """Where the person goes after it worked: back to the case."""
        return reverse("web:case", args=[case_id])

    @property
    def record_id(self) -> int | None:
        if not self.record_field:
            return None
        value = (self.cleaned_data if self.is_bound else self.initial).get(self.record_field)
        return value if isinstance(value, int) else None

    def fields_to_show(self) -> list[BoundField]:
        return [field for field in self.visible_fields() if field.name != self.button_field]

    def buttons(self) -> list[tuple[str, str]]:
        if not self.button_field:
            return [("", str(self.title))]
        return [(value, str(label)) for value, label in self.button_choices]

    def general_errors(self) -> list[str]:
        """Errors not shown next to a visible field: the form's own, the hidden fields', and
        the button choice's."""
        found = list(self.non_field_errors())
        for name, errors in self.errors.items():
            if name in self.fields and (
                name == self.button_field or self.fields[name].widget.is_hidden
            ):
                found.extend(errors)
        return [str(error) for error in found]

    @property
    def focus_on_general_errors(self) -> bool:
        """Only general errors: the person's eye goes to them, not to a field."""
        return bool(self.general_errors()) and not any(
            name in self.fields
            and name != self.button_field
            and not self.fields[name].widget.is_hidden
            for name in self.errors
        )

    def add_engine_errors(self, errors: dict[str, list[str | Promise]]) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, str(message))
        self.focus_first_error()

    def focus_first_error(self) -> None:
        for name in self.errors:
            field = self.fields.get(name)
            if field is not None and not field.widget.is_hidden and name != self.button_field:
                field.widget.attrs["autofocus"] = True
                return

    def offer_units(self, units: Iterable[Unit]) -> None:
        self.fields["unit_id"].widget.choices = [CHOOSE, *((unit.pk, unit.name) for unit in units)]

    def offer_units_of(self, other: ActionForm) -> None:
        self.fields["unit_id"].widget.choices = other.fields["unit_id"].widget.choices


class VersionedForm(ActionForm):
    """Carries the case version the person saw, so a case changed meanwhile is refused."""

    version = NumberField(widget=forms.HiddenInput)

    @property
    def seen_version(self) -> int:
        version: int = self.cleaned_data["version"]
        return version


class ScreenForm(VersionedForm):
    act = Act.SCREEN
    title = _("Screen the appeal")
    done = _("The screening is recorded.")
    admissible = _yes_no(_("Decision"), (("yes", _("Accept")), ("no", _("Not admissible"))))
    category = TextField(
        label=_("Category"),
        required=False,
        widget=forms.Select(choices=[("", _("as registered")), *Category.choices]),
    )
    complexity = TextField(
        label=_("Complexity"),
        required=False,
        widget=forms.Select(choices=[("", _("as registered")), *Complexity.choices]),
    )
    reason = TextField(
        label=_("Reason"),
        required=False,
        help_text=_("Required when the appeal is not admissible; the petitioner is told it."),
        widget=TEXT,
    )

    def perform(self, actor: User, case_id: int) -> None:
        data = self.cleaned_data
        check_screen_case(
            actor,
            case_id,
            admissible=data["admissible"],
            category=data["category"],
            complexity=data["complexity"],
            reason=data["reason"],
            version=self.seen_version,
        )


class ResolveOnSpotForm(VersionedForm):
    act = Act.RESOLVE_ON_SPOT
    title = _("Resolve on the spot")
    done = _("The case is closed as resolved on the spot.")
    reply = TextField(label=_("What was done"), widget=TEXT)
    category = TextField(
        label=_("Category"),
        required=False,
        widget=forms.Select(choices=[("", _("as registered")), *Category.choices]),
    )

    def perform(self, actor: User, case_id: int) -> None:
        check_resolve_on_spot(
            actor,
            case_id,
            reply=self.cleaned_data["reply"],
            category=self.cleaned_data["category"],
            version=self.seen_version,
        )


class DispatchForm(VersionedForm):
    act = Act.DISPATCH
    title = _("Dispatch")
    done = _("The case is dispatched.")
    unit_id = NumberField(label=_("To the unit"), widget=forms.Select)

    def perform(self, actor: User, case_id: int) -> None:
        check_dispatch_case(
            actor, case_id, unit_id=self.cleaned_data["unit_id"], version=self.seen_version
        )


class ReceiveForm(VersionedForm):
    act = Act.RECEIVE
    title = _("Sign for the case")
    done = _("You signed for the case.")

    def perform(self, actor: User, case_id: int) -> None:
        do_receive_case(actor, case_id, version=self.seen_version)


class ReturnForm(VersionedForm):
    act = Act.RETURN
    title = _("Return to the hub")
    done = _("The case is returned to the hub.")
    reason = TextField(label=_("Why it is not your unit's business"), widget=TEXT)

    def perform(self, actor: User, case_id: int) -> None:
        check_return_case(
            actor, case_id, reason=self.cleaned_data["reason"], version=self.seen_version
        )


class DispatchDownForm(VersionedForm):
    act = Act.DISPATCH_DOWN
    title = _("Pass down to a unit below")
    done = _("The case is passed down.")
    unit_id = NumberField(label=_("To the unit"), widget=forms.Select)

    def perform(self, actor: User, case_id: int) -> None:
        do_dispatch_down(
            actor, case_id, unit_id=self.cleaned_data["unit_id"], version=self.seen_version
        )


class RequestCohandlingForm(VersionedForm):
    act = Act.REQUEST_COHANDLING
    title = _("Ask a unit to co-handle")
    done = _("Co-handling is requested.")
    unit_id = NumberField(label=_("Unit asked"), widget=forms.Select)
    days = forms.IntegerField(label=_("Working days to answer"), widget=DAYS)
    request = TextField(label=_("What the unit is asked to do"), widget=TEXT)

    def perform(self, actor: User, case_id: int) -> None:
        data = self.cleaned_data
        check_request_cohandling(
            actor,
            case_id,
            unit_id=data["unit_id"],
            request=data["request"],
            days=data["days"],
            version=self.seen_version,
        )


class AnswerCohandlingForm(VersionedForm):
    act = Act.ANSWER_COHANDLING
    title = _("Answer the co-handling task")
    done = _("Your answer is recorded.")
    record_field = "task_id"
    task_id = NumberField(widget=forms.HiddenInput)
    answer = TextField(
        label=_("Answer"),
        help_text=_("Reasons, solution and what to tell the petitioner: say how it can be done."),
        widget=TEXT,
    )

    def perform(self, actor: User, case_id: int) -> None:
        data = self.cleaned_data
        check_answer_cohandling(
            actor,
            case_id,
            task_id=data["task_id"],
            answer=data["answer"],
            version=self.seen_version,
        )


class RecordContactForm(VersionedForm):
    act = Act.RECORD_CONTACT
    title = _("Record a contact")
    done = _("The contact is recorded.")
    method = TextField(
        label=_("How"), widget=forms.Select(choices=[CHOOSE, *ContactMethod.choices])
    )
    contacted_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    outcome = TextField(label=_("Outcome"), widget=TEXT)

    def perform(self, actor: User, case_id: int) -> None:
        data = self.cleaned_data
        check_record_contact(
            actor,
            case_id,
            method=data["method"],
            outcome=data["outcome"],
            contacted_at=data["contacted_at"],
            version=self.seen_version,
        )


def cause_choices() -> list[tuple[Any, Any]]:
    """The coded causes grouped by side, labelled in the current language."""
    by_side: dict[str, list[tuple[str, str]]] = {side: [] for side in causes.SIDES}
    for cause in causes.CAUSES.values():
        by_side[cause.side].append((cause.code, cause.label))
    return [
        CHOOSE,
        (CauseSide.PETITIONER.label, by_side["petitioner"]),
        (CauseSide.DEPARTMENT.label, by_side["department"]),
        (_("either side (say which below)"), by_side["either"]),
    ]


class RecordCauseForm(VersionedForm):
    act = Act.RECORD_CAUSE
    title = _("Record the cause analysis")
    done = _("The cause analysis is recorded.")
    code = TextField(label=_("Cause"), widget=forms.Select)
    side = TextField(
        label=_("Which side"),
        required=False,
        help_text=_("Only for a cause that can lie on either side."),
        widget=forms.RadioSelect(choices=CauseSide.choices),
    )
    note = TextField(label=_("Analysis"), widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.choices = cause_choices()

    def perform(self, actor: User, case_id: int) -> None:
        data = self.cleaned_data
        check_record_cause(
            actor,
            case_id,
            code=data["code"],
            note=data["note"],
            side=data["side"],
            version=self.seen_version,
        )


class RequestExtensionForm(VersionedForm):
    act = Act.REQUEST_EXTENSION
    title = _("Request an extension")
    done = _("The extension request awaits approval.")
    days = forms.IntegerField(label=_("Extra working days"), widget=DAYS)
    reason = TextField(label=_("Reason"), widget=TEXT)

    def perform(self, actor: User, case_id: int) -> None:
        data = self.cleaned_data
        check_request_extension(
            actor, case_id, days=data["days"], reason=data["reason"], version=self.seen_version
        )


class RequestSuspensionForm(VersionedForm):
    act = Act.REQUEST_SUSPENSION
    title = _("Request a suspension")
    done = _("The suspension request awaits approval.")
    reason = TextField(
        label=_("Reason"),
        help_text=_("For example: waiting for the petitioner's materials."),
        widget=TEXT,
    )

    def perform(self, actor: User, case_id: int) -> None:
        check_request_suspension(
            actor, case_id, reason=self.cleaned_data["reason"], version=self.seen_version
        )


class DecideRequestForm(VersionedForm):
    act = Act.DECIDE_REQUEST
    title = _("Decide the request")
    record_field = "request_id"
    button_field = "approve"
    button_choices = (("yes", _("Approve")), ("no", _("Refuse")))
    request_id = NumberField(widget=forms.HiddenInput)
    approve = _yes_no(_("Decision"), button_choices)
    note = TextField(
        label=_("Note"),
        required=False,
        help_text=_("Required when refusing."),
        widget=TEXT,
    )

    def perform(self, actor: User, case_id: int) -> None:
        data = self.cleaned_data
        check_decide_request(
            actor,
            case_id,
            request_id=data["request_id"],
            approve=data["approve"],
            note=data["note"],
            version=self.seen_version,
        )

    def success_message(self) -> str:
        if self.cleaned_data["approve"]:
            return str(_("The request is approved."))
        return str(_("The request is refused."))


class ResumeForm(VersionedForm):
    act = Act.RESUME
    title = _("Resume handling")
    done = _("The case is resumed; its deadlines moved by the days suspended.")

    def perform(self, actor: User, case_id: int) -> None:
        do_resume_case(actor, case_id, version=self.seen_version)


class ReplyForm(VersionedForm):
    act = Act.REPLY
    title = _("Reply to the petitioner")
    done = _("The reply is recorded.")
    text = TextField(
        label=_("Reply"),
        help_text=_("Don't say it cannot be done; say how it can be done."),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
    )
    channel = TextField(
        label=_("Given by"), initial="sms", widget=forms.Select(choices=REPLY_CHANNELS)
    )

    def perform(self, actor: User, case_id: int) -> None:
        data = self.cleaned_data
        check_reply_case(
            actor, case_id, text=data["text"], channel=data["channel"], version=self.seen_version
        )


class ReturnVisitForm(VersionedForm):
    act = Act.RETURN_VISIT
    title = _("Record a return visit")
    done = _("The return visit is recorded.")
    satisfaction = forms.IntegerField(
        label=_("Satisfaction"), widget=forms.RadioSelect(choices=Satisfaction.choices)
    )
    solved = _yes_no(_("Solved?"))
    comment = TextField(label=_("Comment"), required=False, widget=TEXT)

    def perform(self, actor: User, case_id: int) -> None:
        data = self.cleaned_data
        check_return_visit(
            actor,
            case_id,
            satisfaction=data["satisfaction"],
            solved=data["solved"],
            comment=data["comment"],
            version=self.seen_version,
        )


class SuperviseForm(VersionedForm):
    act = Act.SUPERVISE
    title = _("Supervise: reopen with a new deadline")
    done = _("The case is reopened under supervision.")
    reason = TextField(label=_("Reason"), widget=TEXT)
    days = forms.IntegerField(label=_("New deadline in working days"), widget=DAYS)

    def perform(self, actor: User, case_id: int) -> None:
        data = self.cleaned_data
        check_supervise_case(
            actor, case_id, reason=data["reason"], days=data["days"], version=self.seen_version
        )


class CloseForm(VersionedForm):
    act = Act.CLOSE
    title = _("Close the case")
    done = _("The case is closed.")

    def perform(self, actor: User, case_id: int) -> None:
        do_close_case(actor, case_id, version=self.seen_version)


class HandTabletForm(VersionedForm):
    """The clerk opens the rating screen and hands this browser (or the tablet signed in as
    them) to the petitioner: the next page is the petitioner's."""

    act = Act.WINDOW_RATING
    title = _("Hand the tablet to the petitioner for rating")
    done = ""
    handoff_id: int | None = None

    def perform(self, actor: User, case_id: int) -> None:
        self.handoff_id = do_hand_tablet(actor, case_id, version=self.seen_version).pk

    def next_url(self, case_id: int) -> str:
        return reverse("web:tablet_rate", args=[self.handoff_id])


class AddToLibraryForm(ActionForm):
    act = Act.ADD_TO_LIBRARY
    title = _("Add to the case library")
    done = _("A draft entry without personal data is in the case library: a reviewer publishes it.")
    entry_id: int | None = None

    def perform(self, actor: User, case_id: int) -> None:
        self.entry_id = check_draft_from_case(actor, case_id).pk

    def next_url(self, case_id: int) -> str:
        """The draft's page, where its writer reads and corrects it."""
        return reverse("web:knowledge_entry", args=[self.entry_id])


class AttachmentForm(ActionForm):
    act = Act.ATTACH
    title = _("Attach a file")
    done = _("The file is attached.")
    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.gif,.docx,.xlsx,.txt"}),
    )
    note = TextField(label=_("Note"), required=False, max_length=attachments.MAX_NOTE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A PDF, a JPEG, PNG or GIF image, a Word or Excel document, or a text file; "
            "at most %(limit)s."
        ) % {"limit": filesizeformat(attachments.MAX_BYTES)}

    def perform(self, actor: User, case_id: int) -> None:
        attachments.check_add_attachment(
            actor, case_id, self.cleaned_data["file"], self.cleaned_data["note"]
        )


ACTION_FORMS: dict[Act, type[ActionForm]] = {
    form.act: form
    for form in (
        ScreenForm,
        ResolveOnSpotForm,
        DispatchForm,
        ReceiveForm,
        ReturnForm,
        DispatchDownForm,
        RequestCohandlingForm,
        AnswerCohandlingForm,
        RecordContactForm,
        RecordCauseForm,
        RequestExtensionForm,
        RequestSuspensionForm,
        DecideRequestForm,
        ResumeForm,
        ReplyForm,
        ReturnVisitForm,
        SuperviseForm,
        CloseForm,
        HandTabletForm,
        AddToLibraryForm,
    )
}
