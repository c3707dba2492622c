import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts.factories import make_staff
from accounts.models import Role
from dashboard.models import MonthlyReport
from dashboard.services import monthly_report_generate
from dashboard.tests.conftest import snapshot
from notifications.models import OutgoingEmail


@pytest.mark.django_db
def test_monthly_report_has_workbook_pdf_and_one_email(frozen_today, branch, branch_head, officer):
    snapshot(branch=branch, officer=officer, as_of=dt.date(2026, 10, 31), balance="21921000.00")
    snapshot(branch=branch, as_of=dt.date(2026, 1, 1), balance="20025000.00")
    report = monthly_report_generate(branch_id=branch.pk, month=dt.date(2026, 10, 1))
    book = load_workbook(io.BytesIO(report.workbook.read()))
    headline = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=3, values_only=True)}
    assert headline["贷款余额（万元）"] == 2192.1
    assert headline["较年初增减（万元）"] == 189.6
    assert len(book.worksheets) > 5  # tables behind the charts and the sections' tables
    assert report.pdf.read().startswith(b"%PDF")
    again = monthly_report_generate(branch_id=branch.pk, month=dt.date(2026, 10, 1))
    assert again.pk == report.pk and MonthlyReport.objects.count() == 1
    email = OutgoingEmail.objects.get(kind="monthly_report")
    assert email.recipient == branch_head and f"/dashboard/reports/{report.pk}/xlsx/" in email.body_text
    assert "贷款余额（万元）: 2,192.10" in email.body_text  # the figures as the PDF prints them


@pytest.mark.django_db
def test_a_month_not_over_cannot_be_reported(frozen_today, branch):
    with pytest.raises(ValidationError, match="月份结束后"):
        monthly_report_generate(branch_id=branch.pk, month=dt.date(2026, 11, 1))


@pytest.mark.django_db
def test_report_files_are_scoped(frozen_today, client_for, branch, branch_head, officer, outsider, city_head):
    snapshot(branch=branch, as_of=dt.date(2026, 10, 31), balance="1000.00")
    report = monthly_report_generate(branch_id=branch.pk, month=dt.date(2026, 10, 1), email=False)
    url = reverse("dashboard-report-file", args=[report.pk, "pdf"])
    assert client_for(branch_head).get(url).status_code == 200
    assert client_for(city_head).get(url).status_code == 200
    assert client_for(officer).get(url).status_code == 403
    other_head = make_staff(role=Role.BRANCH_HEAD, branch=outsider.profile.branch)
    assert client_for(other_head).get(url).status_code == 404


@pytest.mark.django_db
def test_branch_head_generates_a_report_from_the_page(frozen_today, client_for, branch, branch_head):
    snapshot(branch=branch, as_of=dt.date(2026, 10, 31), balance="1000.00")
    client = client_for(branch_head)
    response = client.post(reverse("dashboard-reports"), {"branch": branch.pk, "month": "2026-10"})
    assert response.status_code == 302 and MonthlyReport.objects.filter(branch=branch).exists()
    assert "2026-10" in client.get(reverse("dashboard-reports")).content.decode()


@pytest.mark.django_db
def test_compliance_reads_reports_but_may_not_generate(frozen_today, client_for, branch, compliance_officer):
    client = client_for(compliance_officer)
    assert client.get(reverse("dashboard-reports")).status_code == 200
    assert (
        client.post(reverse("dashboard-reports"), {"branch": branch.pk, "month": "2026-10"}).status_code
        == 403
    )
    assert not MonthlyReport.objects.exists()


@pytest.mark.django_db
def test_reports_page_defaults_to_the_users_branch_and_the_month_just_over(
    frozen_today, client_for, branch, city_head
):
    response = client_for(city_head).get(reverse("dashboard-reports"))
    form = response.context["form"]
    assert form["branch"].value() == city_head.profile.branch_id and form["month"].value() == "2026-10"
    assert "---------" not in response.content.decode()
    response = client_for(make_staff(role=Role.BRANCH_HEAD, branch=branch)).get(reverse("dashboard-reports"))
    assert response.context["form"]["branch"].value() == branch.pk


@pytest.mark.django_db
def test_reports_page_puts_the_latest_report_of_the_users_branch_first(
    frozen_today, client_for, branch, branch_head
):
    snapshot(branch=branch, as_of=dt.date(2026, 10, 31), balance="1000.00")
    snapshot(branch=branch, as_of=dt.date(2026, 9, 30), balance="900.00")
    monthly_report_generate(branch_id=branch.pk, month=dt.date(2026, 9, 1), email=False)
    october = monthly_report_generate(branch_id=branch.pk, month=dt.date(2026, 10, 1), email=False)
    response = client_for(branch_head).get(reverse("dashboard-reports"))
    assert response.context["latest"] == october
    assert reverse("dashboard-report-file", args=[october.pk, "pdf"]) in response.content.decode()
