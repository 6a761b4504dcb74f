"""The one place that says which cases a person may see and what they may do to one.

Every selector filters through `visible_cases`, every action calls `require` (R-ORG-3).
A rule names the roles that may act and the unit of the case they must hold them at:
"registered" (where the appeal was registered), "handling" (the responsible or the handling
unit), "cohandling" (a unit asked to co-handle) or "hub" (dispatch hub and office: any unit).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Case, CaseUnit, CoHandlingTask
from banchengshi.cases.states import Act
from banchengshi.errors import Forbidden, NotFound
from banchengshi.org.models import Role
from banchengshi.org.scope import Scope

WINDOW = frozenset({Role.WINDOW_CLERK, Role.WINDOW_HEAD})
HANDLER = frozenset({Role.UNIT_HANDLER, Role.UNIT_LEADER})
HUB = frozenset({Role.DISPATCHER, Role.OFFICE_ADMIN})
DISPATCHERS = frozenset({Role.DISPATCHER})
# Roles that see personal data unmasked: the people who must call the petitioner (R-Q-3).
CONTACT_ROLES = WINDOW | frozenset({Role.UNIT_HANDLER, Role.DISPATCHER})

RULES: dict[Act, tuple[tuple[frozenset[Role], str], ...]] = {
    Act.SCREEN: ((WINDOW, "registered"), (HUB, "hub")),
    Act.RESOLVE_ON_SPOT: ((WINDOW, "registered"), (HUB, "hub")),
    Act.DISPATCH: ((HUB, "hub"),),
    Act.RECEIVE: ((HANDLER, "handling"),),
    Act.RETURN: ((HANDLER, "handling"),),
    Act.DISPATCH_DOWN: ((HANDLER, "owner"),),
    Act.REQUEST_COHANDLING: ((HANDLER, "handling"),),
    Act.ANSWER_COHANDLING: ((HANDLER, "cohandling"),),
    Act.RECORD_CONTACT: ((HANDLER, "handling"), (WINDOW, "registered"), (HUB, "hub")),
    Act.RECORD_CAUSE: ((HANDLER, "handling"), (WINDOW, "registered")),
    Act.REQUEST_EXTENSION: ((HANDLER, "handling"),),
    Act.REQUEST_SUSPENSION: ((HANDLER, "handling"),),
    Act.DECIDE_REQUEST: ((HUB, "hub"),),
    Act.RESUME: ((HANDLER, "handling"), (HUB, "hub")),
    Act.REPLY: ((HANDLER, "handling"), (WINDOW, "registered"), (HUB, "hub")),
    Act.RETURN_VISIT: ((HANDLER, "handling"), (HUB, "hub")),
    Act.SUPERVISE: ((HUB, "hub"),),
    Act.CLOSE: ((HUB, "hub"),),
    # Everyone who holds a role on the case; inspectors and administrators only look.
    Act.ATTACH: (
        (WINDOW, "registered"),
        (HANDLER, "handling"),
        (HANDLER, "cohandling"),
        (HUB, "hub"),
    ),
    # Not the handling unit's people (EXCLUDED): a unit never takes the rating of its own work.
    Act.WINDOW_RATING: ((WINDOW, "registered"),),
    # The people who handled or registered it know what solved it; the hub reads every case.
    Act.ADD_TO_LIBRARY: ((HANDLER, "handling"), (WINDOW, "registered"), (HUB, "hub")),
    # Whoever answers the case may group it with similar ones; the hub and office any.
    Act.LINK_SIMILAR: ((HANDLER, "handling"), (HUB, "hub")),
}
# Who a rule above lets act but must not, and why: anyone holding a role at a unit of these
# relations to the case, whatever other role they hold where the rule asks for it.
EXCLUDED: dict[Act, tuple[tuple[str, ...], Promise]] = {
    Act.WINDOW_RATING: (
        ("handling", "cohandling"),
        _("People of a unit that handled this case cannot take the petitioner's rating of it."),
    ),
}


def visible_cases(scope: Scope) -> QuerySet[Case]:
    if scope.sees_all:
        return Case.objects.all()
    if not scope.visible_unit_ids:
        return Case.objects.none()
    links = CaseUnit.objects.filter(unit_id__in=scope.visible_unit_ids).values("case_id")
    return Case.objects.filter(id__in=links)


def _case_units(case: Case, relation: str) -> set[int]:
    if relation == "registered":
        return {case.registered_unit_id}
    if relation == "owner":
        return {case.owner_unit_id} if case.owner_unit_id else set()
    if relation == "handling":
        return {u for u in (case.owner_unit_id, case.handling_unit_id) if u}
    if relation == "cohandling":
        return {
            link.unit_id
            for link in case.unit_links.all()
            if link.relation == CaseUnit.Relation.COHANDLING
        }
    return set()


def may_see(scope: Scope, case: Case) -> bool:
    if scope.sees_all:
        return True
    linked = {link.unit_id for link in case.unit_links.all()}
    return bool(linked & scope.visible_unit_ids)


def _excluded(scope: Scope, act: Act, case: Case) -> Promise | None:
    relations, reason = EXCLUDED.get(act, ((), None))
    for relation in relations:
        if any(unit in scope.roles_by_unit for unit in _case_units(case, relation)):
            return reason
    return None


def may(scope: Scope, act: Act, case: Case) -> bool:
    if act is Act.VIEW:
        return may_see(scope, case)
    if _excluded(scope, act, case) is not None:
        return False
    for roles, relation in RULES.get(act, ()):
        if relation == "hub":
            if scope.has_role(roles):
                return True
        elif any(scope.has_role(roles, unit) for unit in _case_units(case, relation)):
            return True
    return False


def require(scope: Scope, act: Act, case: Case) -> None:
    """Refuse with a reason when the person may not do `act` to `case`."""
    if not may_see(scope, case):
        # Same answer as a case that does not exist: outsiders learn nothing.
        raise NotFound(_("No case with this number is within your reach."))
    excluded = _excluded(scope, act, case)
    if excluded is not None:
        raise Forbidden(excluded)
    if not may(scope, act, case):
        raise Forbidden(
            _("Your roles do not allow you to %(action)s this case.") % {"action": ACT_LABELS[act]}
        )


def window_units(scope: Scope) -> list[int]:
    """The units where the person registers appeals at a window."""
    return scope.units_with_role(WINDOW)


def registers_anywhere(scope: Scope) -> bool:
    """The hub, and other systems through a dispatcher's account, register at any unit."""
    return scope.has_role(DISPATCHERS)


