"""Demo write-offs: the two largest loss-class loans of the ledger demo are proposed by their
officer and approved by their branch head; the first gets a recovery through its guarantor.
The demo ledger is young and has no loss loan of its own: the loans longest overdue (the
court case among them) are first classified 损失 by their officer, through the ordinary
classification service (a worse class applies at once). Runs after the ledger and collection
demos and after the month-end snapshots (the write-offs are today's, after the last month
end, so the snapshots count those loans as they were then); idempotent (does nothing once a write-off exists, nor
without an overdue loan and a branch head to approve)."""

from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, StaffProfile
from core.demo_output import say
from loans.domain import RiskClass
from loans.models import Loan, LoanStatus
from loans.services import classification_propose
from writeoffs.models import Grounds, RecoverySource, WriteOff
from writeoffs.services import recovery_record, write_off_decide, write_off_propose

WRITE_OFFS = 2


def _head_of(branch_id: int):
    profile = (
        StaffProfile.objects.filter(branch_id=branch_id, role=Role.BRANCH_HEAD).select_related("user").first()
    )
    return profile.user if profile else None


def _classify_worst_as_loss() -> None:
    """The officer of each of the loans longest overdue judges it a loss (损失)."""
    worst = (
        Loan.objects.filter(status=LoanStatus.ACTIVE, days_past_due__gt=0)
        .exclude(risk_class=RiskClass.LOSS)
        .order_by("-days_past_due", "-balance", "pk")[:WRITE_OFFS]
    )
    for loan in worst:
        classification_propose(
            loan=loan,
            to_class=RiskClass.LOSS,
            reason="借款人经营停止、下落不明，法院终结本次执行程序，无可供执行财产，预计全部损失。",
            proposed_by=loan.officer,
        )


def seed(stdout=None) -> None:
    if WriteOff.objects.exists():
        return
    if not Loan.objects.filter(status=LoanStatus.ACTIVE, risk_class=RiskClass.LOSS).exists():
        _classify_worst_as_loss()
    loans = Loan.objects.filter(status=LoanStatus.ACTIVE, risk_class=RiskClass.LOSS).order_by(
        "-balance", "pk"
    )
    done = []
    for loan in loans[:10]:
        head = _head_of(loan.branch_id)
        if head is None or head.pk == loan.officer_id:
            continue
        proposal = write_off_propose(
            loan=loan,
            grounds=Grounds.COURT,
            reason="法院裁定终结本次执行程序，借款人名下无可供执行财产；已追索两年以上。",
            proposed_by=loan.officer,
        )
        done.append(
            write_off_decide(write_off=proposal, decided_by=head, approve=True, note="同意核销，账销案存。")
        )
        if len(done) == WRITE_OFFS:
            break
    if not done:
        say(stdout, "Write-offs: no loss-class loan with a branch head to approve; none created.")
        return
    first = done[0]
    recovery_record(
        write_off=first,
        recovered_on=timezone.localdate(),
        amount=min(first.total, Decimal("5000.00")),
        source=RecoverySource.GUARANTOR,
        recorded_by=first.loan.officer,
        note="保证人代偿部分款项",
    )
    say(stdout, f"Write-offs: {len(done)} loss loans written off, one recovery recorded.")
