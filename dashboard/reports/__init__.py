"""The monthly post-loan report (贷后管理月报): its figures (``data``), and the same figures
drawn as an Excel workbook (``workbook``) and a PDF (``pdf``, with ``charts`` and the column
``layout``); ``cells`` is the one rule for how a figure is written.
dashboard.services.monthly_report_generate stores both files and emails the links.

The names are re-exported here; modules of this package import each other directly.
"""

from core.formatting import to_wan as wan
from dashboard.reports.cells import Ratio, cell_text
from dashboard.reports.data import report_data
from dashboard.reports.pdf import report_pdf, report_story
from dashboard.reports.workbook import report_workbook

__all__ = ["Ratio", "cell_text", "report_data", "report_pdf", "report_story", "report_workbook", "wan"]
