"""The ledger file's format (/work/shared/docs/ledger-import-format.md): its columns, and a
writer for files in that format (the demo ledger, the tests and the benchmark use it)."""

import csv
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool = False


LEDGER_COLUMNS = (
    Column("loan_no", "借据号", "loan_no", True),
    Column("contract_no", "合同号", "contract_no"),
    Column("branch_code", "机构号", "branch_code", True),
    Column("borrower_name", "客户名称", "borrower_name", True),
    Column("borrower_type", "客户类型", "borrower_type", True),
    Column("id_number", "证件号码", "id_number", True),
    Column("phone", "联系电话", "phone"),
    Column("employer", "工作单位", "employer"),
    Column("industry_code", "行业代码", "industry_code"),
    Column("product", "贷款品种", "product", True),
    Column("guarantee", "担保方式", "guarantee", True),
    Column("property_project", "楼盘项目", "property_project"),
    Column("developer", "开发商", "developer"),
    Column("disbursed_on", "发放日期", "disbursed_on", True),
    Column("matures_on", "到期日期", "matures_on", True),
    Column("principal", "发放金额", "principal", True),
    Column("balance", "贷款余额", "balance", True),
    Column("annual_rate_pct", "执行年利率(%)", "annual_rate_pct", True),
    Column("repayment_method", "还款方式", "repayment_method", True),
    Column("repayment_day", "每月还款日", "repayment_day"),
    Column("overdue_principal", "逾期本金", "overdue_principal"),
    Column("overdue_interest", "逾期利息", "overdue_interest"),
    Column("days_past_due", "逾期天数", "days_past_due"),
    Column("risk_class", "五级分类", "risk_class"),
    Column("officer_no", "管户客户经理工号", "officer_no", True),
    Column("as_of", "数据日期", "as_of"),
    # Optional (docs/ledger-import-format.md): the core system's restructured flag (是/否, Y/N)
    # and the date of the restructuring (loans.services.restructuring_import_flags).
    Column("restructured", "重组标志", "restructured"),
    Column("restructured_on", "重组日期", "restructured_on"),
)

HEADERS = [column.zh for column in LEDGER_COLUMNS]


def ledger_csv(rows: list[dict], *, encoding: str = "utf-8", headers: list[str] | None = None) -> bytes:
    """Rows keyed by header, as CSV. Without ``headers`` the first row's keys are the header
    (all of HEADERS for no rows)."""
    if rows:
        headers = headers or list(rows[0])
    else:
        headers = headers or HEADERS
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return buffer.getvalue().encode(encoding)
