import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ledger_import.factories import ledger_csv, ledger_row, ledger_xlsx
from ledger_import.models import BatchStatus
from ledger_import.parsing import reason_text
from ledger_import.services import batch_create, batch_process, ledger_import, loans_mark_settled
from loans.domain import Bucket, RiskClass
from loans.factories import CollateralFactory, GuarantorFactory, RepaymentFactory
from loans.models import (
    Borrower,
    BorrowerType,
    Collateral,
    Loan,
    LoanStatus,
    Product,
    Repayment,
    RepaymentMethod,
)
from loans.services import schedule_build

pytestmark = pytest.mark.django_db


def _reasons(result):
    with translation.override("en"):
        return [(issue.row, issue.column, reason_text(issue.reason)) for issue in result.errors]


def _snapshot():
    return sorted(
        Loan.objects.values_list("loan_no", "balance", "risk_class", "status", "updated_at")
    ), sorted(Borrower.objects.values_list("id_number", "name", "updated_at"))


def test_a_valid_file_creates_borrowers_and_loans(ledger_officers, branch):
    rows = [ledger_row(), ledger_row(corporate=True, 管户客户经理工号="K0002", 逾期天数="12", 五级分类="")]
    result = ledger_import(data=ledger_csv(rows))
    assert not result.errors
    assert result.summary["created"] == 2
    loan = Loan.objects.get(loan_no=rows[1]["借据号"])
    assert loan.borrower.borrower_type == BorrowerType.CORPORATE
    assert loan.borrower.industry_name == "化学原料和化学制品制造业"
    assert loan.officer == ledger_officers["K0002"]
    assert loan.branch == branch
    assert loan.product == Product.WORKING_CAPITAL
    # An empty 五级分类 takes the floor; the bucket follows days past due.
    assert loan.risk_class == RiskClass.SPECIAL_MENTION
    assert loan.bucket == Bucket.D1_30
    assert Loan.objects.get(loan_no=rows[0]["借据号"]).principal == Decimal("100000.00")


def test_reimporting_the_same_file_changes_nothing(ledger_officers):
    data = ledger_csv([ledger_row() for _ in range(5)])
    ledger_import(data=data)
    before = _snapshot()
    result = ledger_import(data=data)
    assert result.summary["unchanged"] == 5
    assert result.summary["created"] == result.summary["updated"] == 0
    assert _snapshot() == before


def test_a_newer_file_updates_money_and_keeps_the_branch_records(ledger_officers):
    row = ledger_row(工作单位="衡东县人民医院")
    ledger_import(data=ledger_csv([row]))
    loan = Loan.objects.get(loan_no=row["借据号"])
    CollateralFactory(loan=loan)
    GuarantorFactory(loan=loan)
    RepaymentFactory(loan=loan)
    Borrower.objects.filter(pk=loan.borrower_id).update(
        address="城关镇1号", is_vip=True, contribution_note="代发工资"
    )
    Loan.objects.filter(pk=loan.pk).update(risk_class=RiskClass.SPECIAL_MENTION)  # the branch's own view

    newer = {**row, "贷款余额": "75,000.50", "数据日期": "2026-11-27", "联系电话": "", "五级分类": "正常"}
    result = ledger_import(data=ledger_csv([newer]))

    assert result.summary["updated"] == 1
    loan.refresh_from_db()
    assert loan.balance == Decimal("75000.50")
    assert loan.as_of == dt.date(2026, 11, 27)
    assert loan.risk_class == RiskClass.SPECIAL_MENTION  # never improved by an import
    assert (
        any("keeps its class" in reason_text(w.reason) for w in result.warnings) or translation.get_language()
    )
    borrower = loan.borrower
    assert (borrower.address, borrower.is_vip, borrower.contribution_note) == ("城关镇1号", True, "代发工资")
    assert borrower.phone == row["联系电话"]  # an empty cell does not wipe the phone
    assert Collateral.objects.filter(loan=loan).count() == 1
    assert loan.guarantors.count() == 1 and Repayment.objects.filter(loan=loan).count() == 1


