"""The monthly report as a PDF, laid out as a bank's monthly post-loan report: a cover with
the key figures, a page of charts, then the tables, each fitted to the page (A4 portrait, or
landscape for a wide one) with long text wrapped and the header row repeated on every page.

The font is embedded (dashboard/fonts/NotoSansSC-Report.ttf, a subset of Noto Sans CJK SC,
SIL OFL 1.1): a PDF naming a font it does not carry, as ReportLab's built-in STSong-Light
does, prints boxes on a PC without an Asian font pack.
"""

import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from dashboard.reports.cells import NUMERIC_KINDS, cell_kind, cell_text
from dashboard.reports.charts import INK, balance_bars, balance_trend
from dashboard.reports.layout import column_widths

FONT = "NotoSansSCReport"
FONT_FILE = Path(__file__).resolve().parent.parent / "fonts" / "NotoSansSC-Report.ttf"
MARGIN = 16 * mm
PAGES = {"portrait": A4, "landscape": landscape(A4)}
FRAME_WIDTHS = {name: size[0] - 2 * MARGIN for name, size in PAGES.items()}
CELL_SIZE = 8.5
# More columns than this are printed across a landscape page, as a bank's wide tables are,
# rather than squeezed into narrow portrait columns.
PORTRAIT_MAX_COLUMNS = 8
NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
ZEBRA = colors.HexColor("#F2F5FA")
MUTED = colors.HexColor("#595959")


def register_font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=13, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", base, fontSize=26, leading=34, alignment=TA_CENTER, textColor=INK),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=13, leading=20, alignment=TA_CENTER),
        "heading": ParagraphStyle(
            "heading",
            base,
            fontSize=12,
            leading=18,
            textColor=INK,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "body": base,
        "muted": ParagraphStyle("muted", base, fontSize=8, textColor=MUTED),
        "card_label": ParagraphStyle("card_label", base, fontSize=9, textColor=MUTED),
        "card_value": ParagraphStyle("card_value", base, fontSize=18, leading=24, textColor=INK),
        "cell": ParagraphStyle("cell", base, fontSize=CELL_SIZE, leading=11),
        "number": ParagraphStyle("number", base, fontSize=CELL_SIZE, leading=11, alignment=TA_RIGHT),
        "header": ParagraphStyle(
            "header", base, fontSize=CELL_SIZE, leading=11, alignment=TA_CENTER, textColor=colors.white
        ),
    }


