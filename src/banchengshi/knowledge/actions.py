"""Changes to knowledge entries (R-KB-1): written by hand or drafted from a closed case
("收入案例库"), published by a reviewer, edited into a new version, withdrawn.

Who may do what (data below, one place):
- write an entry or edit a draft: window, unit and hub roles (AUTHOR_ROLES);
- review — publish, withdraw, edit a published entry: the office administrators and the
  dispatchers of the hub (REVIEWER_ROLES), who see every center's cases and answer for what
  all of them read; inspectors and system administrators only look.
Drafting from a case is the case's own action (Act.ADD_TO_LIBRARY: its handlers, its
registering window, the hub) and leaves an event in the case's audit trail."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.cases import causes
from banchengshi.cases.access import HANDLER, HUB, WINDOW, visible_cases
from banchengshi.cases.actions.common import changing_case, is_id, optional_text, text_value
from banchengshi.cases.states import Act
from banchengshi.catalog.models import Matter
from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.knowledge.anonymise import anonymise
from banchengshi.knowledge.models import Entry, EntryStatus, EntryVersion, Visibility
from banchengshi.knowledge.search import index_entry, unindex_entry
from banchengshi.org.models import Unit
from banchengshi.org.scope import scope_for

AUTHOR_ROLES = WINDOW | HANDLER | HUB
REVIEWER_ROLES = HUB
MAX_TAGS = 200
MAX_LINKS = 20


@dataclass(frozen=True)
class EntryFields:
    """An entry's editable fields, as checked by `check_fields`."""

    problem: str
    solution: str
    cause_code: str = ""
    tags: str = ""
    matter_ids: tuple[int, ...] = ()
    unit_ids: tuple[int, ...] = ()
    visibility: str = Visibility.INTERNAL
    # The source cases; None leaves an edited entry's cases as they are.
    case_ids: tuple[int, ...] | None = None


def may_write(user: User) -> bool:
    return scope_for(user).has_role(AUTHOR_ROLES)


def may_review(user: User) -> bool:
    return scope_for(user).has_role(REVIEWER_ROLES)


def edit_refusal(user: User, entry: Entry) -> Promise | None:
    """Why `user` may not edit `entry` now, or None: the rule of do_edit_entry, which the
    entry's page reads too so that it offers the form only where the edit can succeed."""
    if not may_write(user):
        return _("Your roles do not allow you to write knowledge entries.")
    if entry.status == EntryStatus.WITHDRAWN:
        return _("A withdrawn entry cannot be edited.")
    reviewer = may_review(user)
    if entry.status == EntryStatus.PUBLISHED and not reviewer:
        return _("Only a reviewer edits a published entry.")
    if entry.author_id != user.pk and not reviewer:
        return _("Only the author or a reviewer edits this draft.")
    return None


def _require_author(user: User) -> None:
    if not may_write(user):
        raise Forbidden(_("Your roles do not allow you to write knowledge entries."))


def _require_reviewer(user: User) -> None:
    if not may_review(user):
        raise Forbidden(_("Only office administrators and dispatchers review knowledge entries."))


def _ids(
    values: tuple[int, ...], *, field: str, model: type[Model], message: Promise
) -> tuple[int, ...]:
    ids = tuple(dict.fromkeys(values))
    if len(ids) > MAX_LINKS or not all(isinstance(v, int) and is_id(v) for v in ids):
        raise InvalidInput({field: [message]})
    if model._default_manager.filter(pk__in=ids).count() != len(ids):
        raise InvalidInput({field: [message]})
    return ids


