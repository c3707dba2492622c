import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from compliance import services
from compliance.dashboard_sections import DASHBOARD_SECTIONS
from compliance.models import GiftDeclaration, OfferKind, OfferOutcome, ViolationSource, ViolationStatus
from core.registry import DashboardScope
from loans.factories import BorrowerFactory

TODAY = "2026-11-29 10:00 +0800"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def borrower(branch, officer):
    return BorrowerFactory(branch=branch, officer=officer, name="周德明")


def _declare(staff, **kwargs):
    values = {
        "kind": OfferKind.GIFT,
        "outcome": OfferOutcome.REFUSED,
        "value": Decimal("300"),
        "offered_on": dt.date(2026, 11, 20),
        "offered_by_name": "保证人 刘建华",
        "description": "月饼礼盒",
    }
    values.update(kwargs)
    return services.gift_declare(staff=staff, **values)


# --- declaring ---------------------------------------------------------------------------


def test_an_offer_from_a_borrower_the_declarer_manages_is_flagged_own_borrower(officer, borrower):
    declaration = _declare(officer, borrower=borrower, offered_by_name="")
    assert declaration.own_borrower is True
    assert declaration.branch_id == officer.profile.branch_id


def test_an_offer_from_another_officers_borrower_is_not_flagged(branch_head, borrower):
    declaration = _declare(branch_head, borrower=borrower, offered_by_name="")
    assert declaration.own_borrower is False


def test_an_officer_cannot_name_a_borrower_they_cannot_see(other_officer, borrower):
    with pytest.raises(ValidationError, match="请选择您可见的借款人"):
        _declare(other_officer, borrower=borrower, offered_by_name="")
    assert not GiftDeclaration.objects.exists()


@pytest.mark.parametrize("name", ["", "保证人 刘建华"])
def test_a_declaration_names_either_a_borrower_or_someone_else(officer, borrower, name):
    with pytest.raises(ValidationError, match="请选择借款人或填写提供方姓名"):
        _declare(officer, borrower=borrower if name else None, offered_by_name=name)


def test_a_negative_value_is_refused(officer):
    with pytest.raises(ValidationError, match="价值不能为负数"):
        _declare(officer, value=Decimal("-1"))


