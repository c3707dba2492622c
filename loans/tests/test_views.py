import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from loans.domain import RiskClass
from loans.factories import (
    BorrowerFactory,
    CollateralFactory,
    GuarantorFactory,
    LoanFactory,
    RepaymentFactory,
    ScheduleLineFactory,
)
from loans.models import ChangeStatus, ClassificationChange, Loan, PersonalDataReveal, Repayment
from loans.services import classification_propose

pytestmark = pytest.mark.django_db


def loan_of(user, branch, **kwargs):
    return LoanFactory(borrower=BorrowerFactory(branch=branch, officer=user), **kwargs)


def test_officer_sees_their_loans_in_the_list_but_not_others(client_for, officer, other_officer, branch):
    mine = loan_of(officer, branch)
    theirs = loan_of(other_officer, branch)
    body = client_for(officer).get(reverse("loan-list")).content.decode()
    assert mine.loan_no in body
    assert theirs.loan_no not in body


@pytest.mark.parametrize("name", ["loan-detail", "repayment-create", "classification-create"])
def test_another_officers_loan_answers_404(client_for, officer, other_officer, branch, name):
    theirs = loan_of(other_officer, branch)
    assert client_for(officer).get(reverse(name, args=[theirs.loan_no])).status_code == 404


def test_another_branchs_loan_answers_404_to_the_branch_head(client_for, branch_head, outsider, other_branch):
    theirs = loan_of(outsider, other_branch)
    client = client_for(branch_head)
    assert client.get(reverse("loan-detail", args=[theirs.loan_no])).status_code == 404
    assert client.get(reverse("borrower-detail", args=[theirs.borrower_id])).status_code == 404


def test_another_officers_borrower_answers_404(client_for, officer, other_officer, branch):
    theirs = loan_of(other_officer, branch)
    assert client_for(officer).get(reverse("borrower-detail", args=[theirs.borrower_id])).status_code == 404


def test_loan_list_filters_by_product_class_and_search(client_for, branch_head, officer, branch):
    housing = loan_of(officer, branch, product="housing")
    bad = loan_of(officer, branch, risk_class=RiskClass.DOUBTFUL)
    client = client_for(branch_head)
    body = client.get(reverse("loan-list"), {"product": "housing"}).content.decode()
    assert housing.loan_no in body and bad.loan_no not in body
    body = client.get(reverse("loan-list"), {"risk_class": "4"}).content.decode()
    assert bad.loan_no in body and housing.loan_no not in body
    body = client.get(reverse("loan-list"), {"q": housing.borrower.id_number}).content.decode()
    assert housing.loan_no in body and bad.loan_no not in body
    body = client.get(reverse("loan-list"), {"q": bad.loan_no}).content.decode()
    assert bad.loan_no in body and housing.loan_no not in body


def test_loan_list_sorts_by_balance(client_for, branch_head, officer, branch):
    small = loan_of(officer, branch, balance=Decimal("10.00"))
    large = loan_of(officer, branch, balance=Decimal("90000.00"))
    body = client_for(branch_head).get(reverse("loan-list"), {"sort": "-balance"}).content.decode()
    assert body.index(large.loan_no) < body.index(small.loan_no)
    body = client_for(branch_head).get(reverse("loan-list"), {"sort": "balance"}).content.decode()
    assert body.index(small.loan_no) < body.index(large.loan_no)


