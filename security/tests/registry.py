"""Every URL that names an object, with a builder that creates the object and who may open it.

``REGISTRY[url_name]`` is a :class:`Spec`: ``build(people)`` creates the object (owned by
``officer`` of ``branch``, or by ``branch``) and returns the URL's kwargs; ``expect`` maps a
persona to the status it must get. The access suite fails for a URL with arguments that is
missing here, so a new view cannot slip through without a scoping test.

Three shapes:
- ``officer_owned``: the officer's own record; another officer of the branch and an officer
  of another branch get 404.
- ``branch_shared``: a record of the branch every officer of it shares (a regulation, a
  meeting, a test); an officer of another branch gets 404.
- ``head_only``: a branch-head page about a record of the branch; a loan officer gets 403, the
  branch head of another branch 404.
"""

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

_serial = itertools.count(1)
OK_GET = (200,)
OK_POST = (200, 302)


@dataclass(frozen=True)
class Spec:
    build: Callable
    owner: str
    method: str = "get"
    ok: tuple = OK_GET
    expect: dict = field(default_factory=dict)


def officer_owned(build, *, method="get", ok=None, owner="officer"):
    return Spec(
        build,
        owner,
        method,
        ok or (OK_POST if method == "post" else OK_GET),
        {"other_officer": 404, "outsider": 404, "other_head": 404},
    )


def branch_shared(build, *, method="get", ok=None):
    return Spec(
        build,
        "officer",
        method,
        ok or (OK_POST if method == "post" else OK_GET),
        {"other_officer": ok or (OK_POST if method == "post" else OK_GET), "outsider": 404},
    )


def head_only(build, *, method="get", ok=None, officer=403, roles_elsewhere=404):
    return Spec(
        build,
        "branch_head",
        method,
        ok or (OK_POST if method == "post" else OK_GET),
        {"officer": officer, "other_officer": officer, "other_head": roles_elsewhere},
    )


# --- builders -------------------------------------------------------------------------------


def _borrower(p):
    from loans.factories import BorrowerFactory

    return BorrowerFactory(branch=p.branch, officer=p.officer)


def _loan(p, **kwargs):
    from loans.factories import LoanFactory

    return LoanFactory(borrower=_borrower(p), **kwargs)


def borrower_pk(p):
    return {"pk": _borrower(p).pk}


def loan_no(p):
    return {"loan_no": _loan(p).loan_no}


def loan_id(p):
    return {"loan_id": _loan(p).pk}


def loan_pk(p):
    return {"loan_pk": _loan(p).pk}


def borrower_id(p):
    return {"borrower_id": _borrower(p).pk}


def individual_loan_id(p):
    from loans.factories import LoanFactory

    # Face signing is for individual loans disbursed recently.
    return {"loan_id": LoanFactory(borrower=_borrower(p), disbursed_on=dt.date(2026, 10, 1)).pk}


def pending_upgrade(p):
    from loans.domain import RiskClass
    from loans.models import ChangeKind, ChangeStatus, ClassificationChange

    loan = _loan(p, risk_class=RiskClass.SPECIAL_MENTION)
    change = ClassificationChange.objects.create(
        loan=loan,
        from_class=RiskClass.SPECIAL_MENTION,
        to_class=RiskClass.NORMAL,
        reason="repaid",
        kind=ChangeKind.PROPOSED_BETTER,
        status=ChangeStatus.PENDING,
        proposed_by=p.officer,
        proposed_at=timezone.now(),
    )
    return {"pk": change.pk}


def pending_restructuring(p):
    from loans.factories import RestructuringFactory

    return {"pk": RestructuringFactory(loan=_loan(p), proposed_by=p.officer).pk}


