"""The monthly report's files: the PDF's font, pages and tables; the workbook's formats."""

import datetime as dt
import io
import re
from decimal import Decimal

from openpyxl import load_workbook
from reportlab.platypus import Paragraph, Table

from core.registry import ReportTable
from dashboard.reports import Ratio, report_pdf, report_story, report_workbook
from dashboard.reports.pdf import FRAME_WIDTHS
from dashboard.reports.workbook import sheet_name

WIDE_HEADERS = [
    "员工号",
    "姓名",
    "机构",
    "培训学时",
    "出勤率（%）",
    "连续缺席晨会",
    "平均测试成绩",
    "未确认制度",
    "逾期未确认制度",
    "违规次数",
    "罚款（元）",
    "未达标原因",
]


def _wide_rows(count: int) -> list[list]:
    reason = "本月晨会缺席两次；《对公信贷业务贷后管理操作手册》测试未达标；违规处理办法未确认"
    return [
        [
            f"E{n:04d}",
            f"客户经理{n}",
            "衡东支行",
            Decimal("12.5"),
            Decimal("87.5"),
            1,
            Decimal("82.30"),
            2,
            1,
            0,
            Decimal("1500.00"),
            reason,
        ]
        for n in range(count)
    ]


def report(tables=None) -> dict:
    months = [Decimal("20025.00") + Decimal(m * 190) for m in range(10)] + [None, None]
    return {
        "title": "贷后管理月报",
        "branch": "衡东支行",
        "month": dt.date(2026, 10, 1),
        "figures_date": dt.date(2026, 10, 31),
        "headline": [
            ("贷款余额（万元）", Decimal("21921.00")),
            ("较年初增减（万元）", Decimal("1896.00")),
            ("不良贷款余额（万元）", Decimal("0.00")),
            ("不良率", Ratio("0.0123")),
            ("连续零不良年数", 10),
            ("逾期贷款余额（万元）", Decimal("1234567.89")),
            ("笔数", 1203),
        ],
        "tables": tables
        if tables is not None
        else [
            ReportTable(
                "各月末余额（万元）", ["月份", "本年", "上年"], [[m + 1, v, v] for m, v in enumerate(months)]
            ),
            ReportTable("合规与培训", WIDE_HEADERS, _wide_rows(40)),
        ],
        "charts": {
            "year": 2026,
            "this_year": months,
            "last_year": [v - 1500 if v else None for v in months],
            "classes": [
                ("正常", Decimal("21000.00")),
                ("关注", Decimal("921.00")),
                ("次级", Decimal("0.00")),
            ],
            "buckets": [("未逾期", Decimal("21800.00")), ("1-30天", Decimal("121.00"))],
            "products": [("个人住房贷款", Decimal("15000.00")), ("流动资金贷款", Decimal("6921.00"))],
        },
    }


def _tables(story) -> list[Table]:
    return [flowable for flowable in story if isinstance(flowable, Table)]


def _flat(item) -> list:
    return item if isinstance(item, list) else [item]


def test_a_chart_with_one_month_or_none_still_draws():
    data = report()
    data["charts"] |= {"this_year": [Decimal("1.00")] + [None] * 11, "last_year": [None] * 12}
    assert report_pdf(data).startswith(b"%PDF")


def test_report_pdf_embeds_its_chinese_font_instead_of_naming_stsong():
    pdf = report_pdf(report())
    assert b"/FontFile2" in pdf  # TrueType outlines carried in the file
    assert b"STSong-Light" not in pdf and b"/FontFile2" in pdf


def test_every_pdf_table_fits_the_width_of_its_page():
    story = report_story(report())
    tables = _tables(story)
    assert len(tables) >= 3  # the cover's key figures and the two tables
    for table in tables:
        assert sum(table._colWidths) <= table.frame_width + 0.01
    compliance = tables[-1]
    assert compliance.frame_width == FRAME_WIDTHS["landscape"]  # 12 columns go landscape
    assert compliance.repeatRows == 1  # its header is repeated on every page


def test_a_table_wider_than_a_landscape_page_still_fits_it():
    headers = [f"很长的列标题第{n}列" for n in range(30)]
    story = report_story(report([ReportTable("宽表", headers, [["很长的文字内容" * 3] * 30])]))
    table = _tables(story)[-1]
    assert sum(table._colWidths) <= FRAME_WIDTHS["landscape"] + 0.01


def test_pdf_has_a_cover_a_chart_page_and_the_tables():
    pdf = report_pdf(report())
    pages = len(re.findall(rb"/Type /Page\b(?!s)", pdf))
    assert pages >= 4  # cover, charts, the month table, the compliance table on landscape pages


def test_pdf_writes_amounts_in_10k_yuan_with_thousands_separators():
    texts = []
    for flowable in report_story(report()):
        if isinstance(flowable, Table):
            cells = [cell for row in flowable._cellvalues for item in row for cell in _flat(item)]
            texts += [cell.text for cell in cells if isinstance(cell, Paragraph)]
    assert "1,234,567.89" in texts and "21,921.00" in texts
    assert "1.23%" in texts  # the NPL ratio
    assert "1,500.00" in texts and "87.50%" in texts  # a section's yuan and per-cent columns
    assert "1,203" in texts


def test_workbook_cells_carry_number_formats():
    book = load_workbook(io.BytesIO(report_workbook(report())))
    headline = book.worksheets[0]
    figures = {row[0].value: row[1] for row in headline.iter_rows(min_row=4)}
    assert figures["贷款余额（万元）"].number_format == "#,##0.00"
    assert figures["不良率"].number_format == "0.00%" and figures["不良率"].value == 0.0123
    assert figures["笔数"].number_format == "#,##0"
    assert headline.freeze_panes == "A4"
    compliance = book["合规与培训"]
    assert compliance.freeze_panes == "A3"  # title and header row stay in view
    assert compliance["E3"].number_format == "0.00%" and compliance["E3"].value == 0.875
    assert compliance["K3"].number_format == "#,##0.00" and compliance["K3"].value == 1500
    assert compliance["F3"].number_format == "#,##0"
    assert compliance.column_dimensions["L"].width > compliance.column_dimensions["F"].width >= 8


def test_sheet_names_are_the_tables_titles_made_valid_and_readable():
    used: set[str] = set()
    assert sheet_name("对公 / 个人余额（万元）", used) == "对公、个人余额（万元）"
    assert sheet_name("各月末余额（万元）", used) == "各月末余额（万元）"
    assert sheet_name("各月末余额（万元）", used) == "各月末余额（万元） (2)"
    assert sheet_name("Required actions per officer and per template (10k yuan)", used) == (
        "Required actions per officer"
    )
    assert sheet_name("逾期[重点]借款人: 名单?*", used) == "逾期（重点）借款人：名单"
