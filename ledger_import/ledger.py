"""Checking a loan ledger file (借据台账) row by row: /work/shared/docs/ledger-import-format.md.

Reads only (officer and branch maps are fetched once); writing is in services.py. Every row
is checked in full and every problem is reported, so the branch fixes the file in one go.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Branch, StaffProfile
from ledger_import import parsing
from ledger_import.industries import industry_name
from ledger_import.parsing import CellError, FileRejected, Issue, bilingual, is_blank
from loans.domain import RiskClass, bucket_for, risk_class_floor
from loans.identifiers import normalize_identifier, validate_credit_code, validate_resident_id
from loans.models import BorrowerType, Guarantee, Product, RepaymentMethod


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
)


def _choices(enum, chinese: dict[str, str]) -> dict[str, str]:
    """Accepted spellings (Chinese, the English value and label, any case) → stored value."""
    mapping = {parsing.normalize_header(zh): value for zh, value in chinese.items()}
    for value, label in enum.choices:
        mapping[parsing.normalize_header(value)] = value
        mapping[parsing.normalize_header(str(label))] = value
    return mapping


PRODUCTS = _choices(
    Product,
    {
        "个人住房贷款": Product.HOUSING,
        "个人消费贷款": Product.CONSUMER,
        "个人经营贷款": Product.PERSONAL_BUSINESS,
        "流动资金贷款": Product.WORKING_CAPITAL,
        "固定资产贷款": Product.FIXED_ASSET,
    },
)
GUARANTEES = _choices(
    Guarantee,
    {
        "信用": Guarantee.CREDIT,
        "保证": Guarantee.SURETY,
        "抵押": Guarantee.MORTGAGE,
        "质押": Guarantee.PLEDGE,
    },
)
METHODS = _choices(
    RepaymentMethod,
    {
        "等额本息": RepaymentMethod.EQUAL_INSTALMENT,
        "等额本金": RepaymentMethod.EQUAL_PRINCIPAL,
        "按月付息到期还本": RepaymentMethod.INTEREST_ONLY,
        "按月付息,到期还本": RepaymentMethod.INTEREST_ONLY,
        "利随本清": RepaymentMethod.BULLET,
    },
)
BORROWER_TYPES = _choices(BorrowerType, {"个人": BorrowerType.INDIVIDUAL, "对公": BorrowerType.CORPORATE})
RISK_CLASSES = {
    **{str(int(value)): int(value) for value in RiskClass},
    **_choices(RiskClass, {"正常": 1, "关注": 2, "次级": 3, "可疑": 4, "损失": 5}),
}
CHINESE_CLASS = {1: "正常", 2: "关注", 3: "次级", 4: "可疑", 5: "损失"}

_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")

# The order of the staging table's columns (services.STAGE_COLUMNS mirrors it).
ROW_FIELDS = (
    "row_no",
    "loan_no",
    "contract_no",
    "branch_id",
    "borrower_type",
    "borrower_name",
    "id_number",
    "phone",
    "employer",
    "industry_code",
    "industry_name",
    "product",
    "guarantee",
    "property_project",
    "developer",
    "disbursed_on",
    "matures_on",
    "principal",
    "balance",
    "annual_rate",
    "repayment_method",
    "repayment_day",
    "overdue_principal",
    "overdue_interest",
    "days_past_due",
    "bucket",
    "risk_class",
    "officer_id",
    "as_of",
)


@dataclass
class CheckedFile:
    rows: list[tuple] = field(default_factory=list)  # in ROW_FIELDS order
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    rows_total: int = 0


def map_headers(
    header: list, columns: Iterable[Column]
) -> tuple[dict[str, int], dict[int, str], list[Issue]]:
    """Column key → position; position → header as written; warnings for unknown columns.
    FileRejected when a required column is missing or named twice."""
    by_name = {}
    for column in columns:
        by_name[parsing.normalize_header(column.zh)] = column
        by_name[parsing.normalize_header(column.en)] = column
    positions: dict[str, int] = {}
    labels: dict[int, str] = {}
    warnings, problems = [], []
    for index, raw in enumerate(header):
        name = parsing.normalize_header(raw)
        if not name:
            continue
        column = by_name.get(name)
        if column is None:
            warnings.append(Issue(1, str(raw).strip(), bilingual(_("Unknown column; it was ignored."))))
            continue
        if column.key in positions:
            problems.append(Issue(1, str(raw).strip(), bilingual(_("This column appears twice."))))
            continue
        positions[column.key] = index
        labels[index] = str(raw).strip()
    for column in columns:
        if column.required and column.key not in positions:
            problems.append(
                Issue(
                    1,
                    column.zh,
                    bilingual(
                        _("Required column %(zh)s (%(en)s) is missing."), {"zh": column.zh, "en": column.en}
                    ),
                )
            )
    if problems:
        raise FileRejected(problems)
    return positions, labels, warnings


def read_table(data: bytes, columns: tuple[Column, ...]):
    """(positions, labels, header warnings, data rows as (row number, cells)); FileRejected
    for an empty file, a file that is not a spreadsheet or missing columns."""
    rows = parsing.iter_rows(data)
    header = None
    for header in rows:
        if any(not is_blank(cell) for cell in header):
            break
    else:
        header = None
    if header is None:
        raise parsing.file_issue(_("The file is empty."))
    positions, labels, warnings = map_headers(header, columns)
    body = []
    for number, cells in enumerate(rows, start=2):
        if all(is_blank(cell) for cell in cells):
            continue
        body.append((number, cells))
    if not body:
        raise parsing.file_issue(_("The file has a header but no data rows."))
    return positions, labels, warnings, body


class RowChecker:
    """Checks one row at a time against maps fetched once for the whole file."""

    def __init__(self, *, positions, labels, default_as_of: dt.date, allowed_branch_ids=None):
        self.positions = positions
        self.labels = labels
        self.default_as_of = default_as_of
        self.today = timezone.localdate()
        self.allowed_branch_ids = allowed_branch_ids
        self.branches = dict(Branch.objects.values_list("code", "id"))
        self.branch_codes = {branch_id: code for code, branch_id in self.branches.items()}
        self.officers = {
            employee_no: (user_id, branch_id)
            for employee_no, user_id, branch_id in StaffProfile.objects.values_list(
                "employee_no", "user_id", "branch_id"
            )
        }
        self.seen_loans: dict[str, int] = {}
        self.id_types: dict[str, tuple[str, int]] = {}

    def label(self, key: str) -> str:
        position = self.positions.get(key)
        if position is None:
            return next(column.zh for column in LEDGER_COLUMNS if column.key == key)
        return self.labels[position]

    def cell(self, cells: list, key: str):
        position = self.positions.get(key)
        if position is None or position >= len(cells):
            return None
        value = cells[position]
        return None if is_blank(value) else value

    def check(self, number: int, cells: list, errors: list[Issue]) -> tuple | None:
        found: list[Issue] = []

        def fail(key, message, params=None):
            found.append(Issue(number, self.label(key), bilingual(message, params)))

        def parse(key, parser, *, required=False, default=None, **kwargs):
            value = self.cell(cells, key)
            if value is None:
                if required:
                    fail(key, _("This value is required."))
                return default
            try:
                return parser(value, **kwargs)
            except CellError as error:
                fail(key, error.message, error.params)
                return None

        loan_no = parse("loan_no", parsing.text, required=True, max_length=40)
        contract_no = parse("contract_no", parsing.text, default="", max_length=40)
        branch_code = parse("branch_code", parsing.text, required=True, max_length=20)
        name = parse("borrower_name", parsing.text, required=True, max_length=100)
        borrower_type = self.choice(cells, "borrower_type", BORROWER_TYPES, fail, required=True)
        id_number = parse("id_number", parsing.text, required=True, max_length=40)
        phone = parse("phone", parsing.text, default="", max_length=20)
        employer = parse("employer", parsing.text, default="", max_length=100)
        industry_code = parse("industry_code", parsing.text, default="", max_length=10)
        product = self.choice(cells, "product", PRODUCTS, fail, required=True)
        guarantee = self.choice(cells, "guarantee", GUARANTEES, fail, required=True)
        project = parse("property_project", parsing.text, default="", max_length=100)
        developer = parse("developer", parsing.text, default="", max_length=100)
        disbursed_on = parse("disbursed_on", parsing.date, required=True)
        matures_on = parse("matures_on", parsing.date, required=True)
        principal = parse("principal", parsing.amount, required=True)
        balance = parse("balance", parsing.amount, required=True)
        rate = parse("annual_rate_pct", parsing.amount, required=True, places=4, max_digits=7)
        method = self.choice(cells, "repayment_method", METHODS, fail, required=True)
        repayment_day = parse("repayment_day", parsing.whole_number)
        overdue_principal = parse("overdue_principal", parsing.amount, default=Decimal("0.00"))
        overdue_interest = parse("overdue_interest", parsing.amount, default=Decimal("0.00"))
        days_past_due = parse("days_past_due", parsing.whole_number, default=0)
        risk_class = self.choice(cells, "risk_class", RISK_CLASSES, fail)
        officer_no = parse("officer_no", parsing.text, required=True, max_length=20)
        as_of = parse("as_of", parsing.date, default=self.default_as_of)

        if loan_no:
            first = self.seen_loans.get(loan_no)
            if first is not None:
                fail(
                    "loan_no",
                    _("Loan number %(loan_no)s appears twice in this file (first in row %(row)d)."),
                    {"loan_no": loan_no, "row": first},
                )
            else:
                self.seen_loans[loan_no] = number
        branch_id = None
        if branch_code:
            branch_id = self.branches.get(branch_code)
            if branch_id is None:
                fail("branch_code", _("Unknown branch code %(code)s."), {"code": branch_code})
            elif self.allowed_branch_ids is not None and branch_id not in self.allowed_branch_ids:
                fail("branch_code", _("You may not import loans of branch %(code)s."), {"code": branch_code})
        officer_id = None
        if officer_no:
            officer = self.officers.get(officer_no)
            if officer is None:
                fail(
                    "officer_no",
                    _("No member of staff has employee number %(number)s."),
                    {"number": officer_no},
                )
            else:
                officer_id, officer_branch_id = officer
                if branch_id is not None and officer_branch_id != branch_id:
                    fail(
                        "officer_no",
                        _("Officer %(number)s does not work at branch %(code)s."),
                        {"number": officer_no, "code": branch_code},
                    )
        if id_number:
            id_number = normalize_identifier(id_number)
            if borrower_type:
                validator = (
                    validate_resident_id if borrower_type == BorrowerType.INDIVIDUAL else validate_credit_code
                )
                try:
                    validator(id_number)
                except ValidationError as error:
                    fail("id_number", error.message, error.params)
                else:
                    previous = self.id_types.get(id_number)
                    if previous and previous[0] != borrower_type:
                        fail(
                            "borrower_type",
                            _("The same ID number is a different customer type in row %(row)d."),
                            {"row": previous[1]},
                        )
                    self.id_types.setdefault(id_number, (borrower_type, number))
        if phone and not _PHONE.match(phone.replace(" ", "")):
            fail(
                "phone",
                _("Not a mainland mobile (11 digits starting with 1) or landline number: %(value)s."),
                {"value": phone},
            )
        industry = ""
        if industry_code:
            industry_code = industry_code.upper()
            industry = industry_name(industry_code)
            if industry is None:
                fail(
                    "industry_code",
                    _("Not a GB/T 4754 industry code (e.g. C26): %(value)s."),
                    {"value": industry_code},
                )
        if principal is not None and principal <= 0:
            fail("principal", _("The amount lent must be more than zero."))
        if principal is not None and balance is not None and balance > principal:
            fail(
                "balance",
                _("The balance %(balance)s is more than the amount lent %(principal)s."),
                {"balance": balance, "principal": principal},
            )
        if balance is not None and overdue_principal is not None and overdue_principal > balance:
            fail(
                "overdue_principal",
                _("Overdue principal %(overdue)s is more than the balance %(balance)s."),
                {"overdue": overdue_principal, "balance": balance},
            )
        if disbursed_on and matures_on and matures_on <= disbursed_on:
            fail(
                "matures_on",
                _("The maturity date %(matures)s is not after the disbursement date %(disbursed)s."),
                {"matures": matures_on, "disbursed": disbursed_on},
            )
        if rate is not None and rate >= 36:
            fail(
                "annual_rate_pct",
                _("The annual rate must be at least 0 and below 36 %%: %(value)s."),
                {"value": rate},
            )
        if repayment_day is None and disbursed_on and self.cell(cells, "repayment_day") is None:
            repayment_day = disbursed_on.day
        elif repayment_day is not None and not 1 <= repayment_day <= 31:
            fail(
                "repayment_day",
                _("The repayment day must be between 1 and 31: %(value)s."),
                {"value": repayment_day},
            )
        if as_of and as_of > self.today:
            fail("as_of", _("The data date %(value)s is in the future."), {"value": as_of})
        floor = risk_class_floor(days_past_due) if days_past_due is not None else None
        if floor is not None:
            if risk_class is None and self.cell(cells, "risk_class") is None:
                risk_class = int(floor)
            elif risk_class is not None and risk_class < floor:
                fail(
                    "risk_class",
                    _("%(days)d days past due require at least %(floor)s; the file says %(given)s."),
                    {
                        "days": days_past_due,
                        "floor": CHINESE_CLASS[floor],
                        "given": CHINESE_CLASS[risk_class],
                    },
                )
        if found:
            errors.extend(found)
            return None
        return (
            number,
            loan_no,
            contract_no,
            branch_id,
            borrower_type,
            name,
            id_number,
            phone,
            employer,
            industry_code,
            industry,
            product,
            guarantee,
            project,
            developer,
            disbursed_on,
            matures_on,
            principal,
            balance,
            rate,
            method,
            repayment_day,
            overdue_principal,
            overdue_interest,
            days_past_due,
            str(bucket_for(days_past_due)),
            risk_class,
            officer_id,
            as_of,
        )

    def choice(self, cells, key, mapping, fail, *, required=False):
        value = self.cell(cells, key)
        if value is None:
            if required:
                fail(key, _("This value is required."))
            return None
        found = mapping.get(parsing.normalize_header(value))
        if found is None:
            fail(key, _("Unknown value %(value)s."), {"value": str(value).strip()})
        return found


ProgressFn = Callable[[int, int], None]


def check_ledger(
    data: bytes,
    *,
    default_as_of: dt.date,
    allowed_branch_ids: frozenset[int] | None = None,
    progress: ProgressFn | None = None,
) -> CheckedFile:
    """Every row checked; FileRejected when the file as a whole cannot be read."""
    positions, labels, warnings, body = read_table(data, LEDGER_COLUMNS)
    checker = RowChecker(
        positions=positions, labels=labels, default_as_of=default_as_of, allowed_branch_ids=allowed_branch_ids
    )
    result = CheckedFile(warnings=warnings, rows_total=len(body))
    step = max(1000, len(body) // 50)
    for done, (number, cells) in enumerate(body, start=1):
        row = checker.check(number, cells, result.errors)
        if row is not None:
            result.rows.append(row)
        if progress and done % step == 0:
            progress(done, len(body))
    if progress:
        progress(len(body), len(body))
    return result