def restructuring_in_observation(p):
    from loans.factories import RestructuringFactory
    from loans.models import RestructuringStatus

    restructuring = RestructuringFactory(
        loan=_loan(p, risk_class=2, class_floor=2, restructured=True),
        proposed_by=p.officer,
        status=RestructuringStatus.APPROVED,
        decided_at=timezone.now(),
        decided_by=p.branch_head,
        class_floor=2,
        effective_on=dt.date(2026, 1, 1),
        observation_starts_on=dt.date(2026, 1, 15),
        observation_ends_on=dt.date(2027, 1, 15),
    )
    return {"pk": restructuring.pk}


def _action(p):
    from post_loan.factories import RequiredActionFactory

    return RequiredActionFactory(loan=_loan(p))


def action_pk(p):
    return {"pk": _action(p).pk}


def action_evidence(p):
    from post_loan.models import ActionEvidence

    action = _action(p)
    evidence = ActionEvidence.objects.create(
        action=action,
        file=ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"),
        original_name="evidence.pdf",
        size=17,
        uploaded_by=p.officer,
    )
    return {"pk": action.pk, "evidence_id": evidence.pk}


def action_template(p):
    from post_loan.factories import ActionTemplateFactory

    return {"pk": ActionTemplateFactory().pk}


def _case(p):
    from loan_collections.factories import CollectionCaseFactory, overdue_loan

    borrower = _borrower(p)
    overdue_loan(borrower=borrower)
    return CollectionCaseFactory(borrower=borrower)


def case_pk(p):
    return {"pk": _case(p).pk}


def _plan(p):
    from loan_collections.models import CollectionPlan

    case = _case(p)
    return CollectionPlan.objects.create(
        borrower=case.borrower,
        case=case,
        branch=case.branch,
        officer=case.officer,
        year=2026,
        balance_at_year_start=Decimal("80000.00"),
        target_amount=Decimal("80000.00"),
        created_by=p.officer,
    )


def plan_pk(p):
    return {"pk": _plan(p).pk}


def measure_pk(p):
    from loan_collections.models import MeasureKind, PlanMeasure

    measure = PlanMeasure.objects.create(
        plan=_plan(p), kind=MeasureKind.values[0], owner=p.officer, target_date=dt.date(2026, 12, 31)
    )
    return {"pk": measure.pk}


def legal_pk(p):
    from loan_collections.models import LegalAction

    legal = LegalAction.objects.create(
        case=_case(p),
        filed_on=dt.date(2026, 11, 1),
        court="衡东县人民法院",
        court_case_no=f"(2026)湘0424民初{next(_serial)}号",
        claim_amount=Decimal("80000.00"),
        documents=ContentFile(b"%PDF-1.4 claim", name="claim.pdf"),
        recorded_by=p.officer,
    )
    return {"pk": legal.pk}


def task_pk(p):
    from loan_collections.models import FollowUpTask

    task = FollowUpTask.objects.create(
        case=_case(p), officer=p.officer, due_at=timezone.now(), title="call again"
    )
    return {"pk": task.pk}


def _regulation(p, **kwargs):
    from compliance.factories import RegulationFactory

    regulation = RegulationFactory(
        document=ContentFile(b"%PDF-1.4 rules", name="rules.pdf"), published_at=timezone.now(), **kwargs
    )
    regulation.applies_to_branches.add(p.branch)
    return regulation


def regulation_pk(p):
    return {"pk": _regulation(p).pk}


def acknowledgement_pk(p):
    from compliance.models import Acknowledgement

    regulation = _regulation(p)
    ack = Acknowledgement.objects.create(
        regulation=regulation, version="1", staff=p.officer, branch=p.branch, requested_at=timezone.now()
    )
    return {"pk": ack.pk}


def _session(p):
    from compliance.factories import TrainingSessionFactory

    return TrainingSessionFactory(
        branch=p.branch, materials=ContentFile(b"%PDF-1.4 slides", name="slides.pdf")
    )


def session_pk(p):
    return {"pk": _session(p).pk}


def problem_pk(p):
    from compliance.models import MeetingProblem

    problem = MeetingProblem.objects.create(
        meeting=_session(p),
        branch=p.branch,
        description="late checks",
        owner=p.officer,
        due_on=dt.date(2026, 12, 7),
    )
    return {"pk": problem.pk}


