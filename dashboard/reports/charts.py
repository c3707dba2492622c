"""The dashboard's charts drawn for the PDF with reportlab.graphics: no browser, no network.

Each function returns a Drawing as wide as the frame it goes in; amounts are in 万元.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from dashboard.reports.cells import cell_text

INK = colors.HexColor("#1F3864")  # the bank's dark blue
LAST_YEAR = colors.HexColor("#A6A6A6")
BAR = colors.HexColor("#2E75B6")
GRID = colors.HexColor("#D9D9D9")


def _float(value) -> float | None:
    return None if value is None else float(value)


def _axis_labels(axis, font: str, size: float = 7) -> None:
    axis.labels.fontName = font
    axis.labels.fontSize = size


def _title(drawing: Drawing, text: str, font: str) -> None:
    drawing.add(String(0, drawing.height - 12, text, fontName=font, fontSize=10, fillColor=INK))


def balance_trend(*, width: float, year: int, this_year, last_year, font: str) -> Drawing:
    """Month-end balance of this year against the last (a gap where no figures exist)."""
    drawing = Drawing(width, 190)
    _title(drawing, _("Month-end loan balance (10k yuan)"), font)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 55, 30, width - 75, 125
    chart.data = [[_float(v) for v in this_year], [_float(v) for v in last_year]]
    chart.categoryAxis.categoryNames = [_("Month %(month)s") % {"month": m} for m in range(1, 13)]
    _axis_labels(chart.categoryAxis, font)
    _axis_labels(chart.valueAxis, font)
    chart.valueAxis.labelTextFormat = lambda value: f"{value:,.0f}"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID
    values = [v for series in chart.data for v in series if v is not None]
    if values:
        low, high = min(values), max(values)
        margin = (high - low) * 0.15 or high * 0.05 or 1
        chart.valueAxis.valueMin = max(0, low - margin)
        chart.valueAxis.valueMax = high + margin
    else:
        chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 1
    chart.lines[0].strokeColor, chart.lines[0].strokeWidth = INK, 2
    chart.lines[1].strokeColor, chart.lines[1].strokeWidth = LAST_YEAR, 1.5
    chart.lines[1].strokeDashArray = [4, 2]
    # A series is joined only when it has two points (ReportLab cannot draw a one-point
    # line); every point also gets a marker, so a lone month-end still shows.
    chart.joinedLines = 0
    for index, series in enumerate(chart.data):
        chart.lines[index].symbol = makeMarker("FilledCircle", size=3)
        if sum(value is not None for value in series) >= 2:
            chart.lines[index].lineStyle = "joinedLine"
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 170, drawing.height - 8
    legend.fontName, legend.fontSize = font, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.colorNamePairs = [(INK, str(year)), (LAST_YEAR, str(year - 1))]
    drawing.add(legend)
    return drawing


def balance_bars(*, width: float, title: str, items, font: str) -> Drawing:
    """One horizontal bar per label, its amount written beside it."""
    items = list(items)
    height = 40 + 18 * len(items)
    drawing = Drawing(width, height)
    _title(drawing, title, font)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 90, 10, width - 170, height - 30
    chart.data = [[float(value or 0) for _label, value in reversed(items)]]
    chart.categoryAxis.categoryNames = [label for label, _value in reversed(items)]
    _axis_labels(chart.categoryAxis, font, 8)
    chart.valueAxis.visible = False
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([float(value or 0) for _label, value in items] + [1])
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabels.fontName, chart.barLabels.fontSize = font, 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabelFormat = lambda value: cell_text(Decimal(str(value)).quantize(Decimal("0.01")))
    drawing.add(chart)
    return drawing
