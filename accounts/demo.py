"""Demo staff: a county sub-branch under a city branch, with a documented login for each.

Every demo user has the password DEMO_PASSWORD (README.md lists the logins). Running the
seed again changes nothing that exists already.
"""

from django.contrib.auth import get_user_model

from accounts.models import Branch, Role, StaffProfile
from core.demo_output import say

DEMO_PASSWORD = "BranchOps#2026"  # noqa: S105 - documented demo login, never a production secret

CITY_BRANCH = ("4304", "衡阳市分行")
COUNTY_BRANCH = ("430424", "衡东支行")

# (username, employee no, full name, role, branch code)
DEMO_STAFF = [
    ("city", "C0001", "周明远", Role.BRANCH_HEAD, CITY_BRANCH[0]),
    ("head", "H0001", "王建国", Role.BRANCH_HEAD, COUNTY_BRANCH[0]),
    ("compliance", "R0001", "陈静", Role.COMPLIANCE, COUNTY_BRANCH[0]),
    ("officer1", "K0001", "李强", Role.OFFICER, COUNTY_BRANCH[0]),
    ("officer2", "K0002", "刘芳", Role.OFFICER, COUNTY_BRANCH[0]),
    ("officer3", "K0003", "张伟", Role.OFFICER, COUNTY_BRANCH[0]),
    ("officer4", "K0004", "杨洋", Role.OFFICER, COUNTY_BRANCH[0]),
    ("officer5", "K0005", "赵磊", Role.OFFICER, COUNTY_BRANCH[0]),
    ("officer6", "K0006", "黄丽", Role.OFFICER, COUNTY_BRANCH[0]),
    ("officer7", "K0007", "周杰", Role.OFFICER, COUNTY_BRANCH[0]),
    ("officer8", "K0008", "吴敏", Role.OFFICER, COUNTY_BRANCH[0]),
    ("admin", "A0001", "系统管理员", Role.ADMIN, CITY_BRANCH[0]),
]


def seed(*, stdout=None) -> None:
    city, _ = Branch.objects.get_or_create(code=CITY_BRANCH[0], defaults={"name": CITY_BRANCH[1]})
    Branch.objects.get_or_create(code=COUNTY_BRANCH[0], defaults={"name": COUNTY_BRANCH[1], "parent": city})
    branches = {branch.code: branch for branch in Branch.objects.all()}
    User = get_user_model()
    created = 0
    for index, (username, employee_no, full_name, role, branch_code) in enumerate(DEMO_STAFF):
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
                "email": f"{username}@branch-ops.example",
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
        StaffProfile.objects.get_or_create(
            user=user,
            defaults={
                "employee_no": employee_no,
                "full_name": full_name,
                "role": role,
                "branch": branches[branch_code],
                "phone": f"1390734{index:04d}",
            },
        )
    say(stdout, f"staff: {created} demo users created ({len(DEMO_STAFF)} in all)")