@pytest.mark.parametrize("count", [5, 50])
def test_loan_list_runs_a_constant_number_of_queries(
    client_for, branch_head, officer, branch, count, django_assert_max_num_queries
):
    for _ in range(count):
        loan_of(officer, branch)
    client = client_for(branch_head)
    client.get(reverse("loan-list"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse("loan-list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_loan_detail_runs_a_constant_number_of_queries(
    client_for, officer, branch, count, django_assert_max_num_queries
):
    loan = loan_of(officer, branch)
    for seq in range(1, count + 1):
        ScheduleLineFactory(loan=loan, seq=seq, due_on=dt.date(2026, 1, 1) + dt.timedelta(days=30 * seq))
        RepaymentFactory(loan=loan)
    for _ in range(min(count, 10)):
        CollateralFactory(loan=loan)
        GuarantorFactory(loan=loan)
    Loan.objects.filter(pk=loan.pk).update(balance=Decimal("70000.00"))
    client = client_for(officer)
    client.get(reverse("loan-detail", args=[loan.loan_no]))
    with django_assert_max_num_queries(18):
        response = client.get(reverse("loan-detail", args=[loan.loan_no]))
    assert response.status_code == 200


def test_loan_detail_shows_schedule_repayments_collateral_and_change_history(client_for, officer, branch):
    loan = loan_of(officer, branch, guarantee="mortgage")
    ScheduleLineFactory(loan=loan, seq=1, due_on=dt.date(2026, 1, 15))
    RepaymentFactory(loan=loan, reference="LS-SEEN")
    CollateralFactory(loan=loan, description="衡东县住宅")
    client = client_for(officer)
    client.post(
        reverse("classification-create", args=[loan.loan_no]), {"to_class": "2", "reason": "收入下降"}
    )
    body = client.get(reverse("loan-detail", args=[loan.loan_no])).content.decode()
    assert "LS-SEEN" in body and "衡东县住宅" in body and "收入下降" in body
    assert "五级分类: 正常 → 关注" in body  # the change history names the field and the classes


def test_personal_data_is_masked_until_revealed_and_the_reveal_is_logged(client_for, officer, branch):
    loan = loan_of(officer, branch)
    client = client_for(officer)
    body = client.get(reverse("loan-detail", args=[loan.loan_no])).content.decode()
    assert loan.borrower.id_number not in body
    assert loan.borrower.id_number[:6] + "********" in body
    body = client.post(reverse("loan-reveal", args=[loan.loan_no])).content.decode()
    assert loan.borrower.id_number in body and loan.borrower.phone in body
    logged = set(PersonalDataReveal.objects.values_list("user", "borrower", "channel", "field"))
    assert logged == {
        (officer.pk, loan.borrower_id, "page", "id_number"),
        (officer.pk, loan.borrower_id, "page", "phone"),
    }


def test_compliance_officer_sees_masked_data_and_cannot_reveal(
    client_for, compliance_officer, officer, branch
):
    loan = loan_of(officer, branch)
    client = client_for(compliance_officer)
    body = client.get(reverse("loan-detail", args=[loan.loan_no])).content.decode()
    assert loan.borrower.id_number not in body
    assert client.post(reverse("loan-reveal", args=[loan.loan_no])).status_code == 403
    assert client.post(reverse("borrower-reveal", args=[loan.borrower_id])).status_code == 403
    assert not PersonalDataReveal.objects.exists()


def test_branch_head_reveals_a_borrower(client_for, branch_head, officer, branch):
    loan = loan_of(officer, branch)
    body = client_for(branch_head).post(reverse("borrower-reveal", args=[loan.borrower_id])).content.decode()
    assert loan.borrower.id_number in body
    assert PersonalDataReveal.objects.filter(user=branch_head, borrower=loan.borrower).count() == 2


def test_a_revealed_guarantors_id_number_is_logged_under_the_loans_borrower(client_for, officer, branch):
    loan = loan_of(officer, branch)
    guarantor = GuarantorFactory(loan=loan, name="保证人甲")
    client = client_for(officer)
    assert guarantor.id_number not in client.get(reverse("loan-detail", args=[loan.loan_no])).content.decode()
    body = client.post(reverse("loan-reveal", args=[loan.loan_no])).content.decode()
    assert guarantor.id_number in body
    reveal = PersonalDataReveal.objects.get(detail__contains="保证人甲", field="id_number")
    assert (reveal.borrower, reveal.loan) == (loan.borrower, loan)


def test_the_change_history_shows_a_changed_phone_masked(client_for, officer, branch):
    loan = loan_of(officer, branch)
    loan.borrower.phone = "13800001111"
    loan.borrower.save()
    body = client_for(officer).get(reverse("loan-detail", args=[loan.loan_no])).content.decode()
    assert "13800001111" not in body and "138****1111" in body


def test_reveal_needs_post(client_for, officer, branch):
    loan = loan_of(officer, branch)
    assert client_for(officer).get(reverse("loan-reveal", args=[loan.loan_no])).status_code == 405


def _sheet_rows(response):
    workbook = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return list(workbook.active.iter_rows(values_only=True))


def test_export_has_the_filtered_rows_masked_and_formulas_neutralised(
    client_for, branch_head, officer, branch
):
    evil = LoanFactory(
        borrower=BorrowerFactory(branch=branch, officer=officer, name='=HYPERLINK("x")'), product="housing"
    )
    loan_of(officer, branch, product="consumer")
    response = client_for(branch_head).get(reverse("loan-export"), {"product": "housing"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(response)
    assert len(rows) == 2
    assert rows[1][0] == evil.loan_no
    assert rows[1][2] == '\'=HYPERLINK("x")'
    assert rows[1][3] == evil.borrower.id_number[:6] + "********" + evil.borrower.id_number[-4:]
    assert not PersonalDataReveal.objects.exists()


def test_export_with_full_ids_is_logged_and_refused_to_compliance(
    client_for, branch_head, compliance_officer, officer, branch
):
    loan = loan_of(officer, branch)
    rows = _sheet_rows(client_for(branch_head).get(reverse("loan-export"), {"reveal": "1"}))
    assert rows[1][3] == loan.borrower.id_number
    logged = set(PersonalDataReveal.objects.values_list("user", "loan", "channel", "field"))
    assert logged == {
        (branch_head.pk, loan.pk, "export", "id_number"),
        (branch_head.pk, loan.pk, "export", "phone"),
    }  # one record per value of each row shown in full
    rows = _sheet_rows(client_for(compliance_officer).get(reverse("loan-export"), {"reveal": "1"}))
    assert rows[1][3] != loan.borrower.id_number
    assert PersonalDataReveal.objects.count() == 2  # nothing revealed, nothing logged


def test_officer_export_never_contains_another_officers_loans(client_for, officer, other_officer, branch):
    loan_of(other_officer, branch)
    assert len(_sheet_rows(client_for(officer).get(reverse("loan-export")))) == 1


@time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC))
def test_repayment_form_records_a_staff_repayment(client_for, officer, branch):
    loan = loan_of(officer, branch)
    response = client_for(officer).post(
        reverse("repayment-create", args=[loan.loan_no]),
        {"paid_on": "2026-11-15", "principal": "1000.00", "interest": "50", "reference": "RC-1"},
    )
    assert response.status_code == 302
    repayment = Repayment.objects.get()
    assert (repayment.source, repayment.recorded_by) == ("staff", officer)
    assert Loan.objects.get(pk=loan.pk).balance == Decimal("79000.00")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"principal": "-5"}, "greater than or equal to 0"),
        ({"principal": "abc"}, "Enter a number"),
        ({"interest": "1,5"}, "Enter a number"),
        ({"principal": "80000.01"}, "more than the balance"),
        ({"paid_on": "2025-01-01"}, "before the loan was disbursed"),
        ({"paid_on": "2026-12-01"}, "future"),
        ({"principal": "0", "interest": "0"}, "above zero"),
        ({"reference": ""}, "required"),
    ],
)
@time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC))
def test_repayment_form_refuses_bad_input_and_saves_nothing(client_for, officer, branch, data, message):
    loan = loan_of(officer, branch)
    payload = {"paid_on": "2026-11-15", "principal": "100", "interest": "5", "reference": "RC-1"} | data
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switcher sets it
    response = client.post(reverse("repayment-create", args=[loan.loan_no]), payload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Repayment.objects.exists()
    assert Loan.objects.get(pk=loan.pk).balance == Decimal("80000.00")


def test_classification_form_downgrades_at_once(client_for, officer, branch):
    loan = loan_of(officer, branch)
    response = client_for(officer).post(
        reverse("classification-create", args=[loan.loan_no]), {"to_class": "3", "reason": "停产"}
    )
    assert response.status_code == 302
    assert Loan.objects.get(pk=loan.pk).risk_class == 3


@time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC))
def test_classification_form_explains_what_blocks_leaving_non_performing(client_for, officer, branch):
    loan = loan_of(officer, branch, risk_class=RiskClass.SUBSTANDARD)
    ScheduleLineFactory(
        loan=loan,
        seq=1,
        due_on=dt.date(2026, 9, 15),
        principal_paid=Decimal("2600"),
        interest_paid=Decimal("300"),
        paid_on=dt.date(2026, 10, 20),
    )
    client = client_for(officer)
    body = client.get(reverse("classification-create", args=[loan.loan_no])).content.decode()
    assert 'data-testid="npl-exit-missing"' in body
    response = client.post(
        reverse("classification-create", args=[loan.loan_no]), {"to_class": "1", "reason": "好转"}
    )
    assert response.status_code == 200
    assert not ClassificationChange.objects.exists()


