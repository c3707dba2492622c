"""Writes: portfolio snapshots (built from the ledger or imported) and monthly reports."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.access import descendant_branch_ids
from accounts.models import Branch, Role, StaffProfile
from compliance.services import violation_approve, violation_withdraw
from core.locks import advisory_xact_locks
from core.queue import enqueue_coalesced_on_commit
from core.registry import DashboardScope
from dashboard.models import MonthlyReport, PortfolioSnapshot, SnapshotSource
from dashboard.reports import report_data, report_pdf, report_workbook
from dashboard.selectors import (
    BUCKET_LABELS,
    CLASS_LABELS,
    ledger_branches_bump,
    ledger_rows,
    month_end,
    today,
)
from dashboard.selectors.approvals import APPROVAL_KINDS, KIND_ACTION, KIND_CLASS, KIND_PENALTY
from loans.models import BorrowerType, Loan, Product
from loans.services import classification_decide
from notifications.services import email_queue
from post_loan.services import required_action_review

# Snapshots per branch, one writer at a time (core.locks).
SNAPSHOTS_LOCK = "dashboard.snapshots"


@transaction.atomic
def snapshot_build(*, as_of: dt.date, branch_ids=None) -> int:
    """Record the ledger as it stands now as the snapshot of ``as_of`` for every branch (or
    those given), one row per branch and officer. Run at the month end, after the day's
    import. Building the same date again replaces its rows, so it is safe to repeat.
    Returns the number of rows written."""
    if as_of > today():
        raise ValidationError(_("A snapshot cannot be dated in the future."))
    if branch_ids is None:
        branch_ids = list(Branch.objects.values_list("id", flat=True))
    # Per branch, ascending: a second build (or a CSV import) of the same branches waits,
    # then replaces these rows instead of colliding with them.
    advisory_xact_locks(namespace=SNAPSHOTS_LOCK, keys=branch_ids)
    rows = ledger_rows(branch_ids=branch_ids)
    PortfolioSnapshot.objects.filter(as_of=as_of, branch_id__in=branch_ids).delete()
    PortfolioSnapshot.objects.bulk_create(
        [PortfolioSnapshot(as_of=as_of, source=SnapshotSource.LEDGER, **row) for row in rows], batch_size=2000
    )
    return len(rows)


def ledger_figures_changed(*, loan_ids, as_of: dt.date) -> None:
    """LEDGER_CHANGE_HANDLERS hook: today's cached dashboard figures of these loans' branches
    are out of date (the other branches' stay cached). A few branches (a repayment, a
    reclassification): their figures are dropped, and the next load computes them, in
    milliseconds. Many (an import, the daily recompute, in chunks): a worker computes every
    branch a few seconds later, once for the whole burst, and swaps them in
    (ledger_figures_refresh); until then the dashboard shows the figures from before."""
    loans = Loan.objects.filter(id__in=list(loan_ids)).order_by()
    branch_ids = list(loans.values_list("branch_id", flat=True).distinct())
    if len(branch_ids) <= LEDGER_DROP_UP_TO:
        ledger_branches_bump(branch_ids)
    else:
        enqueue_coalesced_on_commit(REFRESH_LEDGER_FIGURES_TASK, countdown=REFRESH_LEDGER_FIGURES_AFTER)


# A change of up to this many branches drops their figures; of more, queues the refresh.
LEDGER_DROP_UP_TO = 5
REFRESH_LEDGER_FIGURES_TASK = "dashboard.tasks.refresh_ledger_figures"
# Seconds between a change and the refresh: the chunks of one import arrive within them.
REFRESH_LEDGER_FIGURES_AFTER = 5


# History CSV: one row per date, branch and (optionally) officer.
IMPORT_REQUIRED = ("as_of", "branch", "balance", "npl_balance", "overdue_balance", "loan_count")
IMPORT_BREAKDOWNS = {
    "product": ("by_product", set(Product.values)),
    "type": ("by_borrower_type", set(BorrowerType.values)),
    "class": ("by_class", set(CLASS_LABELS)),
    "bucket": ("by_bucket", set(BUCKET_LABELS)),
}
IMPORT_TEMPLATE = (
    "as_of,branch,officer,balance,npl_balance,overdue_balance,loan_count,product:housing,class:1,bucket:current\n"
    "2025-12-31,430424,,200250000.00,0.00,0.00,1150,120000000.00,200250000.00,200250000.00\n"
)


def _money(value: str, line: int, column: str) -> Decimal:
    try:
        amount = Decimal(value.replace(",", "").strip() or "0")
    except InvalidOperation:
        raise ValidationError(
            _("Line %(line)s: %(column)s “%(value)s” is not an amount."),
            params={"line": line, "column": column, "value": value},
        ) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(
            _("Line %(line)s: %(column)s must be a positive amount in yuan with at most two decimals."),
            params={"line": line, "column": column},
        )
    return amount


def snapshot_import_csv(*, data: bytes, allowed_branch_ids) -> int:
    """Import past snapshots from a CSV (columns ``as_of, branch, officer, balance,
    npl_balance, overdue_balance, loan_count`` and optional breakdowns ``product:KEY``,
    ``type:KEY``, ``class:1..5``, ``bucket:KEY``). All or nothing: any bad line rejects the
    file with its line number. A row for a date, branch and officer already there replaces it."""
    snapshots = snapshot_csv_parse(data=data, allowed_branch_ids=allowed_branch_ids)
    if not snapshots:
        raise ValidationError(_("The file has no rows."))
    _snapshots_merge(snapshots)
    return len(snapshots)


def _snapshots_merge(snapshots: list[PortfolioSnapshot]) -> None:
    """Replace the rows of the same date, branch and officer, in one transaction."""
    with transaction.atomic():
        advisory_xact_locks(namespace=SNAPSHOTS_LOCK, keys=[snapshot.branch_id for snapshot in snapshots])
        match = Q()
        for snapshot in snapshots:
            match |= Q(as_of=snapshot.as_of, branch_id=snapshot.branch_id, officer_id=snapshot.officer_id)
        PortfolioSnapshot.objects.filter(match).delete()
        PortfolioSnapshot.objects.bulk_create(snapshots, batch_size=2000)


@dataclass(frozen=True)
class _ImportLookups:
    """Branch codes the importer may write to, and officers by username or employee number."""

    branches: dict[str, int]
    officers: dict[str, int]


def snapshot_csv_parse(*, data: bytes, allowed_branch_ids) -> list[PortfolioSnapshot]:
    """The CSV's rows as unsaved snapshots; a ValidationError naming the first bad line."""
    reader = _csv_reader(data)
    lookups = _import_lookups(allowed_branch_ids)
    snapshots, keys = [], set()
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        snapshots.append(_snapshot_from_row(row, line=line, lookups=lookups, keys=keys))
    return snapshots