def check_fields(fields: EntryFields) -> EntryFields:
    problem = text_value(fields.problem, field="problem", label=_("The problem"), minimum=4)
    solution = text_value(fields.solution, field="solution", label=_("The solution"), minimum=4)
    if fields.cause_code and causes.get(fields.cause_code) is None:
        raise InvalidInput({"cause_code": [_("Choose one of the coded causes.")]})
    if fields.visibility not in Visibility.values:
        raise InvalidInput({"visibility": [_("Choose staff only or also public.")]})
    for name, text in (("problem", problem), ("solution", solution), ("tags", fields.tags)):
        if "\x00" in text:
            raise InvalidInput({name: [_("The text holds a character that cannot be stored.")]})
    return EntryFields(
        problem=problem,
        solution=solution,
        cause_code=fields.cause_code,
        tags=" ".join(optional_text(fields.tags, field="tags", limit=MAX_TAGS).split()),
        matter_ids=_ids(
            fields.matter_ids,
            field="matter_ids",
            model=Matter,
            message=_("Choose service matters from the catalogue."),
        ),
        unit_ids=_ids(
            fields.unit_ids,
            field="unit_ids",
            model=Unit,
            message=_("Choose departments from the list of units."),
        ),
        visibility=fields.visibility,
        case_ids=fields.case_ids,
    )


def _check_cases(actor: User, fields: EntryFields) -> EntryFields:
    """The source cases must be cases the actor may see: an entry links no case its writer
    could not open."""
    if fields.case_ids is None:
        return fields
    ids = tuple(dict.fromkeys(fields.case_ids))
    message = _("Name source cases you can open, by their tracking numbers.")
    if len(ids) > MAX_LINKS or not all(isinstance(v, int) and is_id(v) for v in ids):
        raise InvalidInput({"case_ids": [message]})
    if visible_cases(scope_for(actor)).filter(pk__in=ids).count() != len(ids):
        raise InvalidInput({"case_ids": [message]})
    return replace(fields, case_ids=ids)


def _write(entry: Entry, fields: EntryFields, *, editor: User) -> None:
    entry.problem, entry.solution = fields.problem, fields.solution
    entry.cause_code, entry.tags, entry.visibility = (
        fields.cause_code,
        fields.tags,
        fields.visibility,
    )
    entry.edited_by = editor
    entry.save()
    entry.matters.set(fields.matter_ids)
    entry.units.set(fields.unit_ids)
    if fields.case_ids is not None:
        # Cases the editor cannot see stay linked: they did not choose to remove them.
        unseen = entry.source_cases.exclude(pk__in=visible_cases(scope_for(editor)))
        entry.source_cases.set([*fields.case_ids, *unseen.values_list("pk", flat=True)])


# --- create ----------------------------------------------------------------------------------


def check_create_entry(actor: User, fields: EntryFields) -> Entry:
    _require_author(actor)
    return do_create_entry(actor, _check_cases(actor, check_fields(fields)))


@transaction.atomic
def do_create_entry(actor: User, fields: EntryFields) -> Entry:
    """Trusts `fields` checked and the actor allowed; the entry starts as a draft."""
    entry = Entry(author=actor)
    _write(entry, fields, editor=actor)
    return entry


# --- 收入案例库 --------------------------------------------------------------------------------


def check_draft_from_case(actor: User, case_id: int) -> Entry:
    if not is_id(case_id):
        raise NotFound(_("No case with this number is within your reach."))
    return do_draft_from_case(actor, case_id)


def do_draft_from_case(actor: User, case_id: int) -> Entry:
    """A draft entry from a closed case, its texts without personal data (anonymise). The
    case's lock, the actor's right and the case's state are checked here (changing_case);
    a case already in the library is refused, so that one case gives one entry."""
    with changing_case(actor, case_id, Act.ADD_TO_LIBRARY, version=None) as change:
        case = change.case
        if Entry.objects.filter(source_cases=case).exclude(status=EntryStatus.WITHDRAWN).exists():
            raise InvalidState(_("This case is already in the case library."))
        known = (
            case.petitioner_name,
            case.enterprise_name,
            case.phone,
            case.id_number,
            case.credit_code,
        )
        problem = "\n".join(t for t in (case.description, case.request) if t.strip())
        solution = "\n".join(t for t in (case.cause_note, case.reply_text) if t.strip())
        entry = Entry(
            author=actor,
            edited_by=actor,
            problem=anonymise(problem, known=known),
            solution=anonymise(solution, known=known) or "",
            cause_code=case.cause_code,
        )
        entry.save()
        if case.matter_id:
            entry.matters.set([case.matter_id])
        entry.units.set([u for u in (case.owner_unit_id, case.handling_unit_id) if u])
        entry.source_cases.set([case.pk])
        change.payload = {"entry_id": entry.pk}
    return entry


