"""The monthly post-loan report (贷后管理月报): its figures (``report_data``, with the
tables every app's dashboard section adds through core.registry) drawn as an Excel
workbook and a PDF. dashboard.services.monthly_report_generate stores both and emails the
links. ``wan``, the 万元 amounts the page and the sections print, lives here too.

The PDF is drawn with ReportLab: pure Python, already the reference PDF library, and its
built-in CID font STSong-Light (Adobe's Simplified Chinese font, which every PDF reader
carries) prints Chinese without shipping or downloading a font file.
"""

import datetime as dt
import io
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from core.registry import DashboardScope, ReportTable, report_tables_for
from dashboard.selectors import (
    BORROWER_TYPE_LABELS,
    BUCKET_LABELS,
    CLASS_LABELS,
    PRODUCT_LABELS,
    balance_by_month,
    branches_by_id,
    officer_names,
    summary,
    top_overdue_borrowers,
)

WAN = Decimal("10000")


def wan(amount) -> Decimal | None:
    """Yuan to 万元 with two places (how the branch reads its figures)."""
    if amount is None:
        return None
    return (Decimal(amount) / WAN).quantize(Decimal("0.01"))


def _pct(ratio: Decimal) -> str:
    return f"{ratio * 100:.2f}%"


def report_data(scope: DashboardScope, *, branch, month: dt.date) -> dict:
    """Everything the report prints: the headline, the tables behind the charts, and every
    dashboard section's report tables. Personal ID numbers are not printed: borrowers are
    named only."""
    figures = summary(scope)
    portfolio = figures["portfolio"]
    total = portfolio.total
    change = figures["change_since_year_start"]
    headline = [
        [_("Loan balance (10k yuan)"), wan(total.balance)],
        [_("Balance at the start of the year (10k yuan)"), wan(figures["balance_at_year_start"])],
        [_("Change since the start of the year (10k yuan)"), wan(change)],
        [_("Non-performing balance (10k yuan)"), wan(total.npl_balance)],
        [_("NPL ratio"), _pct(total.npl_ratio)],
        [_("Years in a row with zero NPL"), figures["zero_npl_years"]],
        [_("Overdue balance (10k yuan)"), wan(total.overdue_balance)],
        [_("Loans"), total.loan_count],
    ]
    months = balance_by_month(scope, portfolio)
    tables = [
        ReportTable(
            _("Balance by month (10k yuan)"),
            [_("Month"), _("This year"), _("Last year")],
            [[m + 1, wan(months["this_year"][m]), wan(months["last_year"][m])] for m in range(12)],
        ),
        ReportTable(
            _("Balance by class (10k yuan)"),
            [_("Class"), _("Balance")],
            [[str(label), wan(total.by_class.get(key, 0))] for key, label in CLASS_LABELS.items()],
        ),
        ReportTable(
            _("Balance by bucket (10k yuan)"),
            [_("Days past due"), _("Balance")],
            [[str(label), wan(total.by_bucket.get(key, 0))] for key, label in BUCKET_LABELS.items()],
        ),
        ReportTable(
            _("Balance by product (10k yuan)"),
            [_("Product"), _("Balance")],
            [[str(label), wan(total.by_product.get(key, 0))] for key, label in PRODUCT_LABELS.items()],
        ),
        ReportTable(
            _("Balance by borrower type (10k yuan)"),
            [_("Borrower type"), _("Balance")],
            [
                [str(label), wan(total.by_borrower_type.get(key, 0))]
                for key, label in BORROWER_TYPE_LABELS.items()
            ],
        ),
    ]
    names = officer_names(portfolio.by_officer)
    tables.append(
        ReportTable(
            _("Balance by officer (10k yuan)"),
            [_("Officer"), _("Loans"), _("Balance"), _("Non-performing"), _("Overdue")],
            [
                [
                    names.get(officer_id, _("Branch level")),
                    f.loan_count,
                    wan(f.balance),
                    wan(f.npl_balance),
                    wan(f.overdue_balance),
                ]
                for officer_id, f in sorted(portfolio.by_officer.items(), key=lambda item: -item[1].balance)
            ],
        )
    )
    if len(scope.branch_ids) > 1:
        branches = branches_by_id(scope.branch_ids)
        tables.append(
            ReportTable(
                _("Branches compared (10k yuan)"),
                [
                    _("Branch"),
                    _("Balance"),
                    _("Change since 1 January"),
                    _("Non-performing"),
                    _("NPL ratio"),
                    _("Overdue"),
                ],
                [
                    [
                        branches[branch_id].name if branch_id in branches else branch_id,
                        wan(f.balance),
                        wan(f.balance - figures["base_by_branch"][branch_id])
                        if branch_id in figures["base_by_branch"]
                        else None,
                        wan(f.npl_balance),
                        _pct(f.npl_ratio),
                        wan(f.overdue_balance),
                    ]
                    for branch_id, f in sorted(portfolio.by_branch.items(), key=lambda item: -item[1].balance)
                ],
            )
        )
    if portfolio.live:
        tables.append(
            ReportTable(
                _("Top overdue borrowers (10k yuan)"),
                [_("Borrower"), _("Overdue balance"), _("Days past due")],
                [[b["borrower__name"], wan(b["overdue"]), b["days"]] for b in top_overdue_borrowers(scope)],
            )
        )
    tables.extend(report_tables_for(scope))
    return {
        "title": _("Monthly post-loan report"),
        "branch": branch.name,
        "month": month,
        "figures_date": portfolio.figures_date,
        "headline": headline,
        "tables": tables,
    }