def _csv_reader(data: bytes) -> csv.DictReader:
    """A reader over the decoded file, once its header names every required column and
    only known breakdown columns."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text: save it as CSV UTF-8.")) from None
    reader = csv.DictReader(io.StringIO(text))
    headers = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in IMPORT_REQUIRED if name not in headers]
    if missing:
        raise ValidationError(_("Columns missing: %(names)s."), params={"names": ", ".join(missing)})
    for name in headers:
        if name in IMPORT_REQUIRED or name == "officer":
            continue
        prefix, _sep, key = name.partition(":")
        if prefix not in IMPORT_BREAKDOWNS or key not in IMPORT_BREAKDOWNS[prefix][1]:
            raise ValidationError(_("Unknown column “%(name)s”."), params={"name": name})
    return reader


def _import_lookups(allowed_branch_ids) -> _ImportLookups:
    officers = {}
    for user_id, username, employee_no in get_user_model().objects.values_list(
        "id", "username", "profile__employee_no"
    ):
        officers[username] = user_id
        if employee_no:
            officers[employee_no] = user_id
    return _ImportLookups(
        branches={b.code: b.pk for b in Branch.objects.filter(id__in=allowed_branch_ids)}, officers=officers
    )


def _snapshot_from_row(row: dict, *, line: int, lookups: _ImportLookups, keys: set) -> PortfolioSnapshot:
    """One line, checked in reading order; ``keys`` collects (date, branch, officer) to refuse repeats."""
    as_of = _row_date(row, line)
    branch_id = _row_branch(row, line, lookups)
    officer_id = _row_officer(row, line, lookups)
    key = (as_of, branch_id, officer_id)
    if key in keys:
        raise ValidationError(_("Line %(line)s repeats a date, branch and officer."), params={"line": line})
    keys.add(key)
    balance = _money(row["balance"], line, "balance")
    npl = _money(row["npl_balance"], line, "npl_balance")
    overdue = _money(row["overdue_balance"], line, "overdue_balance")
    if npl > balance or overdue > balance:
        raise ValidationError(
            _("Line %(line)s: the NPL and overdue balances cannot exceed the balance."),
            params={"line": line},
        )
    loan_count = _row_loan_count(row, line)
    breakdowns = _row_breakdowns(row, line)
    return PortfolioSnapshot(
        as_of=as_of,
        branch_id=branch_id,
        officer_id=officer_id,
        balance=balance,
        npl_balance=npl,
        overdue_balance=overdue,
        loan_count=loan_count,
        source=SnapshotSource.IMPORT,
        **breakdowns,
    )


def _row_date(row: dict, line: int) -> dt.date:
    try:
        as_of = dt.date.fromisoformat(row["as_of"])
    except ValueError:
        raise ValidationError(
            _("Line %(line)s: as_of “%(value)s” is not a date (YYYY-MM-DD)."),
            params={"line": line, "value": row["as_of"]},
        ) from None
    if as_of > today():
        raise ValidationError(_("Line %(line)s: the date is in the future."), params={"line": line})
    return as_of


def _row_branch(row: dict, line: int, lookups: _ImportLookups) -> int:
    branch_id = lookups.branches.get(row["branch"])
    if branch_id is None:
        raise ValidationError(
            _("Line %(line)s: branch “%(code)s” is unknown or not yours."),
            params={"line": line, "code": row["branch"]},
        )
    return branch_id


def _row_officer(row: dict, line: int, lookups: _ImportLookups) -> int | None:
    """The officer column is optional: empty means a branch-level row."""
    if not row.get("officer"):
        return None
    officer_id = lookups.officers.get(row["officer"])
    if officer_id is None:
        raise ValidationError(
            _("Line %(line)s: officer “%(name)s” is unknown."),
            params={"line": line, "name": row["officer"]},
        )
    return officer_id


def _row_loan_count(row: dict, line: int) -> int:
    try:
        loan_count = int(row["loan_count"] or "0")
    except ValueError:
        loan_count = -1
    if loan_count < 0:
        raise ValidationError(_("Line %(line)s: loan_count must be a whole number."), params={"line": line})
    return loan_count


def _row_breakdowns(row: dict, line: int) -> dict[str, dict[str, str]]:
    breakdowns = {field: {} for field, _keys in IMPORT_BREAKDOWNS.values()}
    for name, value in row.items():
        prefix, _sep, part = name.partition(":")
        if prefix in IMPORT_BREAKDOWNS and value:
            breakdowns[IMPORT_BREAKDOWNS[prefix][0]][part] = str(_money(value, line, name))
    return breakdowns


def _branch_and_below(branch_id: int) -> frozenset[int]:
    return frozenset(descendant_branch_ids(branch_id, Branch.objects.values_list("id", "parent_id")))


def monthly_report_generate(*, branch_id: int, month: dt.date, email: bool = True) -> MonthlyReport:
    """Generate (or regenerate) the monthly post-loan report of a branch and every branch
    below it for ``month``, store the workbook and the PDF, and queue one email per branch
    head with the links. Figures are those of the month end (the latest snapshot on or
    before it). Safe to run twice: the report is replaced, the email is queued once."""
    month = month.replace(day=1)
    last_day = month_end(month.year, month.month)
    if last_day >= today():
        raise ValidationError(_("A month's report can be made once the month is over."))
    branch = Branch.objects.get(pk=branch_id)
    heads = list(
        get_user_model()
        .objects.filter(profile__branch_id=branch_id, profile__role=Role.BRANCH_HEAD, is_active=True)
        .order_by("id")
    )
    scope = DashboardScope(
        user=heads[0] if heads else None,
        branch_ids=_branch_and_below(branch_id),
        officer_id=None,
        as_of=last_day,
    )
    # The report is in the branch's language whoever (or whichever job) asks for it.
    with translation.override(settings.LANGUAGE_CODE):
        data = report_data(scope, branch=branch, month=month)
        workbook, pdf = report_workbook(data), report_pdf(data)
    stem = f"post-loan-report-{branch.code}-{month:%Y-%m}"
    with transaction.atomic():
        report, _created = MonthlyReport.objects.select_for_update().get_or_create(
            branch=branch, month=month, defaults={"as_of": last_day}
        )
        for field_file in (report.workbook, report.pdf):
            if field_file:
                field_file.delete(save=False)
        report.as_of = last_day
        report.workbook.save(f"{stem}.xlsx", ContentFile(workbook), save=False)
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        report.save()
        if email:
            for head in heads:
                email_queue(
                    kind="monthly_report",
                    key_date=month,
                    recipient=head,
                    template="dashboard/emails/monthly_report",
                    context={
                        "branch": branch,
                        "month": month,
                        "data": data,
                        "workbook_url": settings.SITE_URL
                        + reverse("dashboard-report-file", args=[report.pk, "xlsx"]),
                        "pdf_url": settings.SITE_URL
                        + reverse("dashboard-report-file", args=[report.pk, "pdf"]),
                    },
                )
    return report


def monthly_reports_generate_all(*, month: dt.date) -> list[int]:
    """The beat job: one report per branch that has a branch head."""
    branch_ids = sorted(
        set(
            StaffProfile.objects.filter(role=Role.BRANCH_HEAD, user__is_active=True).values_list(
                "branch_id", flat=True
            )
        )
    )
    made = []
    for branch_id in branch_ids:
        try:
            made.append(monthly_report_generate(branch_id=branch_id, month=month).pk)
        except ValidationError:
            continue  # no figures for that branch yet: nothing to report
    return made


# The approval list's batch decision: one reason for the batch, each row through its own
# service, so maker-checker and every other rule still apply row by row.
_DECIDE = {
    KIND_CLASS: lambda row, user, approve, reason: classification_decide(
        change=row, decided_by=user, approve=approve, note=reason
    ),
    KIND_PENALTY: lambda row, user, approve, reason: (
        violation_approve(violation=row, approved_by=user)
        if approve
        else violation_withdraw(violation=row, withdrawn_by=user)
    ),
    KIND_ACTION: lambda row, user, approve, reason: required_action_review(
        action=row, user=user, accepted=approve, comment=reason
    ),
}


@dataclass
class BatchOutcome:
    done: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (row, message)


def approvals_decide(*, user, kind_key: str, rows: list, approve: bool, reason: str = "") -> BatchOutcome:
    """Approve (or reject) each of ``rows``, pending rows of ``kind_key`` the caller read
    through ``approvals_filtered``. Each row is decided in its own transaction by the
    kind's own service; a row that service refuses is reported and the others go through."""
    if kind_key not in APPROVAL_KINDS:
        raise ValidationError(_("Unknown kind of approval."))
    outcome = BatchOutcome()
    for row in rows:
        try:
            with transaction.atomic():
                _DECIDE[kind_key](row, user, approve, reason)
        except PermissionDenied:
            outcome.refused.append((row, _("You may not decide this one.")))
        except ValidationError as error:
            outcome.refused.append((row, " ".join(error.messages)))
        else:
            outcome.done.append(row)
    return outcome
