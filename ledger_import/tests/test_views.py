import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.factories import make_staff
from accounts.models import Role
from ledger_import.factories import ImportBatchFactory, ledger_csv, ledger_row
from ledger_import.models import BatchStatus, ImportBatch
from ledger_import.report import safe_cell
from ledger_import.services import batch_create, batch_process
from loans.models import Loan, LoanStatus

pytestmark = pytest.mark.django_db


def _upload(client, data, name="ledger.csv"):
    return client.post(reverse("import-upload"), {"kind": "ledger", "file": SimpleUploadedFile(name, data)})


def test_an_officer_cannot_open_the_upload_page(client_for, officer):
    client = client_for(officer)
    assert client.get(reverse("import-upload")).status_code == 403
    assert _upload(client, ledger_csv([ledger_row()])).status_code == 403
    assert client.get(reverse("import-list")).status_code == 403


def test_the_branch_head_uploads_a_file_and_it_is_queued(
    client_for, branch_head, ledger_officers, monkeypatch
):
    queued = []
    monkeypatch.setattr("ledger_import.services.batches.enqueue_on_commit", lambda *args: queued.append(args))
    client = client_for(branch_head)
    response = _upload(client, ledger_csv([ledger_row()]))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("import-detail", args=[batch.pk])
    assert batch.uploaded_by == branch_head and batch.status == BatchStatus.QUEUED
    assert len(batch.sha256) == 64


def test_upload_checks_the_content_not_the_name(client_for, branch_head):
    response = _upload(client_for(branch_head), b"%PDF-1.7\x00\x00 not a sheet", name="ledger.csv")
    assert response.status_code == 200
    assert "not a spreadsheet" in response.content.decode() or "不是" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_refuses_a_file_over_the_size_limit(client_for, branch_head, settings):
    settings.MAX_UPLOAD_SIZE = 100
    response = _upload(client_for(branch_head), ledger_csv([ledger_row()]))
    assert response.status_code == 200 and not ImportBatch.objects.exists()


def test_progress_endpoint_reports_counts(client_for, branch_head, branch):
    batch = ImportBatchFactory(branch=branch, status=BatchStatus.RUNNING, rows_total=200, rows_done=100)
    data = client_for(branch_head).get(reverse("import-progress", args=[batch.pk])).json()
    assert data["rows_done"] == 100 and data["progress"] == 45 and data["final"] is False


def test_the_result_page_lists_errors_and_the_report_neutralises_formulas(
    client_for, branch_head, ledger_officers
):
    bad = ledger_row(客户名称="=HYPERLINK(1)", 证件号码="430424197501010010")
    batch = batch_create(data=ledger_csv([bad]), file_name="bad.csv", uploaded_by=branch_head, enqueue=False)
    batch_process(batch_id=batch.pk)
    client = client_for(branch_head)
    page = client.get(reverse("import-detail", args=[batch.pk])).content.decode()
    assert "证件号码" in page and 'data-progress="100"' in page
    report = client.get(reverse("import-errors", args=[batch.pk]))
    assert report.status_code == 200 and report.content[:2] == b"PK"
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@SUM") == "'@SUM" and safe_cell("ok") == "ok"


def test_another_branchs_batch_answers_404(client_for, branch_head, other_branch):
    batch = ImportBatchFactory(branch=other_branch)
    assert client_for(branch_head).get(reverse("import-detail", args=[batch.pk])).status_code == 404


def test_the_branch_head_marks_missing_loans_settled(client_for, branch_head, ledger_officers):
    rows = [ledger_row(), ledger_row()]
    batch_process(batch_id=batch_create(data=ledger_csv(rows), file_name="a.csv", enqueue=False).pk)
    batch = batch_process(
        batch_id=batch_create(
            data=ledger_csv(rows[:1]), file_name="b.csv", uploaded_by=branch_head, enqueue=False
        ).pk
    )
    missing = batch.summary["missing"][0]
    client = client_for(branch_head)
    page = client.get(reverse("import-detail", args=[batch.pk])).content.decode()
    assert missing["loan_no"] in page
    response = client.post(reverse("import-settle", args=[batch.pk]), {"loan": [missing["id"]]})
    assert response.status_code == 302
    assert Loan.objects.get(pk=missing["id"]).status == LoanStatus.SETTLED


def test_a_branch_head_of_another_branch_cannot_settle(
    client_for, ledger_officers, branch_head, other_branch
):
    rows = [ledger_row(), ledger_row()]
    batch_process(batch_id=batch_create(data=ledger_csv(rows), file_name="a.csv", enqueue=False).pk)
    batch = batch_process(
        batch_id=batch_create(
            data=ledger_csv(rows[:1]), file_name="b.csv", uploaded_by=branch_head, enqueue=False
        ).pk
    )
    stranger = make_staff(role=Role.BRANCH_HEAD, branch=other_branch, username="head2")
    response = client_for(stranger).post(reverse("import-settle", args=[batch.pk]), {"loan": ["1"]})
    assert response.status_code == 404
    assert not Loan.objects.filter(status=LoanStatus.SETTLED).exists()