def test_an_older_file_does_not_roll_back_newer_figures(ledger_officers):
    row = ledger_row(数据日期="2026-11-27", 贷款余额="70000")
    ledger_import(data=ledger_csv([row]))
    result = ledger_import(data=ledger_csv([{**row, "数据日期": "2026-10-31", "贷款余额": "80000"}]))
    assert result.summary["skipped_stale"] == 1
    assert Loan.objects.get(loan_no=row["借据号"]).balance == Decimal("70000.00")


def test_loans_missing_from_a_full_import_are_listed_not_deleted(ledger_officers, branch_head):
    rows = [ledger_row() for _ in range(3)]
    ledger_import(data=ledger_csv(rows))
    result = ledger_import(data=ledger_csv(rows[:2]))
    assert [entry["loan_no"] for entry in result.summary["missing"]] == [rows[2]["借据号"]]
    assert Loan.objects.count() == 3

    batch = batch_create(data=ledger_csv(rows[:2]), file_name="l.csv", uploaded_by=branch_head, enqueue=False)
    batch = batch_process(batch_id=batch.pk)
    missing_id = batch.summary["missing"][0]["id"]
    assert loans_mark_settled(batch=batch, loan_ids=[str(missing_id)], user=branch_head) == 1
    assert Loan.objects.get(pk=missing_id).status == LoanStatus.SETTLED


def test_mark_settled_ignores_loans_not_listed_by_the_batch(ledger_officers, branch_head):
    rows = [ledger_row() for _ in range(2)]
    ledger_import(data=ledger_csv(rows))
    batch = batch_create(data=ledger_csv(rows), file_name="l.csv", uploaded_by=branch_head, enqueue=False)
    batch = batch_process(batch_id=batch.pk)
    other = Loan.objects.first()
    with pytest.raises(ValidationError):
        loans_mark_settled(batch=batch, loan_ids=[other.pk], user=branch_head)
    other.refresh_from_db()
    assert other.status == LoanStatus.ACTIVE


def test_a_file_with_one_bad_row_changes_nothing(ledger_officers):
    good = ledger_row()
    ledger_import(data=ledger_csv([good]))
    before = _snapshot()
    result = ledger_import(
        data=ledger_csv([{**good, "贷款余额": "1000"}, ledger_row(), ledger_row(发放金额="abc")])
    )
    assert result.rejected
    assert _snapshot() == before
    assert Loan.objects.count() == 1


def _one_row_errors(**overrides):
    return _reasons(ledger_import(data=ledger_csv([ledger_row(**overrides)])))


@pytest.mark.parametrize(
    ("overrides", "column", "words"),
    [
        ({"证件号码": "430424197501010010"}, "证件号码", "check character"),
        ({"客户类型": "对公", "证件号码": "91430424MA4L0000X1"}, "证件号码", "unified social credit code"),
        ({"发放金额": "-100"}, "发放金额", "negative"),
        ({"贷款余额": "八万"}, "贷款余额", "Not a number"),
        ({"贷款余额": "80000.123"}, "贷款余额", "decimal places"),
        ({"贷款余额": "200000"}, "贷款余额", "more than the amount lent"),
        ({"到期日期": "2024-01-01"}, "到期日期", "not after the disbursement"),
        ({"发放日期": "2025-02-30"}, "发放日期", "does not exist"),
        ({"发放日期": "15/06/2025"}, "发放日期", "Not a date"),
        ({"管户客户经理工号": "K9999"}, "管户客户经理工号", "K9999"),
        ({"机构号": "999999"}, "机构号", "Unknown branch code"),
        ({"贷款品种": "汽车贷款"}, "贷款品种", "Unknown value"),
        ({"还款方式": "随便还"}, "还款方式", "Unknown value"),
        ({"担保方式": "口头"}, "担保方式", "Unknown value"),
        ({"执行年利率(%)": "36"}, "执行年利率(%)", "below 36"),
        ({"每月还款日": "32"}, "每月还款日", "between 1 and 31"),
        ({"逾期天数": "95", "五级分类": "关注", "逾期本金": "100"}, "五级分类", "次级"),
        ({"逾期天数": "5", "五级分类": "正常"}, "五级分类", "关注"),
        ({"联系电话": "12345"}, "联系电话", "mobile"),
        ({"行业代码": "Z99"}, "行业代码", "GB/T 4754"),
        ({"逾期本金": "90000"}, "逾期本金", "more than the balance"),
        ({"客户名称": ""}, "客户名称", "required"),
    ],
)
def test_bad_rows_are_rejected_with_row_column_and_reason(ledger_officers, overrides, column, words):
    errors = _one_row_errors(**overrides)
    assert errors, overrides
    assert any(row == 2 and col == column and words in reason for row, col, reason in errors), errors
    assert Loan.objects.count() == 0