def test_branch_head_approves_a_pending_upgrade_from_the_approvals_page(
    client_for, officer, branch_head, branch
):
    loan = loan_of(officer, branch, risk_class=RiskClass.SPECIAL_MENTION)
    change = classification_propose(loan=loan, to_class=1, reason="已恢复", proposed_by=officer)
    client = client_for(branch_head)
    assert loan.loan_no in client.get(reverse("classification-pending")).content.decode()
    response = client.post(
        reverse("classification-decide", args=[change.pk]), {"decision": "approve", "note": "同意"}
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.decided_by == branch_head
    assert Loan.objects.get(pk=loan.pk).risk_class == 1


def test_branch_head_cannot_approve_their_own_proposal_on_the_page(client_for, officer, branch_head, branch):
    loan = loan_of(officer, branch, risk_class=RiskClass.SPECIAL_MENTION)
    change = classification_propose(loan=loan, to_class=1, reason="已恢复", proposed_by=branch_head)
    response = client_for(branch_head).post(
        reverse("classification-decide", args=[change.pk]), {"decision": "approve"}
    )
    assert response.status_code == 200
    assert ClassificationChange.objects.get(pk=change.pk).status == ChangeStatus.PENDING


def test_rejecting_needs_a_note(client_for, officer, branch_head, branch):
    loan = loan_of(officer, branch, risk_class=RiskClass.SPECIAL_MENTION)
    change = classification_propose(loan=loan, to_class=1, reason="已恢复", proposed_by=officer)
    client = client_for(branch_head)
    assert (
        client.post(reverse("classification-decide", args=[change.pk]), {"decision": "reject"}).status_code
        == 200
    )
    response = client.post(
        reverse("classification-decide", args=[change.pk]), {"decision": "reject", "note": "证据不足"}
    )
    assert response.status_code == 302
    assert ClassificationChange.objects.get(pk=change.pk).status == ChangeStatus.REJECTED


def test_approvals_page_is_for_branch_heads_only(client_for, officer, compliance_officer):
    assert client_for(officer).get(reverse("classification-pending")).status_code == 403
    assert client_for(compliance_officer).get(reverse("classification-pending")).status_code == 403


def test_borrower_list_masks_id_numbers_and_searches(client_for, branch_head, officer, branch):
    loan = loan_of(officer, branch)
    body = client_for(branch_head).get(reverse("borrower-list"), {"q": loan.borrower.name}).content.decode()
    assert loan.borrower.name in body
    assert loan.borrower.id_number not in body


def _queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_loan_list_and_detail_queries_do_not_grow_with_the_data(client_for, branch_head, officer, branch):
    loan = loan_of(officer, branch, guarantee="mortgage")
    client = client_for(branch_head)
    detail = reverse("loan-detail", args=[loan.loan_no])
    # A change made through a page, so the history already names a user (one query for names).
    client.post(reverse("classification-create", args=[loan.loan_no]), {"to_class": "2", "reason": "关注"})
    before = (_queries_for(client, reverse("loan-list")), _queries_for(client, detail))
    for seq in range(1, 46):
        loan_of(officer, branch)
        ScheduleLineFactory(loan=loan, seq=seq, due_on=dt.date(2026, 1, 1) + dt.timedelta(days=30 * seq))
        RepaymentFactory(loan=loan)
    for _ in range(5):
        CollateralFactory(loan=loan)
        GuarantorFactory(loan=loan)
    assert (_queries_for(client, reverse("loan-list")), _queries_for(client, detail)) == before


@pytest.mark.parametrize("name", ["repayment-create", "classification-create"])
def test_compliance_officer_cannot_record_repayments_or_change_classes(
    client_for, compliance_officer, officer, branch, name
):
    loan = loan_of(officer, branch)
    assert client_for(compliance_officer).get(reverse(name, args=[loan.loan_no])).status_code == 403


def test_branch_head_home_counts_pending_upgrades_among_approvals(client_for, officer, branch_head, branch):
    loan = loan_of(officer, branch, risk_class=RiskClass.SPECIAL_MENTION)
    classification_propose(loan=loan, to_class=1, reason="已恢复", proposed_by=officer)
    response = client_for(branch_head).get(reverse("home"))
    panel = next(p for p in response.context["panels"] if "kinds" in p["context"])
    assert {kind["key"]: kind["count"] for kind in panel["context"]["kinds"]}["class"] == 1


def test_loan_page_shows_the_arrears_quote_for_the_date_asked_marked_as_an_estimate(
    client_for, officer, branch
):
    loan = loan_of(officer, branch, balance=Decimal("50000.00"), annual_rate=Decimal("4.35"))
    ScheduleLineFactory(loan=loan, seq=1, due_on=dt.date(2026, 5, 1))
    body = client_for(officer).get(reverse("loan-detail", args=[loan.loan_no]), {"quote_date": "2026-05-31"})
    body = body.content.decode()
    assert "估算，以核心系统为准" in body
    assert 'data-testid="quote-penalty">14.14<' in body
    assert 'data-testid="quote-clear"><strong>2,915.77<' in body
    assert "罚息" in body and "/ 360" in body


@time_machine.travel(dt.datetime(2026, 6, 30, 4, tzinfo=dt.UTC))
def test_loan_page_quotes_today_when_the_date_is_missing_or_bad(client_for, officer, branch):
    loan = loan_of(officer, branch)
    client = client_for(officer)
    for params in ({}, {"quote_date": "not-a-date"}):
        body = client.get(reverse("loan-detail", args=[loan.loan_no]), params).content.decode()
        assert 'name="quote_date" value="2026-06-30"' in body


def test_a_settled_loan_has_no_arrears_quote(client_for, officer, branch):
    loan = loan_of(officer, branch, status="settled", balance=Decimal("0.00"))
    body = client_for(officer).get(reverse("loan-detail", args=[loan.loan_no])).content.decode()
    assert 'data-testid="quote"' not in body


def _monthly_schedule(loan, count, *, first=dt.date(2024, 1, 15), paid_before=dt.date(2026, 6, 1)):
    lines = []
    for n in range(count):
        due = dt.date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 15)
        lines.append(
            ScheduleLineFactory(loan=loan, seq=n + 1, due_on=due, paid_on=due if due < paid_before else None)
        )
    return lines


