"""The demo ledger of 衡东支行 (430424), imported through the real import service.

About 1,200 loans across the five products and the eight demo officers (K0001–K0008), with
Chinese names, valid ID numbers and credit codes, GB/T 4754 industries for companies (a few
in C26 chemicals, the industry the branch screens hardest), and dates around today. The
figures are as of the last day of the previous month and their balances sum to exactly
219,210,000.00 yuan, the branch's balance in the source story, with no non-performing loan
and a few dozen loans 1–89 days overdue (关注) for collection to work on.

One property project, 东湖花园, is the fake-mortgage pattern of November 2013: most of its
buyers work for the developer itself. Deterministic (a seeded random generator) and
imported once: a second run finds the demo batch and does nothing.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_UP, Decimal

from django.utils import timezone

from accounts.models import Branch, StaffProfile
from core.demo_output import say
from ledger_import.format import HEADERS, ledger_csv
from ledger_import.models import BatchStatus, ImportBatch
from ledger_import.names import company_name, person_name
from ledger_import.services import batch_create, batch_process
from loans.identifiers import make_credit_code, make_resident_id

BRANCH_CODE = "430424"
OFFICERS = [f"K000{n}" for n in range(1, 9)]
TARGET_BALANCE = Decimal("219210000.00")
DEMO_PREFIX = "demo-ledger-430424"
OVERDUE_LOANS = 36

EAST_LAKE = ("东湖花园", "衡东县东湖房地产开发有限公司")
PROJECTS = [
    ("洣江名城", "衡东县洣江置业有限公司"),
    ("杨林新城", "湖南杨林房地产开发有限公司"),
    ("金色家园", "衡东县金色家园置业有限公司"),
    ("城南尚府", "衡阳城南房地产开发有限公司"),
    ("滨江一号", "衡东县滨江房地产开发有限公司"),
]
EMPLOYERS = [
    "衡东县人民医院",
    "衡东县第一中学",
    "衡东县城关镇人民政府",
    "衡东县自来水公司",
    "衡东县中医医院",
    "国网衡东县供电公司",
    "衡东县洣水镇中心学校",
    "湖南衡东经济开发区管委会",
    "衡东县交通运输局",
    "衡东县大浦镇卫生院",
    "个体经营",
    "衡东县农村信用合作联社",
]
CORPORATE_INDUSTRIES = ["A01", "A03", "C13", "C15", "C20", "C30", "C33", "E48", "F52", "G54", "H62"]
BUSINESS_INDUSTRIES = ["F52", "H62", "A03", "A01", "O80", "G54"]
REGIONS = ["430424", "430424", "430424", "430421", "430406", "430481"]

# product: (count, principal range in thousands, term in years, rate range %, guarantees)
PRODUCTS = {
    "个人住房贷款": (420, (150, 800), (10, 30), (3.10, 4.90), ["抵押"]),
    "个人消费贷款": (300, (20, 300), (1, 5), (3.60, 6.50), ["信用", "保证", "抵押"]),
    "个人经营贷款": (240, (50, 1000), (1, 3), (3.80, 6.00), ["保证", "抵押", "质押"]),
    "流动资金贷款": (150, (500, 5000), (1, 2), (3.70, 5.50), ["保证", "抵押", "质押"]),
    "固定资产贷款": (90, (1000, 8000), (3, 8), (4.00, 5.50), ["抵押", "保证"]),
}
METHODS = {
    "个人住房贷款": ["等额本息", "等额本息", "等额本金"],
    "个人消费贷款": ["等额本息", "按月付息到期还本"],
    "个人经营贷款": ["按月付息到期还本", "利随本清", "等额本金"],
    "流动资金贷款": ["按季结息", "按月结息", "按月付息到期还本", "利随本清"],
    "固定资产贷款": ["等额本金", "按月付息到期还本"],
}


def last_month_end(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class _Borrowers:
    """Who borrows, drawn from the demo's random generator: each call draws in a fixed
    order, so the demo ledger is the same every time."""

    rng: random.Random
    used_ids: set = field(default_factory=set)
    east_lake_left: int = 16
    corporate_serial: int = 0
    chemicals_left: int = 3

    def resident_id(self) -> str:
        while True:
            birth = dt.date(1960, 1, 1) + dt.timedelta(days=self.rng.randint(0, 14600))
            number = make_resident_id(self.rng.choice(REGIONS), birth, self.rng.randint(1, 999))
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def company(self) -> dict:
        rng = self.rng
        self.corporate_serial += 1
        industry = (
            "C26"
            if self.chemicals_left and self.corporate_serial % 40 == 7
            else rng.choice(CORPORATE_INDUSTRIES)
        )
        if industry == "C26":
            self.chemicals_left -= 1
        return {
            "客户类型": "对公",
            "客户名称": company_name(rng, industry),
            "证件号码": make_credit_code(BRANCH_CODE, 7000 + self.corporate_serial * 37),
            "行业代码": industry,
            "联系电话": f"0734-{rng.randint(5200000, 5299999)}",
        }

    def person(self, product: str) -> dict:
        cells = {
            "客户类型": "个人",
            "客户名称": person_name(self.rng),
            "证件号码": self.resident_id(),
            "工作单位": self.rng.choice(EMPLOYERS),
        }
        if product == "个人经营贷款":
            cells["行业代码"] = self.rng.choice(BUSINESS_INDUSTRIES)
            cells["工作单位"] = "个体经营"
        if product == "个人住房贷款":
            cells.update(self.home())
        return cells

    def home(self) -> dict:
        """The property project of a housing loan (and, at 东湖花园, the buyer's employer)."""
        if not self.east_lake_left:
            project, developer = self.rng.choice(PROJECTS)
            return {"楼盘项目": project, "开发商": developer}
        self.east_lake_left -= 1
        project, developer = EAST_LAKE
        cells = {"楼盘项目": project, "开发商": developer}
        # The fake-mortgage pattern: most buyers work for the developer.
        if self.east_lake_left >= 3:
            cells["工作单位"] = developer
        return cells


def _loan_cells(rng: random.Random, product: str, serial: int, *, as_of: dt.date) -> dict:
    """The loan's own cells (unscaled Decimal amounts) and the phone of a person."""
    _count, (low, high), (min_years, max_years), (rate_low, rate_high), guarantees = PRODUCTS[product]
    years = rng.randint(min_years, max_years)
    # Disbursed so that the loan still runs a while after the data date.
    latest = as_of - dt.timedelta(days=10)
    earliest = max(_add_years(as_of, -years) + dt.timedelta(days=60), as_of - dt.timedelta(days=3650))
    disbursed = earliest + dt.timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
    matures = _add_years(disbursed, years)
    elapsed = (as_of - disbursed).days / max(1, (matures - disbursed).days)
    principal = Decimal(rng.randint(low, high) * 1000)
    remaining = max(0.15, 1 - elapsed * rng.uniform(0.6, 1.0))
    return {
        "借据号": f"4304242{disbursed:%Y}{serial:06d}",
        "合同号": f"衡东{disbursed:%Y}年借字第{serial:05d}号",
        "机构号": BRANCH_CODE,
        "贷款品种": product,
        "担保方式": rng.choice(guarantees),
        "发放日期": disbursed.isoformat(),
        "到期日期": matures.isoformat(),
        "发放金额": principal,
        "贷款余额": principal * Decimal(str(round(remaining, 4))),
        "执行年利率(%)": f"{rng.uniform(rate_low, rate_high):.2f}",
        "还款方式": rng.choice(METHODS[product]),
        "每月还款日": str(min(disbursed.day, 28) if rng.random() < 0.9 else 20),
        "逾期本金": "0",
        "逾期利息": "0",
        "逾期天数": "0",
        "五级分类": "正常",
        "管户客户经理工号": OFFICERS[(serial * 5 + rng.randint(0, 2)) % len(OFFICERS)],
        "数据日期": as_of.isoformat(),
        "联系电话": f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
    }


def demo_rows(*, as_of: dt.date) -> list[dict]:
    """The demo ledger rows (Chinese headers); the balances sum to TARGET_BALANCE."""
    rng = random.Random(20140630)  # the report's date: the same ledger every time
    borrowers = _Borrowers(rng)
    rows = []
    serial = 0
    for product, (count, *_rest) in PRODUCTS.items():
        corporate = product in ("流动资金贷款", "固定资产贷款")
        for _index in range(count):
            serial += 1
            row = _loan_cells(rng, product, serial, as_of=as_of)
            row.update(borrowers.company() if corporate else borrowers.person(product))
            rows.append(row)
    _scale_to_target(rows, rng)
    _make_overdue(rows, rng, as_of=as_of)
    for row in rows:
        row["发放金额"] = f"{row['发放金额']:,.2f}"
        row["贷款余额"] = f"{row['贷款余额']:.2f}"
    return rows


def _scale_to_target(rows: list[dict], rng: random.Random) -> None:
    """Scale balances so that they sum to exactly TARGET_BALANCE (the rest of the rounding
    lands on the largest loan, whose principal is raised if needed)."""
    total = sum(row["贷款余额"] for row in rows)
    factor = TARGET_BALANCE / total
    for row in rows:
        balance = (row["贷款余额"] * factor).quantize(Decimal("100"), rounding=ROUND_DOWN)
        principal = max(
            row["发放金额"], (balance / Decimal("0.98")).quantize(Decimal("1000"), rounding=ROUND_UP)
        )
        row["贷款余额"] = max(balance, Decimal("1000"))
        row["发放金额"] = principal.quantize(Decimal("1000"), rounding=ROUND_UP)
    largest = max(rows, key=lambda row: row["贷款余额"])
    largest["贷款余额"] += TARGET_BALANCE - sum(row["贷款余额"] for row in rows)
    if largest["贷款余额"] > largest["发放金额"]:
        largest["发放金额"] = largest["贷款余额"].quantize(Decimal("1000"), rounding=ROUND_UP)
    # The balances now sum to TARGET_BALANCE exactly: Decimal addition of these few digits is exact.


def _make_overdue(rows: list[dict], rng: random.Random, *, as_of: dt.date) -> None:
    """A few dozen loans overdue: special mention (关注), never non-performing — also not
    today, when the figures of the last month end have aged by up to a month unpaid (the
    daily recompute counts on from the schedule), so under 90 days as of the next month end."""
    next_month_end = last_month_end(as_of + dt.timedelta(days=40))
    longest = 80 - (next_month_end - as_of).days  # a few days of slack: schedule dates vs the core's count
    for row in rng.sample(rows, OVERDUE_LOANS):
        days = rng.randint(1, longest)
        months = days // 30 + 1
        instalment = (row["发放金额"] / 60).quantize(Decimal("0.01"))
        row["逾期本金"] = f"{min(row['贷款余额'], instalment * months):.2f}"
        row["逾期利息"] = f"{(row['贷款余额'] * Decimal('0.004') * months).quantize(Decimal('0.01')):.2f}"
        row["逾期天数"] = str(days)
        row["五级分类"] = "关注"


def seed(*, stdout=None) -> None:
    if ImportBatch.objects.filter(file_name__startswith=DEMO_PREFIX, status=BatchStatus.SUCCEEDED).exists():
        say(stdout, "ledger: demo ledger already imported")
        return
    if not Branch.objects.filter(code=BRANCH_CODE).exists() or StaffProfile.objects.filter(
        employee_no__in=OFFICERS
    ).count() != len(OFFICERS):
        say(stdout, "ledger: demo branch or officers missing (run the accounts seed first); skipped")
        return
    as_of = last_month_end(timezone.localdate())
    data = ledger_csv(demo_rows(as_of=as_of), headers=HEADERS)
    batch = batch_create(data=data, file_name=f"{DEMO_PREFIX}-{as_of:%Y%m%d}.csv", as_of=as_of, enqueue=False)
    batch = batch_process(batch_id=batch.pk)
    if batch.status != BatchStatus.SUCCEEDED:
        raise RuntimeError(f"the demo ledger was rejected: {batch.errors[:5]}")
    summary = batch.summary
    say(stdout, f"ledger: {summary['rows']} demo loans imported as of {as_of} ({summary['created']} new)")