def test_reasons_are_in_chinese_by_default(ledger_officers):
    result = ledger_import(data=ledger_csv([ledger_row(贷款余额="200000")]))
    with translation.override("zh-hans"):
        assert "余额" in reason_text(result.errors[0].reason)


def test_every_error_of_every_row_is_reported(ledger_officers):
    rows = [ledger_row(发放金额="x", 到期日期="bad"), ledger_row(), ledger_row(管户客户经理工号="K9")]
    result = ledger_import(data=ledger_csv(rows))
    assert sorted({(issue.row, issue.column) for issue in result.errors}) == [
        (2, "到期日期"),
        (2, "发放金额"),
        (4, "管户客户经理工号"),
    ]


def test_a_duplicate_loan_number_inside_one_file_is_rejected(ledger_officers):
    row = ledger_row()
    errors = _reasons(ledger_import(data=ledger_csv([row, ledger_row(), {**row}])))
    assert errors == [
        (4, "借据号", f"Loan number {row['借据号']} appears twice in this file (first in row 2).")
    ]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        ("借据号,机构号\r\n".encode(), "missing"),
        (b"%PDF-1.4\x00\x01\x02 binary", "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", ".xls"),
        (b"PK\x03\x04 not really a zip", "ZIP"),
    ],
)
def test_unreadable_files_are_rejected_as_a_whole(ledger_officers, data, words):
    errors = _reasons(ledger_import(data=data))
    assert errors and errors[0][0] in (0, 1)
    assert any(words in reason for _row, _col, reason in errors), errors


def test_a_header_without_rows_is_an_empty_file(ledger_officers):
    data = ledger_csv([ledger_row()]).split(b"\r\n")[0] + b"\r\n"
    assert "no data rows" in _reasons(ledger_import(data=data))[0][2]


def test_a_gbk_csv_with_english_headers_in_any_order_imports(ledger_officers):
    from ledger_import.ledger import LEDGER_COLUMNS

    english = {column.zh: column.en for column in LEDGER_COLUMNS}
    row = ledger_row(客户名称="欧阳娜娜", 工作单位="衡东县第一中学")
    english_row = {english[key]: value for key, value in row.items()}
    english_row["remark"] = "备注"
    headers = sorted(english_row)
    result = ledger_import(data=ledger_csv([english_row], encoding="gbk", headers=headers))
    assert not result.errors
    assert [issue.column for issue in result.warnings] == ["remark"]
    borrower = Borrower.objects.get()
    assert (borrower.name, borrower.employer) == ("欧阳娜娜", "衡东县第一中学")


def test_a_utf8_csv_with_bom_imports(ledger_officers):
    result = ledger_import(data=ledger_csv([ledger_row()], encoding="utf-8-sig"))
    assert not result.errors and result.summary["created"] == 1


def test_an_xlsx_with_serial_and_datetime_dates_imports(ledger_officers):
    row = ledger_row(
        发放日期=45823, 到期日期=dt.datetime(2028, 6, 15), 发放金额=100000, 贷款余额=80000.5, 每月还款日=15
    )
    result = ledger_import(data=ledger_xlsx([row]))
    assert not result.errors, result.errors
    loan = Loan.objects.get()
    assert loan.disbursed_on == dt.date(2025, 6, 15)  # Excel day 45823
    assert loan.matures_on == dt.date(2028, 6, 15)
    assert loan.balance == Decimal("80000.50")