# A cell starting with one of these is read as a formula by Excel (CSV/formula injection):
# borrower and branch names come from the ledger file, so text cells get a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return "—"
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def report_workbook(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Headline")[:31]
    sheet.append([_cell(f"{data['title']} · {data['branch']} · {data['month']:%Y-%m}")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Figures as of"), data["figures_date"].isoformat()])
    for label, value in data["headline"]:
        sheet.append([_cell(str(label)), _cell(value)])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 20
    used = {sheet.title}
    for index, table in enumerate(data["tables"], start=1):
        title = "".join(ch for ch in str(table.title) if ch not in "[]:*?/\\")[:28] or str(index)
        if title in used:
            title = f"{title[:25]}{index}"
        used.add(title)
        tab = book.create_sheet(title)
        tab.append([_cell(str(table.title))])
        tab["A1"].font = Font(bold=True)
        tab.append([_cell(str(h)) for h in table.headers])
        for cell in tab[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            tab.append([_cell(v) if not isinstance(v, Decimal) else v for v in row])
        tab.column_dimensions["A"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_pdf(data: dict) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    styles = getSampleStyleSheet()
    for name in ("Title", "Heading2", "Normal"):
        styles[name].fontName = font
    table_style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ]
    )
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=str(data["title"]))
    story = [
        Paragraph(f"{data['title']} · {data['branch']} · {data['month']:%Y-%m}", styles["Title"]),
        Paragraph(
            f"{_('Figures as of')} {formats.date_format(data['figures_date'], 'Y-m-d')}", styles["Normal"]
        ),
        Spacer(1, 8),
    ]
    headline = Table([[str(label), str(_cell(value))] for label, value in data["headline"]], hAlign="LEFT")
    headline.setStyle(table_style)
    story.append(headline)
    for table in data["tables"]:
        story += [Spacer(1, 10), Paragraph(str(table.title), styles["Heading2"])]
        rows = [[str(h) for h in table.headers]] + [[str(_cell(v)) for v in row] for row in table.rows]
        if len(rows) == 1:
            rows.append([_("Nothing to report")] + [""] * (len(table.headers) - 1))
        grid = Table(rows, hAlign="LEFT", repeatRows=1)
        grid.setStyle(table_style)
        story.append(grid)
    doc.build(story)
    return out.getvalue()
