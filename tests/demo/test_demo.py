"""`banchengshi demo`: the generated district is complete and consistent with the engine.

Every test loads the demo with 300 cases (about a second), so that each starts from the same
fresh data and may change it with the real actions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max
from django.test import override_settings
from django.utils import timezone

from banchengshi.audit.chain import verify_chain
from banchengshi.audit.models import AuditEvent, AuditHead
from banchengshi.cases.actions.answer import (
    check_reply_case,
    check_return_visit,
    check_supervise_case,
    do_close_case,
)
from banchengshi.cases.actions.clock_requests import check_decide_request, do_resume_case
from banchengshi.cases.actions.cohandling import check_answer_cohandling
from banchengshi.cases.actions.common import HANDLING_CLOCKS
from banchengshi.cases.actions.dispatch import (
    check_dispatch_case,
    check_screen_case,
    do_receive_case,
)
from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.cases.actions.registration import check_register_case
from banchengshi.cases.models import (
    NO_DUE,
    Case,
    CaseSearch,
    CaseUnit,
    Channel,
    Clock,
    ClockRequest,
    CoHandlingTask,
    State,
    TrackingSequence,
    WorkItem,
    WorkKind,
)
from banchengshi.cases.registration import Registration
from banchengshi.cases.search import case_search_fields
from banchengshi.cases.selectors import case_detail, search_cases, worklist
from banchengshi.catalog.models import Matter
from banchengshi.demo.district import URL, USERS
from banchengshi.demo.sessions import SESSION_CASES
from banchengshi.identifiers import (
    validate_contact_phone,
    validate_credit_code,
    validate_id_number,
)
from banchengshi.knowledge.models import RectificationItem, RectificationStatus
from banchengshi.neighborhood.points.models import Fault, PointEvent, PointStatus, ServicePoint
from banchengshi.neighborhood.sessions.models import Circulation, Outcome, RemoteSession
from banchengshi.notify.models import Notification, NotificationKind, OutboxMessage
from banchengshi.org.models import Membership, Role, Unit, UnitKind
from banchengshi.org.scope import scope_for

pytestmark = pytest.mark.django_db
CASES = 300

# Which state a case is in while it has open work of each kind (cases.actions).
STATE_OF_WORK = {
    WorkKind.SCREEN: State.REGISTERED,
    WorkKind.REPLY_REASONS: State.NOT_ADMISSIBLE,
    WorkKind.DISPATCH: State.AWAITING_DISPATCH,
    WorkKind.RECEIVE: State.DISPATCHED,
    WorkKind.HANDLE: State.IN_PROGRESS,
    WorkKind.COHANDLE: State.IN_PROGRESS,
    WorkKind.APPROVE: State.IN_PROGRESS,
    WorkKind.RETURN_VISIT: State.REPLIED,
    WorkKind.SUPERVISE: State.REPLIED,
    WorkKind.CLOSE: State.REPLIED,
}


@pytest.fixture(scope="module")
def _district(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """One demo district for the module (generating it is most of each test's time, ~15 s on
    PostgreSQL): loaded inside a transaction that is rolled back after the module's last test.
    Each test's own transaction is then a savepoint in it, so what a test changes is undone
    before the next."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = StringIO()
            call_command("demo", cases=CASES, stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(_district: str, db: None) -> str:
    return _district


def user(username: str) -> User:
    return User.objects.get(username=username)


def handler_of(unit_id: int) -> User:
    membership = Membership.objects.filter(unit_id=unit_id, role=Role.UNIT_HANDLER).first()
    assert membership is not None, f"unit {unit_id} has no handler"
    return membership.user


def test_every_state_and_every_role(demo: str) -> None:
    assert Case.objects.count() == CASES + SESSION_CASES
    assert set(Case.objects.values_list("state", flat=True)) == set(State.values)
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert Case.objects.filter(on_the_spot=True, state=State.CLOSED).exists()
    assert Case.objects.filter(round=2, state=State.CLOSED).exists()
    assert Case.objects.filter(round=2, state=State.IN_PROGRESS).exists()
    assert Case.objects.filter(returns_count__gt=0).exists()
    in_progress = Case.objects.filter(state=State.IN_PROGRESS)
    assert in_progress.filter(suspended_at__isnull=False).exists()
    assert in_progress.filter(cohandling_tasks__state=CoHandlingTask.TaskState.OPEN).exists()
    assert in_progress.filter(clock_requests__decision=ClockRequest.Decision.APPROVED).exists()
    assert in_progress.filter(clock_requests__decision=ClockRequest.Decision.PENDING).exists()
    passed_down = in_progress.filter(owner_unit_id__isnull=False).exclude(
        handling_unit_id=F("owner_unit_id")
    )
    assert passed_down.exists(), "a case passed down to a subordinate center"
    assert Matter.objects.count() >= 100
    assert Matter.objects.filter(owning_department__isnull=True).count() >= 10
    admin = user("admin")
    assert admin.is_superuser
    assert admin.check_password("banchengshi-demo")


def test_no_message_waits_for_a_made_up_address(demo: str) -> None:
    """The showcase goes through the real actions, which text the petitioner and copy staff
    notices by SMS or e-mail; the demo's numbers and addresses are invented, so nothing of it
    waits in the outbox. The notices themselves stay in the staff's inboxes."""
    assert not OutboxMessage.objects.exists()
    assert Notification.objects.filter(kind=NotificationKind.CASE_DISPATCHED).exists()


def test_units_named_in_the_seed(demo: str) -> None:
    names = set(Unit.objects.values_list("name", flat=True))
    for name in (
        "区政务服务办",
        "区行政服务中心",
        "区政务服务中心",
        "区市场监管局",
        "区医保中心",
        "区就业促进中心",
        "区退役军人服务中心",
        "区婚姻登记中心",
        "区自然资源确权登记事务中心",
        "区不动产交易中心",
        "区法律援助中心",
        "区残疾人综合服务中心",
        "长寿路街道社区事务受理服务中心",
        "桃浦镇社区事务受理服务中心",
        "区纪委监委",
    ):
        assert name in names
    assert Unit.objects.filter(kind=UnitKind.SERVICE_POINT).count() >= 2
    msb = Unit.objects.get(name="区市场监管局")
    assert Unit.objects.filter(parent=msb, name__endswith="市场监督管理所").count() >= 3


def test_the_logins_are_printed(demo: str) -> None:
    for spec in USERS:
        assert spec.username in demo
    assert URL in demo
    assert "banchengshi-demo" in demo


def test_audit_chain_is_intact_and_complete(demo: str) -> None:
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked == AuditEvent.objects.count()
    head = AuditHead.objects.get(pk=1)
    assert head.last_seq == result.checked
    registers = AuditEvent.objects.filter(action="register").values("case_id").distinct()
    assert registers.count() == CASES + SESSION_CASES
    # One event per change: a case's version counts the changes after registration.
    counts = dict(
        AuditEvent.objects.values_list("case_id")
        .annotate(n=Count("id"))
        .values_list("case_id", "n")
    )
    for case_id, version in Case.objects.values_list("id", "version"):
        assert counts[case_id] == version


def test_open_work_matches_the_state(demo: str) -> None:
    for item in WorkItem.objects.select_related("case"):
        assert item.case.state != State.CLOSED
        assert item.case.state == STATE_OF_WORK[WorkKind(item.kind)], (item.kind, item.case)
    with_work = set(WorkItem.objects.values_list("case_id", flat=True))
    for case_id in Case.objects.exclude(state=State.CLOSED).values_list("id", flat=True):
        assert case_id in with_work, "every open case waits for someone"
    # The handler's item sorts by the nearest running handling deadline (or none, suspended).
    for item in WorkItem.objects.filter(kind=WorkKind.HANDLE).select_related("case"):
        dues = [
            clock.due
            for clock in Clock.objects.filter(
                case=item.case,
                kind__in=HANDLING_CLOCKS,
                stopped_at__isnull=True,
                paused_at__isnull=True,
                task__isnull=True,
            )
        ]
        assert item.due == (min(dues) if dues else NO_DUE)
        assert (item.due == NO_DUE) == (item.case.suspended_at is not None)
    # Every unit of every link exists on the case's own fields (where it is or was).
    for link in CaseUnit.objects.filter(relation=CaseUnit.Relation.REGISTERED).select_related(
        "case"
    )[:50]:
        assert link.unit_id == link.case.registered_unit_id


def test_nothing_happens_in_the_future(demo: str) -> None:
    now = timezone.now()
    assert not Case.objects.filter(received_at__gt=now).exists()
    assert not AuditEvent.objects.filter(at__gt=now).exists()
    assert not Clock.objects.filter(started_at__gt=now).exists()
    oldest = Case.objects.order_by("received_at").first()
    assert oldest is not None
    assert (now - oldest.received_at).days <= 366
    for case in Case.objects.all():
        register = case.events.order_by("seq").first()
        assert register is not None
        assert register.action == "register"
        assert register.at >= case.received_at


def test_identifiers_are_valid(demo: str) -> None:
    rows = Case.objects.values_list("phone", "id_number", "credit_code", "petitioner_type")
    enterprises = 0
    ids = 0
    for phone, id_number, credit_code, kind in rows:
        validate_contact_phone(phone)
        if id_number:
            ids += 1
            validate_id_number(id_number)
        if kind == "enterprise":
            enterprises += 1
            validate_credit_code(credit_code)
        else:
            assert credit_code == ""
    assert enterprises > 0
    assert ids > 0


def test_every_case_has_the_search_row_registration_writes(demo: str) -> None:
    rows = {row.pk: row for row in CaseSearch.objects.all()}
    generated = Case.objects.select_related("matter")
    assert set(rows) == set(generated.values_list("pk", flat=True))
    for case in generated:
        row = rows[case.pk]
        assert {f: getattr(row, f) for f in ("ids", "names", "matter", "body")} == (
            case_search_fields(case)
        )
    newest = generated.order_by("-received_at", "-id")[0]
    inspector = scope_for(user("inspector"))
    found = search_cases(inspector, text=newest.tracking_no[-6:])
    assert [case.pk for case in found] == [newest.pk]
    assert newest in search_cases(inspector, text=newest.petitioner_name[:2])


def test_tracking_numbers_continue_after_the_demo(demo: str) -> None:
    numbers = list(Case.objects.values_list("tracking_no", flat=True))
    assert len(set(numbers)) == len(numbers)
    for sequence in TrackingSequence.objects.all():
        highest = Case.objects.filter(tracking_no__startswith=f"PT-{sequence.year}-").aggregate(
            Max("tracking_no")
        )["tracking_no__max"]
        assert highest == f"PT-{sequence.year}-{sequence.last:06d}"
    clerk = user("clerk")
    case = check_register_case(
        clerk,
        Registration(
            channel="window",
            petitioner_type="person",
            petitioner_name="张三",
            phone="13812345678",
            description="办理居住证时材料被退回两次",
            matter_text="居住证办理",
        ),
    )
    year = timezone.localdate().year
    last = TrackingSequence.objects.get(year=year).last
    assert case.tracking_no == f"PT-{year}-{last:06d}"
    assert verify_chain().ok


def test_worklists_of_the_handler_and_the_dispatcher(demo: str) -> None:
    dispatcher = user("dispatcher")
    page = worklist(scope_for(dispatcher))
    assert page.items
    assert page.total >= len(page.items)
    kinds = {item.kind for item in page.items}
    assert kinds <= {
        "screen",
        "reply_reasons",
        "dispatch",
        "approve",
        "return_visit",
        "supervise",
        "close",
    }
    busiest = (
        WorkItem.objects.filter(kind=WorkKind.HANDLE)
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None
    handler = handler_of(busiest["unit_id"])
    handler_page = worklist(scope_for(handler))
    assert handler_page.items
    assert any(item.kind == WorkKind.HANDLE for item in handler_page.items)
    # Most urgent first.
    dues = [item.due for item in handler_page.items]
    assert dues == sorted(dues)


def test_case_detail_of_generated_cases(demo: str) -> None:
    scope = scope_for(user("inspector"))
    for case in Case.objects.order_by("?")[:20]:
        detail = case_detail(scope, case.pk)
        assert detail.events[0].action == "register"
        assert detail.case.pk == case.pk


def _case(**filters: object) -> Case:
    case = Case.objects.filter(**filters).order_by("id").first()
    assert case is not None, filters
    return case


def test_real_actions_run_on_generated_cases(demo: str) -> None:
    dispatcher = user("dispatcher")

    # in progress: the handler analyses the cause and replies; the hub visits and closes
    case = (
        Case.objects.filter(state=State.IN_PROGRESS, suspended_at__isnull=True)
        .exclude(cohandling_tasks__state=CoHandlingTask.TaskState.OPEN)
        .exclude(clock_requests__decision=ClockRequest.Decision.PENDING)
        .order_by("id")
        .first()
    )
    assert case is not None
    assert case.handling_unit_id is not None
    handler = handler_of(case.handling_unit_id)
    check_record_cause(
        handler, case.pk, code="materials", note="申请人未提供租赁合同，已一次性告知"
    )
    replied = check_reply_case(handler, case.pk, text="已一次性告知所需材料，补交后当场办结")
    assert replied.state == State.REPLIED
    check_return_visit(dispatcher, case.pk, satisfaction=5, solved=True, comment="满意")
    assert do_close_case(dispatcher, case.pk).state == State.CLOSED

    # awaiting dispatch: the hub dispatches, the department receives
    case = _case(state=State.AWAITING_DISPATCH)
    department = Unit.objects.get(code="PT-HRS")
    check_dispatch_case(dispatcher, case.pk, unit_id=department.pk)
    received = do_receive_case(handler_of(department.pk), case.pk)
    assert received.state == State.IN_PROGRESS

    # dispatched: the unit signs for it
    case = _case(state=State.DISPATCHED)
    assert case.handling_unit_id is not None
    do_receive_case(handler_of(case.handling_unit_id), case.pk)

    # registered: screened by the registering window (or the hub)
    case = _case(state=State.REGISTERED)
    clerk = Membership.objects.filter(
        unit_id=case.registered_unit_id, role=Role.WINDOW_CLERK
    ).first()
    screener = clerk.user if clerk else dispatcher
    screened = check_screen_case(screener, case.pk, admissible=True)
    assert screened.state in (State.AWAITING_DISPATCH, State.DISPATCHED)

    # not admissible: the window replies with the reasons, which closes it
    case = _case(state=State.NOT_ADMISSIBLE)
    clerk = Membership.objects.filter(
        unit_id=case.registered_unit_id, role=Role.WINDOW_CLERK
    ).first()
    replier = clerk.user if clerk else dispatcher
    closed = check_reply_case(replier, case.pk, text="已电话说明不予受理的理由和依据")
    assert closed.state == State.CLOSED

    # an open co-handling task: the unit asked answers it
    task = CoHandlingTask.objects.filter(state=CoHandlingTask.TaskState.OPEN).first()
    assert task is not None
    check_answer_cohandling(
        handler_of(task.unit_id), task.case_id, task_id=task.pk, answer="已核实无误"
    )
    assert not WorkItem.objects.filter(task=task).exists()

    # a pending request: the hub decides
    request = ClockRequest.objects.filter(
        decision=ClockRequest.Decision.PENDING, kind=ClockRequest.Kind.EXTENSION
    ).first()
    assert request is not None
    check_decide_request(
        dispatcher, request.case_id, request_id=request.pk, approve=False, note="请按原时限办结"
    )

    # suspended: the handler resumes; the clocks run again
    case = _case(state=State.IN_PROGRESS, suspended_at__isnull=False)
    assert case.handling_unit_id is not None
    resumed = do_resume_case(handler_of(case.handling_unit_id), case.pk)
    assert resumed.suspended_at is None
    assert WorkItem.objects.get(case=case, kind=WorkKind.HANDLE).due < NO_DUE

    # replied and unhappy: the hub supervises (round 2)
    case = _case(state=State.REPLIED, work_items__kind=WorkKind.SUPERVISE)
    supervised = check_supervise_case(dispatcher, case.pk, reason="回访不满意，请重新办理", days=3)
    assert supervised.case.round == case.round + 1

    # replied, visited and satisfied: the hub closes
    case = _case(state=State.REPLIED, work_items__kind=WorkKind.CLOSE)
    assert do_close_case(dispatcher, case.pk).state == State.CLOSED

    result = verify_chain()
    assert result.ok, result.problem


def test_second_run_if_empty_creates_nothing(demo: str) -> None:
    models = (Case, User, Unit, Matter, Membership, AuditEvent, WorkItem)
    before = [model.objects.count() for model in models]
    out = StringIO()
    call_command("demo", if_empty=True, stdout=out)
    assert [model.objects.count() for model in models] == before
    assert "dispatcher" in out.getvalue()


def test_a_second_run_adds_cases_to_the_same_district(demo: str) -> None:
    units = Unit.objects.count()
    call_command("demo", cases=60, seed=7, stdout=StringIO())
    assert Unit.objects.count() == units
    assert Case.objects.count() == CASES + SESSION_CASES + 60
    assert verify_chain().ok


def test_rectifications_in_every_status(demo: str) -> None:
    """Opened by the showcase's department-side causes, moved on by the real actions."""
    statuses = Counter(RectificationItem.objects.values_list("status", flat=True))
    assert set(statuses) == set(RectificationStatus.values)
    now = timezone.now()
    overdue = RectificationItem.objects.filter(status=RectificationStatus.OPEN, due__lt=now)
    assert overdue.exists()
    line = (
        f"Rectifications: {statuses['open']} open ({overdue.count()} overdue), "
        f"{statuses['done']} done, {statuses['verified']} verified."
    )
    assert line in demo
    done = RectificationItem.objects.exclude(status=RectificationStatus.OPEN)
    assert not done.filter(evidence="").exists()
    assert not done.filter(done_at__gt=now).exists()
    verified = RectificationItem.objects.filter(status=RectificationStatus.VERIFIED)
    assert all(item.opened_at <= item.done_at <= item.verified_at <= now for item in verified)


def test_service_points(demo: str) -> None:
    points = ServicePoint.objects.all()
    assert points.count() == 15
    assert Unit.objects.filter(kind=UnitKind.SERVICE_POINT).count() == 15
    by_status = dict(points.values_list("status").annotate(n=Count("pk")))
    assert by_status == {PointStatus.OPEN: 13, PointStatus.CLOSED: 1, PointStatus.PLANNED: 1}
    closed = points.get(status=PointStatus.CLOSED)
    assert (
        PointEvent.objects.filter(point=closed, status="closed").get().note.startswith("园区改造")
    )
    faults = Fault.objects.order_by("found_on")
    assert [f.repaired_on is not None for f in faults] == [True, False]
    assert all(point.matters.exists() for point in points)
    assert "neighborhood_cyxc" in demo


def test_remote_sessions_in_every_state_and_two_cases(demo: str) -> None:
    sessions = RemoteSession.objects.all()
    assert set(sessions.values_list("circulation", flat=True)) == set(Circulation.values)
    assert set(sessions.values_list("outcome", flat=True)) == set(Outcome.values)
    assert sessions.filter(case__isnull=False, outcome=Outcome.FAILED).count() == SESSION_CASES
    assert sessions.filter(case__isnull=True, outcome=Outcome.FAILED).exists()
    assert set(
        Case.objects.filter(remote_session__isnull=False).values_list("channel", flat=True)
    ) == {Channel.REMOTE_WINDOW}


def test_a_second_run_adds_no_sessions(demo: str) -> None:
    before = RemoteSession.objects.count()
    call_command("demo", cases=10, stdout=StringIO())
    assert RemoteSession.objects.count() == before
