"""The error report of a batch as an Excel file."""

import io

from django.utils.translation import gettext as _

from ledger_import.parsing import reason_text

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise text Excel would run as a formula (CSV/formula injection, OWASP)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def error_report_xlsx(batch) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, issues in ((_("Errors"), batch.errors), (_("Warnings"), batch.warnings)):
        sheet = workbook.create_sheet(title=title)
        sheet.append([_("Row"), _("Column"), _("Reason")])
        for issue in issues:
            sheet.append(
                [issue["row"] or "", safe_cell(issue["column"]), safe_cell(reason_text(issue["reason"]))]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
