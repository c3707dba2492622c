import pytest
from django.core.management import CommandError, call_command

from ledger_import.factories import ledger_csv, ledger_row
from ledger_import.models import ImportBatch
from loans.models import Loan

pytestmark = pytest.mark.django_db


def test_import_ledger_prints_progress_and_a_summary(tmp_path, ledger_officers, capsys):
    path = tmp_path / "ledger.csv"
    path.write_bytes(ledger_csv([ledger_row(数据日期=""), ledger_row(数据日期="")]))
    call_command("import_ledger", str(path), "--as-of", "2026-10-31")
    out = capsys.readouterr().out
    assert "checking: 2/2" in out and "created 2" in out
    assert {loan.as_of.isoformat() for loan in Loan.objects.all()} == {"2026-10-31"}
    call_command("import_ledger", str(path), "--as-of", "2026-10-31")
    assert "unchanged 2" in capsys.readouterr().out
    assert ImportBatch.objects.count() == 2
    # A one-branch file run from the command line shows in that branch's batch list.
    assert {batch.branch.code for batch in ImportBatch.objects.all()} == {"430424"}


def test_import_ledger_exits_non_zero_and_prints_every_error(tmp_path, ledger_officers, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(ledger_csv([ledger_row(发放金额="-5"), ledger_row(管户客户经理工号="K404")]))
    with pytest.raises(CommandError, match="2 errors"):
        call_command("import_ledger", str(path))
    err = capsys.readouterr().err
    assert "row 2 发放金额" in err and "row 3 管户客户经理工号" in err
    assert not Loan.objects.exists()


def test_import_ledger_exit_status_from_the_shell(tmp_path, ledger_officers):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["manage.py", "import_ledger", str(path)])
    assert exit_info.value.code == 1