def may_register_at(scope: Scope, unit_id: int) -> bool:
    return scope.has_role(WINDOW, unit_id) or registers_anywhere(scope)


def may_answer_task(scope: Scope, task: CoHandlingTask) -> bool:
    """Only the unit asked to co-handle answers its task."""
    return scope.has_role(HANDLER, task.unit_id)


def visits_for_hub(scope: Scope) -> bool:
    """Whether a return visit the person records is the hub's (else the handling unit's)."""
    return scope.has_role(HUB)


def sees_personal_data(scope: Scope, case: Case) -> bool:
    """Full phone and ID number only for the people who contact the petitioner."""
    if scope.has_role(DISPATCHERS):
        return True
    units = _case_units(case, "registered") | _case_units(case, "handling")
    return any(scope.has_role(CONTACT_ROLES, unit) for unit in units)


ACT_LABELS = {
    Act.VIEW: _("view"),
    Act.SCREEN: _("screen"),
    Act.RESOLVE_ON_SPOT: _("resolve on the spot"),
    Act.DISPATCH: _("dispatch"),
    Act.RECEIVE: _("receive"),
    Act.RETURN: _("return"),
    Act.DISPATCH_DOWN: _("dispatch down"),
    Act.REQUEST_COHANDLING: _("ask for co-handling on"),
    Act.ANSWER_COHANDLING: _("answer co-handling on"),
    Act.RECORD_CONTACT: _("record contact on"),
    Act.RECORD_CAUSE: _("record the cause of"),
    Act.REQUEST_EXTENSION: _("request an extension of"),
    Act.REQUEST_SUSPENSION: _("request a suspension of"),
    Act.DECIDE_REQUEST: _("decide requests on"),
    Act.RESUME: _("resume"),
    Act.REPLY: _("reply to"),
    Act.RETURN_VISIT: _("record a return visit on"),
    Act.SUPERVISE: _("supervise"),
    Act.CLOSE: _("close"),
    Act.ATTACH: _("attach files to"),
    Act.RATE: _("rate the answer to"),
    Act.WINDOW_RATING: _("hand the tablet for the petitioner's rating of"),
    Act.ADD_TO_LIBRARY: _("add to the case library"),
    Act.LINK_SIMILAR: _("link similar cases to"),
}