TABLE_STYLE = TableStyle(
    [
        ("BACKGROUND", (0, 0), (-1, 0), INK),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#BFBFBF")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)


def _cover(data: dict, styles) -> list:
    width = FRAME_WIDTHS["portrait"]
    story = [
        Spacer(1, 40 * mm),
        Paragraph(escape(str(data["title"])), styles["title"]),
        Spacer(1, 6 * mm),
        Paragraph(escape(str(data["branch"])), styles["subtitle"]),
        Paragraph(
            escape(
                _("Month reported: %(month)s")
                % {"month": formats.date_format(data["month"], "YEAR_MONTH_FORMAT")}
            ),
            styles["subtitle"],
        ),
        Paragraph(escape(f"{_('Figures as of')} {data['figures_date']:%Y-%m-%d}"), styles["subtitle"]),
        Spacer(1, 14 * mm),
    ]
    cards = [
        [
            Paragraph(escape(str(label)), styles["card_label"]),
            Paragraph(escape(cell_text(value)), styles["card_value"]),
        ]
        for label, value in data["headline"]
    ]
    if len(cards) % 2:
        cards.append("")
    grid = Table(
        [cards[i : i + 2] for i in range(0, len(cards), 2)], colWidths=[width / 2] * 2, hAlign="CENTER"
    )
    grid.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#BFBFBF")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    grid.frame_width = width
    story += [
        grid,
        Spacer(1, 10 * mm),
        Paragraph(escape(_("Amounts in 10k yuan (万元) unless a column says otherwise.")), styles["muted"]),
    ]
    return story


def _charts(data: dict, styles) -> list:
    width = FRAME_WIDTHS["portrait"]
    charts = data["charts"]
    story = [Paragraph(escape(_("Trend and structure")), styles["heading"])]
    story.append(
        balance_trend(
            width=width,
            year=charts["year"],
            this_year=charts["this_year"],
            last_year=charts["last_year"],
            font=FONT,
        )
    )
    for key, title in (
        ("classes", _("Five-tier classification (10k yuan)")),
        ("buckets", _("Balance by days past due (10k yuan)")),
        ("products", _("Balance by product (10k yuan)")),
    ):
        story += [Spacer(1, 4 * mm), balance_bars(width=width, title=title, items=charts[key], font=FONT)]
    return story


def _grid(table, styles) -> tuple[str, Table]:
    """The table as a ReportLab Table fitted to a page, and which page (orientation) it needs."""
    headers = [str(h) for h in table.headers]
    rows = [list(row) for row in table.rows] or [[_("Nothing to report")] + [""] * (len(headers) - 1)]
    numeric = [
        all(
            cell_kind(row[i], headers[i]) in NUMERIC_KINDS
            for row in rows
            if i < len(row) and row[i] is not None
        )
        and any(i < len(row) and row[i] is not None for row in rows)
        for i in range(len(headers))
    ]
    texts = [
        [cell_text(row[i], headers[i]) if i < len(row) else "" for i in range(len(headers))] for row in rows
    ]
    orientation, widths = "portrait", None
    for orientation in PAGES if len(headers) <= PORTRAIT_MAX_COLUMNS else ["landscape"]:
        widths = column_widths(headers, texts, numeric, FRAME_WIDTHS[orientation], font=FONT, size=CELL_SIZE)
        if widths is not None:
            break
    if widths is None:  # wider than a landscape page even wrapped: share the width out
        widths = column_widths(
            headers, texts, numeric, FRAME_WIDTHS[orientation], font=FONT, size=CELL_SIZE, force=True
        )
    cells = [[Paragraph(escape(h), styles["header"]) for h in headers]]
    for line in texts:
        cells.append(
            [
                Paragraph(escape(text), styles["number" if numeric[i] else "cell"])
                for i, text in enumerate(line)
            ]
        )
    grid = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(TABLE_STYLE)
    if not table.rows:  # one cell across the row says so
        grid.setStyle(TableStyle([("SPAN", (0, 1), (-1, 1))]))
    grid.frame_width = FRAME_WIDTHS[orientation]
    return orientation, grid


def report_story(data: dict) -> list:
    """The flowables of the PDF, in order (each Table carries the ``frame_width`` it fits)."""
    register_font()
    styles = _styles()
    story = [*_cover(data, styles), PageBreak(), *_charts(data, styles)]
    current = "portrait"
    for table in data["tables"]:
        orientation, grid = _grid(table, styles)
        if orientation != current:
            story += [NextPageTemplate(orientation), PageBreak()]
            current = orientation
        story += [Paragraph(escape(str(table.title)), styles["heading"]), grid]
    return story


def _footer(data: dict):
    label = f"{data['branch']} · {data['title']} {data['month']:%Y-%m}"

    def draw(canvas, doc):
        width, _height = canvas._pagesize
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(colors.HexColor("#BFBFBF"))
        canvas.line(MARGIN, MARGIN - 4 * mm, width - MARGIN, MARGIN - 4 * mm)
        canvas.drawString(MARGIN, MARGIN - 8 * mm, label)
        canvas.drawRightString(width - MARGIN, MARGIN - 8 * mm, _("Page %(page)s") % {"page": doc.page})
        canvas.restoreState()

    return draw


def report_pdf(data: dict) -> bytes:
    story = report_story(data)
    out = io.BytesIO()
    footer = _footer(data)
    templates = [
        PageTemplate(
            id=name,
            frames=[Frame(MARGIN, MARGIN, size[0] - 2 * MARGIN, size[1] - 2 * MARGIN, id=name, **NO_PADDING)],
            onPage=footer,
            pagesize=size,
        )
        for name, size in PAGES.items()
    ]
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        pageTemplates=templates,
        title=str(data["title"]),
        author=str(data["branch"]),
        creator="branch-ops",
        invariant=1,
    )
    doc.build(story)
    return out.getvalue()
