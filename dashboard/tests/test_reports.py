import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

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
    from accounts.factories import make_staff
    from accounts.models import Role

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