def test_the_database_refuses_a_negative_value_or_an_offer_without_an_offerer(officer, borrower):
    base = {
        "staff": officer,
        "branch": officer.profile.branch,
        "kind": OfferKind.MEAL,
        "outcome": OfferOutcome.REFUSED,
        "offered_on": dt.date(2026, 11, 20),
    }
    for extra in (
        {"value": Decimal("-5"), "offered_by_name": "某人"},
        {"value": Decimal("5")},
        {"value": Decimal("5"), "offered_by_name": "某人", "borrower": borrower},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            GiftDeclaration.objects.create(**base, **extra)


# --- the limit and the violation ---------------------------------------------------------


def test_an_accepted_gift_over_the_limit_opens_a_pending_violation_linked_to_it(officer):
    declaration = _declare(officer, outcome=OfferOutcome.ACCEPTED, value=Decimal("200.01"))
    violation = declaration.violation
    assert violation is not None
    assert violation.staff == officer and violation.status == ViolationStatus.PENDING
    assert violation.source == ViolationSource.GIFT_ACCEPTED
    assert violation.occurred_on == dt.date(2026, 11, 20)
    assert violation.source_object == declaration
    assert "200" in violation.rule


def test_opening_the_violation_again_keeps_the_one_violation(officer):
    declaration = _declare(officer, outcome=OfferOutcome.ACCEPTED, value=Decimal("800"))
    services.gift_violation_open(declaration=declaration)
    declaration.refresh_from_db()
    assert officer.violations.count() == 1
    assert declaration.violation == officer.violations.get()


@pytest.mark.parametrize(
    ("outcome", "value"), [(OfferOutcome.ACCEPTED, "200"), (OfferOutcome.REFUSED, "5000")]
)
def test_a_gift_at_the_limit_or_refused_opens_no_violation(officer, outcome, value):
    declaration = _declare(officer, outcome=outcome, value=Decimal(value))
    assert declaration.violation is None
    assert not officer.violations.exists()


def test_the_limit_is_the_gift_accepted_limit_setting(officer, settings):
    settings.GIFT_ACCEPTED_LIMIT = "50"
    declaration = _declare(officer, outcome=OfferOutcome.ACCEPTED, value=Decimal("60"))
    assert declaration.violation is not None
    assert "50" in declaration.violation.rule


# --- review (maker-checker) --------------------------------------------------------------


def test_the_branch_head_reviews_a_declaration_once(officer, branch_head):
    declaration = services.gift_review(
        declaration=_declare(officer), reviewed_by=branch_head, note="拒绝得当"
    )
    assert declaration.reviewed_by == branch_head and declaration.review_note == "拒绝得当"
    assert declaration.reviewed_at == timezone.now()
    with pytest.raises(ValidationError, match="已审核"):
        services.gift_review(declaration=declaration, reviewed_by=branch_head)


def test_the_branch_head_cannot_review_their_own_declaration(branch_head):
    declaration = _declare(branch_head)
    with pytest.raises(ValidationError, match="不能审核本人"):
        services.gift_review(declaration=declaration, reviewed_by=branch_head)
    declaration.refresh_from_db()
    assert declaration.reviewed_at is None


def test_the_database_refuses_a_review_by_the_declarer(branch_head):
    declaration = _declare(branch_head)
    with pytest.raises(IntegrityError), transaction.atomic():
        GiftDeclaration.objects.filter(pk=declaration.pk).update(
            reviewed_by=branch_head, reviewed_at=timezone.now()
        )


@pytest.mark.parametrize("reviewer", ["compliance_officer", "other_officer", "city_head_elsewhere"])
def test_only_the_branch_head_of_the_branch_reviews(request, officer, reviewer, other_branch):
    from accounts.factories import make_staff
    from accounts.models import Role

    if reviewer == "city_head_elsewhere":
        user = make_staff(role=Role.BRANCH_HEAD, branch=other_branch, username="qd_head")
    else:
        user = request.getfixturevalue(reviewer)
    with pytest.raises(ValidationError):
        services.gift_review(declaration=_declare(officer), reviewed_by=user)


# --- pages ---------------------------------------------------------------------------------


def test_every_staff_member_declares_from_the_register_page(client_for, officer, borrower):
    response = client_for(officer).post(
        reverse("compliance-gift-declare"),
        {
            "offered_on": "2026-11-20",
            "kind": OfferKind.MEAL,
            "outcome": OfferOutcome.REFUSED,
            "value": "300",
            "borrower": borrower.pk,
            "offered_by_name": "",
            "description": "邀请吃饭",
        },
    )
    assert response.status_code == 302
    declaration = GiftDeclaration.objects.get()
    assert declaration.staff == officer and declaration.own_borrower


def test_the_declare_form_refuses_both_a_borrower_and_a_name(client_for, officer, borrower):
    response = client_for(officer).post(
        reverse("compliance-gift-declare"),
        {
            "offered_on": "2026-11-20",
            "kind": OfferKind.MEAL,
            "outcome": OfferOutcome.REFUSED,
            "value": "300",
            "borrower": borrower.pk,
            "offered_by_name": "保证人",
        },
    )
    assert response.status_code == 200
    assert "请选择借款人或填写提供方姓名" in response.content.decode()
    assert not GiftDeclaration.objects.exists()


def test_an_officer_sees_their_own_declarations_and_the_head_the_branch(
    client_for, officer, other_officer, branch_head, borrower
):
    _declare(officer, borrower=borrower, offered_by_name="")
    _declare(other_officer, description="其他客户经理的")
    mine = client_for(officer).get(reverse("compliance-gifts"))
    assert [gift.staff for gift in mine.context["gifts"]] == [officer]
    assert 'data-testid="own-borrower"' in mine.content.decode()
    branch = client_for(branch_head).get(reverse("compliance-gifts"))
    assert {gift.staff for gift in branch.context["gifts"]} == {officer, other_officer}
    assert (
        reverse("compliance-gift-review", args=[GiftDeclaration.objects.first().pk])
        in branch.content.decode()
    )


def test_the_branch_head_reviews_from_the_review_page(client_for, officer, branch_head):
    declaration = _declare(officer)
    response = client_for(branch_head).post(
        reverse("compliance-gift-review", args=[declaration.pk]), {"note": "已核实"}
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.reviewed_by == branch_head


def test_the_review_page_refuses_the_heads_own_declaration(client_for, branch_head):
    declaration = _declare(branch_head)
    response = client_for(branch_head).post(reverse("compliance-gift-review", args=[declaration.pk]), {})
    assert response.status_code == 200
    assert "不能审核本人" in response.content.decode()


def test_the_review_page_is_for_the_branch_head_not_compliance(client_for, officer, compliance_officer):
    declaration = _declare(officer)
    assert (
        client_for(compliance_officer)
        .get(reverse("compliance-gift-review", args=[declaration.pk]))
        .status_code
        == 403
    )


def test_the_staff_record_and_the_monthly_report_show_the_declarations(client_for, officer, branch_head):
    _declare(officer, description="中秋月饼礼盒")
    record = client_for(branch_head).get(reverse("compliance-staff-record", args=[officer.pk]))
    assert "中秋月饼礼盒" in record.content.decode()
    report = client_for(branch_head).get(reverse("compliance-report") + "?month=2026-11")
    assert "中秋月饼礼盒" in report.content.decode()


def test_the_monthly_workbook_lists_the_months_declarations(branch, officer, branch_head):
    _declare(officer, outcome=OfferOutcome.ACCEPTED, value=Decimal("800"))
    _declare(officer, offered_on=dt.date(2026, 10, 31), description="上月")
    scope = DashboardScope(
        user=branch_head, branch_ids=frozenset({branch.pk}), officer_id=None, as_of=dt.date(2026, 11, 29)
    )
    tables = DASHBOARD_SECTIONS[0].report_tables(scope)
    gifts = tables[1]
    assert gifts.title == "礼品与宴请登记"
    assert len(gifts.rows) == 1
    assert gifts.rows[0][6] == Decimal("800.00")


def test_the_api_lists_declarations_scoped_like_the_pages(client_for, officer, other_officer, branch_head):
    _declare(officer)
    _declare(other_officer)
    mine = client_for(officer).get("/api/v1/gift-declarations/").json()
    assert [row["staff"] for row in mine["results"]] == [officer.pk]
    pending = client_for(branch_head).get("/api/v1/gift-declarations/", {"pending": "1"}).json()
    assert pending["count"] == 2
    bad = client_for(branch_head).get("/api/v1/gift-declarations/", {"offered_from": "soon"})
    assert bad.status_code == 400