def _test(p):
    from compliance.models import KnowledgeTest

    return KnowledgeTest.objects.create(branch=p.branch, title="应知应会")


def knowledge_test_pk(p):
    return {"pk": _test(p).pk}


def attempt_pk(p):
    from compliance.models import Attempt

    attempt = Attempt.objects.create(
        test=_test(p), staff=p.officer, branch=p.branch, started_at=timezone.now()
    )
    return {"pk": attempt.pk}


def violation_pk(p):
    from compliance.models import PenaltyKind, Violation, ViolationSource

    violation = Violation.objects.create(
        staff=p.officer,
        branch=p.branch,
        occurred_on=dt.date(2026, 11, 2),
        rule="late check",
        source=ViolationSource.OTHER,
        penalty_kind=PenaltyKind.CRITICISM,
        recorded_by=p.branch_head,
    )
    return {"pk": violation.pk}


def gift_pk(p):
    from compliance.models import GiftDeclaration, OfferKind, OfferOutcome

    declaration = GiftDeclaration.objects.create(
        staff=p.officer,
        branch=p.branch,
        kind=OfferKind.MEAL,
        outcome=OfferOutcome.REFUSED,
        value=Decimal("300"),
        offered_on=dt.date(2026, 11, 2),
        offered_by_name="guarantor",
    )
    return {"pk": declaration.pk}


def staff_user_id(p):
    return {"user_id": p.officer.pk}


def industry_policy(p):
    from loans.factories import IndustryPolicyFactory

    return {"pk": IndustryPolicyFactory().pk}


def signal_pk(p):
    from screening.models import EarlyWarningSignal, Severity, SignalKind

    borrower = _borrower(p)
    signal = EarlyWarningSignal.objects.create(
        borrower=borrower,
        branch=p.branch,
        officer=p.officer,
        kind=SignalKind.values[0],
        severity=Severity.values[0],
        raised_by=p.officer,
        raised_on=dt.date(2026, 11, 2),
    )
    return {"pk": signal.pk}


def import_batch(p):
    from ledger_import.factories import ImportBatchFactory

    issue = {"row": 2, "column": "借据号", "reason": {"en": "Required.", "zh_Hans": "必填。"}}
    batch = ImportBatchFactory(branch=p.branch, uploaded_by=p.branch_head, status="rejected", errors=[issue])
    return {"pk": batch.pk}


def monthly_report(p):
    from dashboard.models import MonthlyReport

    report = MonthlyReport.objects.create(
        branch=p.branch,
        month=dt.date(2026, 10, 1),
        as_of=dt.date(2026, 10, 31),
        workbook=ContentFile(b"PK xlsx", name="report.xlsx"),
        pdf=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
    )
    return {"pk": report.pk, "kind": "pdf"}


def _write_off(p, **kwargs):
    from writeoffs.factories import WriteOffFactory

    return WriteOffFactory(loan__borrower=_borrower(p), **kwargs)


def loss_loan_no(p):
    from loans.domain import RiskClass

    return {"loan_no": _loan(p, risk_class=RiskClass.LOSS).loan_no}


def write_off_proposed(p):
    return {"pk": _write_off(p).pk}


def write_off_approved(p):
    return {"pk": _write_off(p, approved=True, decided_by=p.branch_head).pk}


# Reference data every branch shares (the industry policy list, the action templates):
# only the roles may edit it, from any branch.
def reference_data(build):
    return head_only(build, roles_elsewhere=200)