# --- review, edit, withdraw ------------------------------------------------------------------


def _locked(entry_id: int) -> Entry:
    entry = (
        Entry.objects.select_for_update().filter(pk=entry_id).first() if is_id(entry_id) else None
    )
    if entry is None:
        raise NotFound(_("No knowledge entry with this number."))
    return entry


def check_publish_entry(actor: User, entry_id: int, *, visibility: str | None = None) -> Entry:
    """`visibility`: the reviewer's choice made while publishing (staff only or also
    public); None keeps the draft's."""
    _require_reviewer(actor)
    if visibility is not None and visibility not in Visibility.values:
        raise InvalidInput({"visibility": [_("Choose staff only or also public.")]})
    return do_publish_entry(actor, entry_id, visibility=visibility)


@transaction.atomic
def do_publish_entry(actor: User, entry_id: int, *, visibility: str | None = None) -> Entry:
    """Trusts the actor a reviewer. The draft becomes the next published version; the
    previous one stays in the history."""
    entry = _locked(entry_id)
    if entry.status != EntryStatus.DRAFT:
        raise InvalidState(_("Only a draft can be published."))
    if visibility is not None:
        entry.visibility = visibility
    try:
        check_fields(_fields_of(entry))
    except InvalidInput as exc:
        raise InvalidState(
            _("The draft is not complete: %(reason)s") % {"reason": exc.message}
        ) from None
    now = timezone.now()
    entry.published_version += 1
    entry.status, entry.reviewer, entry.published_at = EntryStatus.PUBLISHED, actor, now
    entry.save()
    EntryVersion.objects.create(
        entry=entry,
        number=entry.published_version,
        problem=entry.problem,
        cause_code=entry.cause_code,
        solution=entry.solution,
        tags=entry.tags,
        author=entry.author,
        edited_by=entry.edited_by,
        reviewer=actor,
        published_at=now,
    )
    index_entry(entry)
    return entry


def _fields_of(entry: Entry) -> EntryFields:
    return EntryFields(
        problem=entry.problem,
        solution=entry.solution,
        cause_code=entry.cause_code,
        tags=entry.tags,
        visibility=entry.visibility,
    )


def check_edit_entry(actor: User, entry_id: int, fields: EntryFields) -> Entry:
    _require_author(actor)
    return do_edit_entry(actor, entry_id, _check_cases(actor, check_fields(fields)))


@transaction.atomic
def do_edit_entry(actor: User, entry_id: int, fields: EntryFields) -> Entry:
    """Trusts `fields` checked and the actor an author. A draft is edited by its author or a
    reviewer; a published entry by a reviewer only, and it goes back to draft: search and
    the FAQ keep showing the last published version until it is published again."""
    entry = _locked(entry_id)
    refused = edit_refusal(actor, entry)
    if refused is not None:
        raise (InvalidState if entry.status == EntryStatus.WITHDRAWN else Forbidden)(refused)
    entry.status = EntryStatus.DRAFT
    _write(entry, fields, editor=actor)
    return entry


def check_withdraw_entry(actor: User, entry_id: int) -> Entry:
    _require_reviewer(actor)
    return do_withdraw_entry(actor, entry_id)


@transaction.atomic
def do_withdraw_entry(actor: User, entry_id: int) -> Entry:
    """Trusts the actor a reviewer. Out of search and the FAQ; its history stays."""
    entry = _locked(entry_id)
    if entry.status == EntryStatus.WITHDRAWN:
        raise InvalidState(_("The entry is already withdrawn."))
    entry.status = EntryStatus.WITHDRAWN
    entry.save()
    unindex_entry(entry)
    return entry