def test_a_rejected_batch_records_every_error_and_changes_nothing(ledger_officers, branch_head):
    batch = batch_create(
        data=ledger_csv([ledger_row(), ledger_row(发放金额="-1")]),
        file_name="bad.csv",
        uploaded_by=branch_head,
        enqueue=False,
    )
    batch = batch_process(batch_id=batch.pk)
    assert batch.status == BatchStatus.REJECTED
    assert batch.errors[0]["row"] == 3 and batch.errors[0]["column"] == "发放金额"
    assert Loan.objects.count() == 0
    # A finished batch is never run again.
    assert batch_process(batch_id=batch.pk) is None


def test_a_branch_head_cannot_import_another_branchs_loans(ledger_officers, outsider, branch_head):
    other_row = ledger_row(机构号="430426", 管户客户经理工号=outsider.profile.employee_no)
    batch = batch_create(
        data=ledger_csv([other_row]), file_name="x.csv", uploaded_by=branch_head, enqueue=False
    )
    batch = batch_process(batch_id=batch.pk)
    assert batch.status == BatchStatus.REJECTED
    assert "430426" in batch.errors[0]["reason"]["en"]


def test_a_loan_marked_settled_that_the_core_still_carries_is_active_again(ledger_officers):
    row = ledger_row()
    ledger_import(data=ledger_csv([row]))
    Loan.objects.update(status=LoanStatus.SETTLED)
    ledger_import(data=ledger_csv([{**row, "数据日期": "2026-11-27"}]))
    assert Loan.objects.get().status == LoanStatus.ACTIVE
    ledger_import(data=ledger_csv([{**row, "数据日期": "2026-11-28", "贷款余额": "0"}]))
    assert Loan.objects.get().status == LoanStatus.SETTLED


def test_a_tab_separated_export_imports(ledger_officers):
    data = ledger_csv([ledger_row()]).decode().replace(",", "\t").replace('"100\t000.00"', "100000.00")
    result = ledger_import(data=data.encode("gb18030"))
    assert not result.errors, result.errors


def test_import_report_flags_rows_in_a_restricted_industry(ledger_officers):
    from loans.models import IndustryPolicy, PolicyLevel

    IndustryPolicy.objects.update_or_create(
        code="C26", defaults={"name": "化学原料和化学制品制造业", "level": PolicyLevel.RESTRICTED}
    )
    rows = [ledger_row(), ledger_row(corporate=True, 管户客户经理工号="K0002")]
    result = ledger_import(data=ledger_csv(rows))
    assert not result.errors
    flagged = [issue for issue in result.warnings if issue.column == "行业代码"]
    assert [issue.row for issue in flagged] == [3]
    with translation.override("zh-hans"):
        assert "须从严审查" in reason_text(flagged[0].reason)


def test_import_leaves_the_planner_settings_of_the_transaction_as_they_were(ledger_officers):
    from django.db import connection

    ledger_import(data=ledger_csv([ledger_row()]))
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_nestloop")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.parametrize(
    "written, method",
    [
        ("按月结息", RepaymentMethod.MONTHLY_SETTLEMENT),
        ("按月结息到期还本", RepaymentMethod.MONTHLY_SETTLEMENT),
        ("按季结息", RepaymentMethod.QUARTERLY_SETTLEMENT),
        ("按季结息,到期还本", RepaymentMethod.QUARTERLY_SETTLEMENT),
    ],
)
def test_the_interest_settlement_methods_import_and_settle_interest_on_the_20th(
    ledger_officers, written, method
):
    row = ledger_row(corporate=True, 还款方式=written, 贷款余额="100000.00", 数据日期="2025-06-30")
    result = ledger_import(data=ledger_csv([row]))
    assert not result.errors
    loan = Loan.objects.get(loan_no=row["借据号"])
    assert loan.repayment_method == method
    lines = schedule_build(loan=loan, as_of=dt.date(2025, 6, 30))
    # Disbursed 2025-06-15: June is a quarter's last month, so both first settle on 20 June.
    second_month = 7 if method == RepaymentMethod.MONTHLY_SETTLEMENT else 9
    assert [line.due_on for line in lines[:2]] == [dt.date(2025, 6, 20), dt.date(2025, second_month, 20)]
    assert lines[0].principal_due == Decimal("0.00")
    assert lines[-1].due_on == dt.date(2028, 6, 15)
    assert lines[-1].principal_due == Decimal("100000.00")