REGISTRY: dict[str, Spec] = {
    # loans
    "borrower-detail": officer_owned(borrower_pk),
    "borrower-reveal": officer_owned(borrower_pk, method="post"),
    "loan-detail": officer_owned(loan_no),
    "loan-reveal": officer_owned(loan_no, method="post"),
    "repayment-create": officer_owned(loan_no, method="post"),
    "classification-create": officer_owned(loan_no, method="post"),
    "classification-decide": head_only(pending_upgrade),
    "api-loan-detail": officer_owned(loan_no),
    "api-loan-quote": officer_owned(loan_no),
    "restructuring-create": officer_owned(loan_no, method="post"),
    "restructuring-decide": head_only(pending_restructuring),
    "restructuring-review": head_only(restructuring_in_observation),
    "api-loan-restructurings": officer_owned(loan_no),
    # required actions
    "action-detail": officer_owned(action_pk),
    "action-evidence": officer_owned(action_evidence),
    "action-review": head_only(action_pk, method="post", officer=403),
    "action-waive": head_only(action_pk, method="post", officer=403),
    "action-reassign": head_only(action_pk, method="post", officer=403),
    "action-create": officer_owned(loan_id),
    "action-template-edit": reference_data(action_template),
    # collections
    "collections-case": officer_owned(case_pk),
    "collections-case-reveal": officer_owned(case_pk, method="post"),
    "collections-case-move": officer_owned(case_pk, method="post"),
    "collections-contact-new": officer_owned(case_pk),
    "collections-plan-new": officer_owned(case_pk),
    "collections-legal-new": officer_owned(case_pk),
    "collections-legal-document": officer_owned(legal_pk),
    "collections-measure-new": officer_owned(plan_pk),
    "collections-measure-done": officer_owned(measure_pk, method="post"),
    "collections-legal-edit": officer_owned(legal_pk),
    "collections-overdue-cause": officer_owned(loan_pk),
    "collections-task-done": officer_owned(task_pk, method="post"),
    # compliance
    "compliance-regulation": branch_shared(regulation_pk),
    "compliance-regulation-document": branch_shared(regulation_pk),
    "compliance-regulation-edit": head_only(regulation_pk),
    "compliance-regulation-revise": head_only(regulation_pk, method="post"),
    "compliance-acknowledgement-confirm": officer_owned(acknowledgement_pk, method="post"),
    "compliance-session": branch_shared(session_pk),
    "compliance-session-materials": branch_shared(session_pk),
    "compliance-session-edit": head_only(session_pk),
    "compliance-session-attendance": head_only(session_pk),
    "compliance-session-attendance-add": head_only(session_pk, method="post"),
    "compliance-meeting-minutes": head_only(session_pk, method="post"),
    "compliance-problem-create": head_only(session_pk),
    "compliance-problem-resolve": officer_owned(problem_pk),
    "compliance-test": branch_shared(knowledge_test_pk),
    "compliance-test-start": branch_shared(knowledge_test_pk, method="post"),
    "compliance-attempt": officer_owned(attempt_pk),
    "compliance-violation": officer_owned(violation_pk),
    "compliance-violation-approve": head_only(violation_pk, method="post"),
    "compliance-violation-withdraw": head_only(violation_pk, method="post"),
    "compliance-violation-appeal": officer_owned(violation_pk, method="post"),
    "compliance-gift-review": head_only(gift_pk),
    "compliance-staff-record": officer_owned(staff_user_id),
    "compliance-staff-record-export": officer_owned(staff_user_id),
    # screening
    "industry-policy-edit": reference_data(industry_policy),
    "signal-create": officer_owned(borrower_id),
    "signal-detail": officer_owned(signal_pk),
    "face-signing-create": officer_owned(individual_loan_id),
    # ledger import (branch head and administrator only)
    "import-detail": head_only(import_batch),
    "import-progress": head_only(import_batch),
    "import-errors": head_only(import_batch),
    "import-settle": head_only(import_batch, method="post"),
    # dashboard
    "dashboard-report-file": head_only(monthly_report),
    # write-offs
    "writeoff-propose": officer_owned(loss_loan_no),
    "writeoff-detail": officer_owned(write_off_approved),
    "writeoff-decide": head_only(write_off_proposed),
    "writeoff-recovery-create": officer_owned(write_off_approved),
}
