"""Reads of what falls due soon (到期预警): the five kinds of item an officer must act on
before a date runs out, found from the ledger's dates in one grouped query per kind.

- a loan maturing within the horizon: arrange repayment or renewal (安排还款或续贷);
- collateral whose yearly revaluation falls due, or is overdue (《商业银行押品管理指引》,
  revaluation at least once a year; article number from memory);
- collateral insurance expiring (or expired) before the loan matures;
- a corporate borrower's business licence expiring before the loan matures;
- a guarantee contract ending strictly before the loan matures (ending on the maturity day
  covers the loan; from practice).

The rules are set-based: each kind is one query over the loans in scope, so the weekly job
reads every active loan without a query per loan. The required actions for the same dates
are created by the daily job (post_loan.services.planners); these reads feed the page, the
weekly digest, the API and the dashboard."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import CharField, Count, DateField, F, Func, Q, QuerySet, Value
from django.db.models.functions import Least
from django.utils.translation import gettext_lazy as _

from loans.models import Collateral, Guarantor, Loan, LoanStatus
from loans.selectors import loans_visible_to

HORIZONS = (30, 60, 90)
DEFAULT_HORIZON = 90
REVALUATION_MONTHS = 12


class Kind:
    MATURITY = "maturity"
    REVALUATION = "revaluation"
    INSURANCE = "insurance"
    LICENCE = "licence"
    GUARANTEE = "guarantee"


KIND_LABELS = {
    Kind.MATURITY: _("Loan maturing"),
    Kind.REVALUATION: _("Collateral revaluation due"),
    Kind.INSURANCE: _("Collateral insurance expiring"),
    Kind.LICENCE: _("Business licence expiring"),
    Kind.GUARANTEE: _("Guarantee ends before the loan"),
}
KINDS = tuple(KIND_LABELS)
KIND_CHOICES = tuple(KIND_LABELS.items())


@dataclass(frozen=True)
class ComingDueItem:
    kind: str
    day: dt.date  # the day that falls due: maturity, revaluation, expiry, end of guarantee
    days_left: int  # negative: overdue or expired already
    loan_no: str
    borrower_id: int
    borrower_name: str
    officer_id: int
    branch_id: int
    matures_on: dt.date
    what: str = ""  # the collateral or the guarantor concerned

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


class _PlusMonths(Func):
    """date + N months in PostgreSQL (a 29 February plus a year is 28 February)."""

    output_field = DateField()

    def __init__(self, expression, months: int):
        super().__init__(expression, template=f"(%(expressions)s + interval '{int(months)} months')::date")


LOAN_VALUES = ("loan__loan_no", "loan__borrower_id", "loan__borrower__name", "loan__officer_id")
LOAN_VALUES_TAIL = ("loan__branch_id", "loan__matures_on")


def _maturing(loans: QuerySet[Loan], *, as_of: dt.date, until: dt.date) -> QuerySet:
    return loans.filter(matures_on__range=(as_of, until)).annotate(
        due=F("matures_on"), what=Value("", output_field=CharField())
    )


def _revaluation(loans: QuerySet[Loan], *, as_of: dt.date, until: dt.date) -> QuerySet:
    return (
        Collateral.objects.filter(loan__in=loans)
        .annotate(due=_PlusMonths(F("appraised_on"), REVALUATION_MONTHS), what=F("description"))
        .filter(due__lte=Least(until, F("loan__matures_on")))
    )


def _insurance(loans: QuerySet[Loan], *, as_of: dt.date, until: dt.date) -> QuerySet:
    return (
        Collateral.objects.filter(loan__in=loans, insurance_expires_on__isnull=False)
        .annotate(due=F("insurance_expires_on"), what=F("description"))
        .filter(due__lte=Least(until, F("loan__matures_on")))
    )


def _licence(loans: QuerySet[Loan], *, as_of: dt.date, until: dt.date) -> QuerySet:
    return (
        loans.filter(borrower__licence_expires_on__isnull=False)
        .annotate(due=F("borrower__licence_expires_on"), what=Value("", output_field=CharField()))
        .filter(due__lte=Least(until, F("matures_on")))
    )


def _guarantee(loans: QuerySet[Loan], *, as_of: dt.date, until: dt.date) -> QuerySet:
    return (
        Guarantor.objects.filter(loan__in=loans, guarantee_ends_on__isnull=False)
        .annotate(due=F("guarantee_ends_on"), what=F("name"))
        .filter(due__lte=until, due__lt=F("loan__matures_on"))
    )


# kind -> (rows, whether the rows are loans themselves rather than rows of a loan)
_QUERIES = {
    Kind.MATURITY: (_maturing, True),
    Kind.REVALUATION: (_revaluation, False),
    Kind.INSURANCE: (_insurance, False),
    Kind.LICENCE: (_licence, True),
    Kind.GUARANTEE: (_guarantee, False),
}


def _columns(of_loan: bool) -> list[str]:
    names = [*LOAN_VALUES, *LOAN_VALUES_TAIL]
    return [name.removeprefix("loan__") for name in names] if of_loan else names


def active_loans(loans: QuerySet[Loan] | None = None) -> QuerySet[Loan]:
    return (loans if loans is not None else Loan.objects.all()).filter(status=LoanStatus.ACTIVE)


def coming_due_items(
    loans: QuerySet[Loan],
    *,
    as_of: dt.date,
    horizon: int = DEFAULT_HORIZON,
    kinds: Iterable[str] = KINDS,
) -> list[ComingDueItem]:
    """The items of the given active loans falling due by ``as_of + horizon`` days (or
    overdue already, except maturity: a loan past maturity is overdue, the collections'
    business), the earliest first."""
    until = as_of + dt.timedelta(days=horizon)
    items = []
    for kind in kinds:
        query, of_loan = _QUERIES[kind]
        columns = _columns(of_loan)
        for row in query(active_loans(loans), as_of=as_of, until=until).values_list("due", "what", *columns):
            due, what, loan_no, borrower_id, borrower_name, officer_id, branch_id, matures_on = row
            items.append(
                ComingDueItem(
                    kind=kind,
                    day=due,
                    days_left=(due - as_of).days,
                    loan_no=loan_no,
                    borrower_id=borrower_id,
                    borrower_name=borrower_name,
                    officer_id=officer_id,
                    branch_id=branch_id,
                    matures_on=matures_on,
                    what=what or "",
                )
            )
    items.sort(key=lambda item: (item.day, KINDS.index(item.kind), item.loan_no))
    return items


def coming_due_table(loans: QuerySet[Loan], *, as_of: dt.date) -> list[dict]:
    """Per kind: how many are overdue and how many fall due within 30, 60 and 90 days
    (cumulative), one aggregate query per kind (the dashboard and the monthly report)."""
    until = as_of + dt.timedelta(days=max(HORIZONS))
    rows = []
    for kind, (query, _of_loan) in _QUERIES.items():
        counts = query(active_loans(loans), as_of=as_of, until=until).aggregate(
            overdue=Count("pk", filter=Q(due__lt=as_of)),
            **{
                f"within_{days}": Count("pk", filter=Q(due__lte=as_of + dt.timedelta(days=days)))
                for days in HORIZONS
            },
        )
        rows.append({"kind": kind, "label": str(KIND_LABELS[kind]), **counts})
    return rows


def coming_due_visible_to(
    user, *, as_of: dt.date, horizon: int = DEFAULT_HORIZON, kind: str | None = None
) -> list[ComingDueItem]:
    """The page's and the API's list: an officer's own loans, a head's branch, oversight all
    (loans.selectors.loans_visible_to, the one scoping of loans)."""
    return coming_due_items(
        loans_visible_to(user), as_of=as_of, horizon=horizon, kinds=[kind] if kind else KINDS
    )


def group_by_kind(items: Iterable[ComingDueItem]) -> list[tuple[str, list[ComingDueItem]]]:
    """(label, items) per kind in the fixed order, kinds without items left out."""
    grouped: dict[str, list[ComingDueItem]] = {kind: [] for kind in KINDS}
    for item in items:
        grouped[item.kind].append(item)
    return [(str(KIND_LABELS[kind]), rows) for kind, rows in grouped.items() if rows]
