"""Ledger files for the tests and the benchmark: rows as dicts keyed by the Chinese headers,
written as CSV (any encoding, see ledger_import.format) or XLSX."""

import datetime as dt
import io
from itertools import count

import factory

from ledger_import.format import HEADERS, ledger_csv
from ledger_import.models import BatchStatus, ImportBatch
from loans.identifiers import make_credit_code, make_resident_id

# The format's pieces stay importable from here, where the tests have always found them.
__all__ = ["HEADERS", "ImportBatchFactory", "ledger_csv", "ledger_row", "ledger_xlsx"]

_serial = count(1)


def ledger_row(
    *, branch_code: str = "430424", officer_no: str = "K0001", corporate: bool = False, **overrides
) -> dict:
    """A valid ledger row (Chinese headers → cell text); override any cell by header."""
    n = next(_serial)
    row = {
        "借据号": f"TJ{n:010d}",
        "合同号": f"HT{n:08d}",
        "机构号": branch_code,
        "客户名称": f"测试企业{n}有限公司" if corporate else f"测试客户{n}",
        "客户类型": "对公" if corporate else "个人",
        "证件号码": make_credit_code("430424", 500000 + n)
        if corporate
        else make_resident_id("430424", dt.date(1975, 1, 1) + dt.timedelta(days=n), n),
        "联系电话": f"139{n:08d}",
        "工作单位": "" if corporate else "衡东县人民医院",
        "行业代码": "C26" if corporate else "",
        "贷款品种": "流动资金贷款" if corporate else "个人消费贷款",
        "担保方式": "保证" if corporate else "信用",
        "楼盘项目": "",
        "开发商": "",
        "发放日期": "2025-06-15",
        "到期日期": "2028-06-15",
        "发放金额": "100,000.00",
        "贷款余额": "80000.00",
        "执行年利率(%)": "4.35",
        "还款方式": "等额本息",
        "每月还款日": "15",
        "逾期本金": "0",
        "逾期利息": "0",
        "逾期天数": "0",
        "五级分类": "正常",
        "管户客户经理工号": officer_no,
        "数据日期": "2026-10-31",
    }
    row.update(overrides)
    return row


def ledger_xlsx(rows: list[dict], *, headers: list[str] | None = None) -> bytes:
    """An .xlsx workbook; cells are written as given (dates may be datetime or serials)."""
    from openpyxl import Workbook

    headers = headers or list(rows[0])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class ImportBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportBatch

    file_name = factory.Sequence(lambda n: f"ledger-{n}.csv")
    file = factory.django.FileField(filename="ledger.csv", data=b"x")
    sha256 = "0" * 64
    status = BatchStatus.SUCCEEDED
