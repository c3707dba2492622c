"""`make bench-import`: generate a 100,000-row ledger CSV, import it into PostgreSQL, import
it again, then import the next day's file (every row updated), and print rows per second. Target: each under 60 s on 2 cores.

Everything lives in its own branch (439901 基准测试支行, officers B0001-B0008) with loan
numbers starting BENCH and borrowers in the fictitious region 439901; it is removed before
the first run, so the first import really creates every row and the demo branch is untouched.
Downstream handlers (LEDGER_CHANGE_HANDLERS, e.g. schedules) are not run: they run in the
Celery worker after the import commits and are not part of the import's time.
"""

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_ops.settings.local")
from core.local_services import prepare_local_services  # noqa: E402

prepare_local_services()  # the embedded PostgreSQL when DATABASE_URL is unset

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.factories import UserFactory  # noqa: E402
from accounts.models import Branch, Role, StaffProfile  # noqa: E402
from ledger_import.factories import ledger_csv  # noqa: E402
from ledger_import.names import company_name, person_name  # noqa: E402
from ledger_import.services import ledger_import  # noqa: E402
from loans.identifiers import make_credit_code, make_resident_id  # noqa: E402
from loans.models import Borrower, Loan  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
REGION = "439901"
PRODUCTS = ["个人住房贷款", "个人消费贷款", "个人经营贷款", "流动资金贷款", "固定资产贷款"]
METHODS = ["等额本息", "等额本金", "按月付息到期还本", "利随本清"]


def generate(rows: int, *, days_back: int = 1) -> bytes:
    rng = random.Random(20140630)
    today = timezone.localdate()
    out = []
    for n in range(rows):
        corporate = n % 10 == 0
        disbursed = today - dt.timedelta(days=rng.randint(30, 3000))
        principal = rng.randint(20, 3000) * 1000
        balance = round(principal * rng.uniform(0.05, 1.0), 2)
        days = rng.choice([0] * 30 + [rng.randint(1, 400)])
        out.append(
            {
                "借据号": f"BENCH{n:09d}",
                "合同号": f"BHT{n:09d}",
                "机构号": REGION,
                "客户名称": company_name(rng, "C13") if corporate else person_name(rng),
                "客户类型": "对公" if corporate else "个人",
                "证件号码": make_credit_code(REGION, n)
                if corporate
                else make_resident_id(REGION, dt.date(1960, 1, 1) + dt.timedelta(days=n % 15000), n // 15000),
                "联系电话": f"13{rng.randint(100000000, 999999999)}",
                "工作单位": "" if corporate else "衡东县某单位",
                "行业代码": "C13" if corporate else "",
                "贷款品种": PRODUCTS[3 + n % 2] if corporate else PRODUCTS[n % 3],
                "担保方式": rng.choice(["信用", "保证", "抵押", "质押"]),
                "发放日期": disbursed.isoformat(),
                "到期日期": (disbursed + dt.timedelta(days=365 * rng.randint(1, 20))).strftime("%Y/%m/%d"),
                "发放金额": f"{principal:,.2f}",
                "贷款余额": f"{balance:.2f}",
                "执行年利率(%)": f"{rng.uniform(3, 8):.2f}",
                "还款方式": rng.choice(METHODS),
                "每月还款日": str(disbursed.day),
                "逾期本金": "0" if not days else f"{min(balance, 1000):.2f}",
                "逾期利息": "0" if not days else "12.50",
                "逾期天数": str(days),
                "五级分类": "",
                "管户客户经理工号": f"B000{1 + n % 8}",
                "数据日期": (today - dt.timedelta(days=days_back)).isoformat(),
            }
        )
    return ledger_csv(out)


def main() -> int:
    settings.LEDGER_CHANGE_HANDLERS = []
    branch, _created = Branch.objects.get_or_create(code=REGION, defaults={"name": "基准测试支行"})
    for n in range(1, 9):
        if not StaffProfile.objects.filter(employee_no=f"B000{n}").exists():
            user = UserFactory(username=f"bench{n}")
            StaffProfile.objects.create(
                user=user, employee_no=f"B000{n}", full_name=f"测试{n}", branch=branch, role=Role.OFFICER
            )
    Loan.objects.filter(loan_no__startswith="BENCH").delete()
    Borrower.objects.filter(id_number__regex=rf"^({REGION}|91{REGION})").delete()
    started = time.perf_counter()
    data = generate(ROWS)
    print(f"generated {ROWS:,} rows ({len(data) / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    newer = generate(ROWS, days_back=0)  # the next day's file: every loan's as_of moves on
    for label, payload in (("first import", data), ("re-import", data), ("newer file", newer)):
        started = time.perf_counter()
        result = ledger_import(data=payload)
        seconds = time.perf_counter() - started
        if result.errors:
            print(f"{label}: rejected, first errors: {[issue.as_dict() for issue in result.errors[:3]]}")
            return 1
        counts = {key: result.summary[key] for key in ("created", "updated", "unchanged")}
        print(f"{label}: {ROWS:,} rows in {seconds:.1f} s = {ROWS / seconds:,.0f} rows/s {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