def _schedule_seqs(body: str) -> int:
    table = body[
        body.index('data-testid="schedule"') : body.index("</table>", body.index('data-testid="schedule"'))
    ]
    return table.count("<tr class=")


@time_machine.travel(dt.datetime(2026, 11, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
def test_loan_page_shows_overdue_instalments_and_the_next_twelve_and_the_rest_on_demand(
    client_for, officer, branch
):
    loan = loan_of(officer, branch)
    _monthly_schedule(loan, 120)  # 2024-01 … 2033-12, unpaid from 2026-06: 5 overdue (06–10), 11-15 due today
    client = client_for(officer)
    body = client.get(reverse("loan-detail", args=[loan.loan_no])).content.decode()
    assert _schedule_seqs(body) == 5 + 12
    assert "?schedule=all" in body
    full = client.get(reverse("loan-detail", args=[loan.loan_no]), {"schedule": "all"}).content.decode()
    assert _schedule_seqs(full) == 120


@pytest.mark.parametrize("count", [24, 360])
def test_loan_page_runs_the_same_number_of_queries_whatever_the_schedule_length(
    client_for, officer, branch, django_assert_max_num_queries, count
):
    loan = loan_of(officer, branch)
    _monthly_schedule(loan, count, first=dt.date(2020, 1, 15))
    client = client_for(officer)
    client.get(reverse("loan-detail", args=[loan.loan_no]))
    with django_assert_max_num_queries(25):
        client.get(reverse("loan-detail", args=[loan.loan_no]), {"schedule": "all"})
