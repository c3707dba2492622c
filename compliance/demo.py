"""Demo data: the regulations the story names, a year of Monday morning meetings with
minutes and attendance for the demo branch, one city-branch training, a must-know test with
attempts, and two violations. Idempotent: whatever exists already is left alone."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.demo import COUNTY_BRANCH
from accounts.models import Branch
from compliance import services
from compliance.models import (
    Acknowledgement,
    AttendanceStatus,
    GiftDeclaration,
    KnowledgeTest,
    MeetingProblem,
    OfferKind,
    OfferOutcome,
    PenaltyKind,
    QuestionKind,
    Regulation,
    RegulationCategory,
    RegulationLevel,
    TrainingKind,
    TrainingSession,
    Violation,
    ViolationSource,
)
from core.demo_output import say
from loans.models import Borrower

# (title, issuing level, category, version, effective date)
REGULATIONS = [
    (
        "《员工职业操守规定》",
        RegulationLevel.HEAD_OFFICE,
        RegulationCategory.CONDUCT,
        "2013版",
        dt.date(2013, 1, 1),
    ),
    (
        "《工作人员违规处理办法》",
        RegulationLevel.HEAD_OFFICE,
        RegulationCategory.VIOLATION_HANDLING,
        "2012版",
        dt.date(2012, 7, 1),
    ),
    (
        "省分行禁止性规定",
        RegulationLevel.PROVINCE,
        RegulationCategory.PROHIBITIONS,
        "2014版",
        dt.date(2014, 1, 1),
    ),
    (
        "信贷管理应知应会",
        RegulationLevel.CITY,
        RegulationCategory.CREDIT_MANAGEMENT,
        "2014版",
        dt.date(2014, 3, 1),
    ),
    (
        "《对公信贷业务贷后管理实施细则》",
        RegulationLevel.PROVINCE,
        RegulationCategory.POST_LOAN_RULES,
        "2013版",
        dt.date(2013, 6, 1),
    ),
    (
        "《对公信贷业务贷后管理操作手册》",
        RegulationLevel.PROVINCE,
        RegulationCategory.OPERATIONS_MANUAL,
        "2013版",
        dt.date(2013, 6, 1),
    ),
]

WORK_REVIEWED = [
    "回顾上周贷后检查完成情况，逐户通报到期贷款回收进度。",
    "通报本月二十日、二十五日重点催收时段的催收结果，分析未还款原因。",
    "学习《对公信贷业务贷后管理实施细则》第三章，讨论现场检查要点。",
    "复盘上周客户承诺还款的落实情况，16点后逐户核对还款账户。",
    "学习信贷管理应知应会，重点讲解五级分类与逾期天数的对应关系。",
    "通报贷后规定动作完成率，点名未按期完成的客户经理。",
]
PROBLEMS = [
    "某化工企业客户现金流下降，需上门核实生产经营情况",
    "个人住房贷款抵押登记资料不全，需补齐他项权证",
    "一户保证人失联，需重新核实担保能力",
    "两户按揭客户工作单位变更，需更新联系方式",
]
QUESTIONS = [
    (
        QuestionKind.SINGLE,
        "借款人逾期超过90天，贷款至少应分为哪一类？",
        [("关注", False), ("次级", True), ("可疑", False), ("损失", False)],
        "信贷管理应知应会",
    ),
    (
        QuestionKind.MULTIPLE,
        "下列哪些属于不良贷款？",
        [("关注", False), ("次级", True), ("可疑", True), ("损失", True)],
        "信贷管理应知应会",
    ),
    (QuestionKind.TRUE_FALSE, "个人贷款面签应做到“三亲见”，谁面签谁负责。", [("", True)], "信贷管理应知应会"),
    (
        QuestionKind.TRUE_FALSE,
        "催收电话可以在早上八点拨打。",
        [("", False)],
        "《对公信贷业务贷后管理操作手册》",
    ),
    (
        QuestionKind.SINGLE,
        "客户承诺当日还款的，客户经理应在几点后核实资金是否到账？",
        [("10:00", False), ("12:00", False), ("16:00", True), ("18:00", False)],
        "《对公信贷业务贷后管理操作手册》",
    ),
]
TEST_TITLE = "贷后管理应知应会测试（第一期）"
CITY_TRAINING_TITLE = "衡阳市分行信贷业务条线培训"


def _seed_regulations(staff_users, now) -> dict[str, Regulation]:
    regulations = {}
    for title, level, category, version, effective_on in REGULATIONS:
        regulation = Regulation.objects.filter(title=title).first()
        if regulation is None:
            regulation = services.regulation_publish(
                regulation=Regulation(
                    title=title,
                    issuing_level=level,
                    category=category,
                    version=version,
                    effective_on=effective_on,
                )
            )
            # Asked a year ago; all but two of the branch's staff have confirmed since.
            asked = now - dt.timedelta(days=365)
            Acknowledgement.objects.filter(regulation=regulation).update(requested_at=asked)
            Acknowledgement.objects.filter(regulation=regulation).exclude(
                staff__username__in=["officer3", "officer7"]
            ).update(acknowledged_at=asked + dt.timedelta(days=3))
        regulations[title] = regulation
    return regulations


def _attendance_for(rng: random.Random, username: str, weeks_ago: int) -> tuple[str, str]:
    # officer7 missed the last two meetings (the reminder and the branch table show it).
    if username == "officer7" and weeks_ago < 2:
        return AttendanceStatus.ABSENT, ""
    roll = rng.random()
    if roll < 0.84:
        return AttendanceStatus.PRESENT, ""
    if roll < 0.92:
        return AttendanceStatus.LATE, ""
    if roll < 0.96:
        return AttendanceStatus.EXCUSED, "外出催收"
    return AttendanceStatus.ABSENT, ""


def _seed_meetings(branch, staff_users, head, regulations, today) -> int:
    rng = random.Random(20140630)  # noqa: S311 - demo data only
    this_monday = services.monday_of(today)
    created = 0
    previous_problems = []
    for weeks_ago in range(51, -1, -1):
        monday = this_monday - dt.timedelta(weeks=weeks_ago)
        statuses = [_attendance_for(rng, user.username, weeks_ago) for user in staff_users]
        if TrainingSession.objects.filter(
            branch=branch, kind=TrainingKind.MORNING_MEETING, week_of=monday
        ).exists():
            continue
        covered = [regulations["信贷管理应知应会"]] if weeks_ago % 4 == 0 else []
        if weeks_ago % 4 == 2:
            covered = [
                regulations["《对公信贷业务贷后管理实施细则》"],
                regulations["《对公信贷业务贷后管理操作手册》"],
            ]
        meeting = services.training_session_create(
            branch=branch,
            kind=TrainingKind.MORNING_MEETING,
            title=services.morning_meeting_title(monday),
            held_on=monday,
            duration_minutes=60,
            presenter=head,
            topics="应知应会专题学习" if covered else "工作点评与问题分析",
            regulations=covered,
        )
        services.attendance_record_many(
            session=meeting,
            entries=[
                (user, status, reason) for user, (status, reason) in zip(staff_users, statuses, strict=True)
            ],
        )
        services.meeting_minutes_save(
            meeting=meeting, work_reviewed=WORK_REVIEWED[weeks_ago % len(WORK_REVIEWED)]
        )
        for problem in previous_problems:
            # Problems raised four weeks or more ago were resolved at a later meeting; newer ones
            # are still open and carried to the next meeting.
            if problem.status == "open" and (monday - problem.meeting.held_on).days >= 28:
                services.meeting_problem_resolve(
                    problem=problem, resolution="已上门核实并整改", resolved_on=monday
                )
        if weeks_ago % 3 == 0:
            officers = [user for user in staff_users if user.username.startswith("officer")] or staff_users
            owner = officers[weeks_ago % len(officers)]
            previous_problems.append(
                services.meeting_problem_raise(
                    meeting=meeting,
                    description=PROBLEMS[weeks_ago % len(PROBLEMS)],
                    owner=owner,
                    due_on=monday + dt.timedelta(days=14),
                )
            )
        created += 1
    return created


def _seed_city_training(branch, staff_users, regulations, today) -> None:
    if TrainingSession.objects.filter(branch=branch, title=CITY_TRAINING_TITLE).exists():
        return
    session = services.training_session_create(
        branch=branch,
        kind=TrainingKind.CITY_TRAINING,
        title=CITY_TRAINING_TITLE,
        held_on=today - dt.timedelta(days=75),
        duration_minutes=240,
        topics="贷后管理实施细则解读；假按揭识别案例（2013年11月）；民间集资风险",
        regulations=[regulations["《对公信贷业务贷后管理实施细则》"], regulations["省分行禁止性规定"]],
    )
    services.attendance_record_many(
        session=session,
        entries=[
            (user, AttendanceStatus.EXCUSED, "休年假")
            if user.username == "officer6"
            else (user, AttendanceStatus.PRESENT, "")
            for user in staff_users
        ],
    )


def _seed_test(branch, staff_users, regulations) -> None:
    if KnowledgeTest.objects.filter(branch=branch, title=TEST_TITLE).exists():
        return
    questions = [
        services.question_create(kind=kind, text=text, choices=choices, regulation=regulations[reg_title])
        for kind, text, choices, reg_title in QUESTIONS
    ]
    test = services.knowledge_test_create(branch=branch, title=TEST_TITLE, questions=questions, pass_mark=60)
    officers = [user for user in staff_users if user.username.startswith("officer")]
    for index, officer in enumerate(officers):
        attempt = services.attempt_start(test=test, staff=officer)
        answers = {}
        for number, question in enumerate(questions):
            right = [choice.pk for choice in question.choices.all() if choice.is_correct]
            wrong = [choice.pk for choice in question.choices.all() if not choice.is_correct][:1]
            # Most answer most questions right; officer3 fails.
            answers[question.pk] = (
                wrong if (number + index) % 5 == 0 or officer.username == "officer3" else right
            )
        services.attempt_submit(attempt=attempt, answers=answers)


def _seed_violations(users, today) -> None:
    head, officer5, officer7 = users.get("head"), users.get("officer5"), users.get("officer7")
    if officer5 and head and not Violation.objects.filter(staff=officer5, rule__startswith="未按期").exists():
        services.violation_record(
            staff=officer5,
            recorded_by=users.get("compliance") or head,
            approved_by=head,
            occurred_on=today - dt.timedelta(days=40),
            rule="未按期完成贷后现场检查",
            regulation=Regulation.objects.filter(title="《对公信贷业务贷后管理实施细则》").first(),
            source=ViolationSource.AUDIT_FINDING,
            description="某流动资金贷款季度现场检查逾期15天完成。",
            penalty_kind=PenaltyKind.FINE,
            fine_amount=Decimal("200.00"),
            score_deduction=Decimal("2"),
        )
    if officer7 and not Violation.objects.filter(staff=officer7, rule__startswith="连续").exists():
        services.violation_raise(
            staff=officer7,
            occurred_on=today - dt.timedelta(days=3),
            rule="连续两次缺席每周一晨会",
            source=ViolationSource.OTHER,
            penalty_kind=PenaltyKind.CRITICISM,
        )


# (username, days ago, kind, outcome, value, offered by: a borrower of the officer or a name,
# description): refusals, a declared meal, and an accepted gift over the limit.
GIFTS = [
    ("officer1", 20, OfferKind.MEAL, OfferOutcome.REFUSED, "300", None, "贷款发放后借款人邀请吃饭，已婉拒。"),
    (
        "officer2",
        12,
        OfferKind.GIFT,
        OfferOutcome.REFUSED,
        "500",
        "保证人 刘建华",
        "中秋送月饼礼盒，当场退回。",
    ),
    ("officer3", 8, OfferKind.GIFT, OfferOutcome.ACCEPTED, "800", None, "春节收受烟酒一份，事后报告。"),
    ("head", 5, OfferKind.INVITATION, OfferOutcome.REFUSED, "0", "镇商会 王总", "邀请参加企业年会，已谢绝。"),
]


def _seed_gifts(users, today) -> int:
    created = 0
    for username, days_ago, kind, outcome, value, name, description in GIFTS:
        staff = users.get(username)
        if staff is None or GiftDeclaration.objects.filter(staff=staff, description=description).exists():
            continue
        borrower = None if name else Borrower.objects.filter(officer=staff).order_by("id").first()
        if borrower is None and not name:
            name = "借款人家属"
        services.gift_declare(
            staff=staff,
            kind=kind,
            outcome=outcome,
            value=Decimal(value),
            offered_on=today - dt.timedelta(days=days_ago),
            borrower=borrower,
            offered_by_name=name or "",
            description=description,
        )
        created += 1
    head = users.get("head")
    first = GiftDeclaration.objects.filter(staff=users.get("officer1"), reviewed_at__isnull=True).first()
    if head and first:
        services.gift_review(declaration=first, reviewed_by=head, note="拒绝得当，继续保持。")
    return created


def seed(*, stdout=None) -> None:
    branch = Branch.objects.filter(code=COUNTY_BRANCH[0]).first()
    if branch is None:
        say(stdout, "compliance: no demo branch, skipped")
        return
    now = timezone.now()
    today = timezone.localdate()
    staff_users = [profile.user for profile in services.branch_staff(branch_id=branch.pk)]
    users = {user.username: user for user in get_user_model().objects.filter(profile__branch=branch)}
    regulations = _seed_regulations(staff_users, now)
    meetings = _seed_meetings(branch, staff_users, users.get("head"), regulations, today)
    _seed_city_training(branch, staff_users, regulations, today)
    _seed_test(branch, staff_users, regulations)
    _seed_violations(users, today)
    gifts = _seed_gifts(users, today)
    say(
        stdout,
        f"compliance: {len(regulations)} regulations, {meetings} morning meetings created, "
        f"{MeetingProblem.objects.filter(branch=branch).count()} meeting problems, "
        f"{gifts} gift declarations created",
    )
