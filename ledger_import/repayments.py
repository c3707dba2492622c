"""Importing a repayment file (还款流水) from the core banking system.

Same rules as the ledger: every row checked and every error reported; all or nothing (one
transaction, rolled back when any row fails); idempotent by the core's transaction number
(流水号) with source "import", so a file imported twice records each payment once. Each
payment goes through loans.services.repayment_record, which updates the balance, the
instalments, the arrears and the class floor exactly as a payment entered by staff does.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from ledger_import import parsing
from ledger_import.ledger import Column, read_table
from ledger_import.parsing import CellError, FileRejected, Issue, bilingual
from loans.models import Loan, RepaymentSource
from loans.services import repayment_record

REPAYMENT_COLUMNS = (
    Column("loan_no", "借据号", "loan_no", True),
    Column("paid_on", "还款日期", "paid_on", True),
    Column("principal", "还款本金", "principal", True),
    Column("interest", "还款利息", "interest", True),
    Column("reference", "流水号", "reference", True),
)


def repayments_import(
    *,
    data: bytes,
    recorded_by=None,
    allowed_branch_ids: frozenset[int] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    history: dict | None = None,
):
    from ledger_import.services import ImportResult, history_context

    try:
        positions, labels, warnings, body = read_table(data, REPAYMENT_COLUMNS)
    except FileRejected as rejected:
        return ImportResult(errors=rejected.issues)
    result = ImportResult(rows_total=len(body), warnings=warnings)
    label = {key: labels[position] for key, position in positions.items()}
    loan_nos = {
        str(cells[positions["loan_no"]]).strip() for _n, cells in body if positions["loan_no"] < len(cells)
    }
    loans = Loan.objects.in_bulk(loan_nos, field_name="loan_no")
    if allowed_branch_ids is not None:
        loans = {number: loan for number, loan in loans.items() if loan.branch_id in allowed_branch_ids}

    checked, seen = [], {}
    for number, cells in body:
        found = []

        def cell(key, cells=cells):
            position = positions[key]
            value = cells[position] if position < len(cells) else None
            return None if parsing.is_blank(value) else value

        def parse(key, parser, found=found, number=number, **kwargs):
            value = cell(key)
            if value is None:
                found.append(Issue(number, label[key], bilingual(_("This value is required."))))
                return None
            try:
                return parser(value, **kwargs)
            except CellError as error:
                found.append(Issue(number, label[key], bilingual(error.message, error.params)))
                return None

        loan_no = parse("loan_no", parsing.text, max_length=40)
        paid_on = parse("paid_on", parsing.date)
        principal = parse("principal", parsing.amount)
        interest = parse("interest", parsing.amount)
        reference = parse("reference", parsing.text, max_length=64)
        loan = loans.get(loan_no) if loan_no else None
        if loan_no and loan is None:
            found.append(
                Issue(
                    number,
                    label["loan_no"],
                    bilingual(_("Unknown loan number %(loan_no)s."), {"loan_no": loan_no}),
                )
            )
        if reference:
            if reference in seen:
                found.append(
                    Issue(
                        number,
                        label["reference"],
                        bilingual(
                            _("Reference %(ref)s appears twice in this file (first in row %(row)d)."),
                            {"ref": reference, "row": seen[reference]},
                        ),
                    )
                )
            seen.setdefault(reference, number)
        if principal is not None and interest is not None and principal == 0 and interest == 0:
            found.append(
                Issue(
                    number,
                    label["principal"],
                    bilingual(_("Principal and interest are both zero.")),
                )
            )
        if found:
            result.errors.extend(found)
        else:
            checked.append((number, loan, paid_on, principal, interest, reference))
    if progress:
        progress("checking", len(body), len(body))
    if result.errors:
        return result

    if progress:
        progress("writing", len(body), len(body))
    recorded = already = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            history_context(cursor, {"source": "repayment_import", **(history or {})})
        for number, loan, paid_on, principal, interest, reference in checked:
            try:
                _repayment, created = repayment_record(
                    loan=loan,
                    paid_on=paid_on,
                    principal=principal,
                    interest=interest,
                    source=RepaymentSource.IMPORT,
                    reference=reference,
                    recorded_by=recorded_by,
                )
            except ValidationError as error:
                for field, messages in _by_field(error):
                    column = label.get(field, label["loan_no"])
                    for message in messages:
                        result.errors.append(Issue(number, column, {"zh-hans": message, "en": message}))
                continue
            if created:
                recorded += 1
            else:
                already += 1
        if result.errors:
            transaction.set_rollback(True)
            return result
    result.summary = {"rows": len(checked), "recorded": recorded, "already_recorded": already}
    return result


def _by_field(error: ValidationError):
    if hasattr(error, "error_dict"):
        return [
            (field, [str(message) for message in messages]) for field, messages in error.message_dict.items()
        ]
    return [("", [str(message) for message in error.messages])]
