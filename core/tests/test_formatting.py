"""Amounts, classes and dates read the same on every page: core.formatting and its filters."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core import formatting
from core.tests.pages import rendered_pages
from loans.domain import RiskClass
from loans.factories import BorrowerFactory, LoanFactory
from loans.models import Loan

# Four or more digits straight before the decimal point: an amount nobody formatted.
RAW_AMOUNT = re.compile(r"(?<![\d,.])\d{4,}\.\d{1,2}(?!\d)")


def test_an_amount_is_written_with_thousands_separators_and_two_places():
    assert formatting.format_amount(Decimal("57264.06")) == "57,264.06"
    assert formatting.format_amount(Decimal("321000")) == "321,000.00"
    assert formatting.format_amount(Decimal("-1234.5")) == "-1,234.50"
    assert formatting.format_amount(None) == "—"


def test_an_amount_is_rounded_half_up_as_the_bank_rounds():
    assert formatting.format_amount(Decimal("0.125")) == "0.13"
    assert formatting.to_wan(Decimal("12345")) == Decimal("1.23")
    assert formatting.to_wan(Decimal("12350")) == Decimal("1.24")


def test_a_float_amount_is_refused():
    with pytest.raises(TypeError):
        formatting.format_amount(57264.06)


def test_yuan_takes_the_symbol_on_request_and_wan_divides_by_ten_thousand():
    assert formatting.format_yuan(Decimal("1000"), symbol=True) == "¥1,000.00"
    assert formatting.format_yuan(Decimal("-1000"), symbol=True) == "-¥1,000.00"
    assert formatting.format_wan(Decimal("219210000")) == "21,921.00"


def test_the_filters_write_money_classes_and_dates_in_chinese():
    template = Template(
        "{% load branch_ops_format %}{{ a|yuan }}|{{ a|yuan:'¥' }}|{{ b|wan }}|{{ c|risk_class_label }}|{{ d|ui_date }}"
    )
    with translation.override("zh-hans"):
        text = template.render(
            Context({"a": Decimal("57264.06"), "b": Decimal("219210000"), "c": 2, "d": dt.date(2026, 3, 1)})
        )
    assert text == "57,264.06|¥57,264.06|21,921.00|关注|2026-03-01"


def test_a_history_value_is_written_by_the_type_of_its_field():
    field = Loan._meta.get_field
    with translation.override("zh-hans"):
        assert formatting.history_value(58661.0, field("balance")) == "58,661.00"
        assert formatting.history_value(2, field("risk_class")) == "关注"
        assert formatting.history_value("2026-06-15", field("matures_on")) == "2026-06-15"
        assert formatting.history_value(None, field("balance")) == "∅"
        assert formatting.history_value("衡东", None) == "衡东"


@pytest.mark.django_db
def test_the_loan_history_shows_amounts_and_classes_not_raw_values(client_for, officer, branch):
    loan = LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer), balance=Decimal("58661.00"))
    Loan.objects.filter(pk=loan.pk).update(balance=Decimal("57264.06"), risk_class=RiskClass.SPECIAL_MENTION)
    response = client_for(officer).get(
        reverse("loan-detail", args=[loan.loan_no]), headers={"accept-language": "zh-hans"}
    )
    history = response.content.decode().split('data-testid="change-history"')[1]
    assert "58,661.00 → 57,264.06" in history
    assert "正常 → 关注" in history
    assert "58661.0" not in history and "1 → 2" not in history


@pytest.mark.django_db
def test_no_page_prints_a_raw_unformatted_amount(client, people, branch, officer):
    loan = LoanFactory(
        borrower=BorrowerFactory(branch=branch, officer=officer),
        principal=Decimal("321000.00"),
        balance=Decimal("58661.00"),
    )
    Loan.objects.filter(pk=loan.pk).update(balance=Decimal("57264.06"))
    raw = {}
    seen = 0
    for page in rendered_pages(client, people):
        seen += 1
        if found := RAW_AMOUNT.findall(page.text):
            raw[f"{page.persona} {page.path}"] = sorted(set(found))[:5]
    assert seen > 50
    assert raw == {}, raw
    client.force_login(officer)
    detail = client.get(reverse("loan-detail", args=[loan.loan_no])).content.decode()
    listed = client.get(reverse("loan-list")).content.decode()
    assert "321,000.00" in detail and "57,264.06" in detail and "57,264.06" in listed
    assert not RAW_AMOUNT.search(detail)
