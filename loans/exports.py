"""Excel export of the loan list (openpyxl, streamed row by row in write-only mode)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

# A cell starting with one of these is read as a formula by Excel (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def loans_workbook(loans, *, show_personal) -> bytes:
    """``show_personal(loan) -> (id_number, phone)`` decides what each row shows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Loans"))
    sheet.append(
        [
            _("Loan number"),
            _("Contract number"),
            _("Borrower"),
            _("ID number"),
            _("Phone"),
            _("Product"),
            _("Guarantee"),
            _("Officer"),
            _("Disbursed on"),
            _("Matures on"),
            _("Principal"),
            _("Balance"),
            _("Annual rate (%)"),
            _("Overdue principal"),
            _("Overdue interest"),
            _("Days past due"),
            _("Bucket"),
            _("Class"),
            _("Status"),
        ]
    )
    for loan in loans:
        id_number, phone = show_personal(loan)
        profile = getattr(loan.officer, "profile", None)
        row = [
            loan.loan_no,
            loan.contract_no,
            loan.borrower.name,
            id_number,
            phone,
            loan.get_product_display(),
            loan.get_guarantee_display(),
            profile.full_name if profile else loan.officer.get_username(),
            loan.disbursed_on,
            loan.matures_on,
            loan.principal,
            loan.balance,
            loan.annual_rate,
            loan.overdue_principal,
            loan.overdue_interest,
            loan.days_past_due,
            loan.get_bucket_display(),
            loan.get_risk_class_display(),
            loan.get_status_display(),
        ]
        sheet.append(
            [
                neutralise(str(value)) if hasattr(value, "_proxy____cast") else neutralise(value)
                for value in row
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename() -> str:
    return f"loans-{timezone.localdate():%Y%m%d}.xlsx"
