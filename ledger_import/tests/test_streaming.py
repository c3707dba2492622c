"""The ledger file is read as a stream (issue 15 part 2): in pieces, checked row by row, and
only the errors and the counts are kept."""

import io

import pytest
from django.utils import translation

from ledger_import import ledger
from ledger_import.factories import ledger_csv, ledger_row, ledger_xlsx
from ledger_import.ledger import LedgerCheck
from ledger_import.parsing import CHUNK
from ledger_import.services import ledger_import
from loans.models import Loan

pytestmark = pytest.mark.django_db


class PieceByPiece(io.BytesIO):
    """A file that refuses to be read whole: every read must name a size of at most CHUNK."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.largest = 0

    def _check(self, size):
        if size is None or size < 0 or size > CHUNK:
            raise AssertionError(f"read({size}) of the whole file")
        self.largest = max(self.largest, size)

    def read(self, size=-1):
        self._check(size)
        return super().read(size)

    def read1(self, size=-1):
        self._check(size)
        return super().read1(size)

    def readinto(self, buffer):
        self._check(len(buffer))
        return super().readinto(buffer)

    def getvalue(self):
        raise AssertionError("getvalue() of the whole file")


def test_a_csv_ledger_is_read_in_pieces_never_whole(ledger_officers):
    source = PieceByPiece(ledger_csv([ledger_row() for _ in range(300)]))

    result = ledger_import(data=source)

    assert not result.errors
    assert result.summary["created"] == 300
    assert 0 < source.largest <= CHUNK


def test_a_gbk_csv_is_read_in_pieces_never_whole(ledger_officers):
    source = PieceByPiece(ledger_csv([ledger_row(客户名称="张三") for _ in range(50)], encoding="gbk"))

    result = ledger_import(data=source)

    assert not result.errors
    assert set(Loan.objects.values_list("borrower__name", flat=True)) == {"张三"}


def test_an_xlsx_ledger_is_read_from_the_file_not_its_bytes(ledger_officers):
    result = ledger_import(data=io.BytesIO(ledger_xlsx([ledger_row() for _ in range(20)])))

    assert not result.errors
    assert result.summary["created"] == 20


def test_rows_are_checked_as_the_file_is_read(ledger_officers):
    """The first checked row comes out when only the first pieces of a large file are read."""
    rows = [ledger_row() for _ in range(2000)]
    source = io.BytesIO(ledger_csv(rows))
    size = len(source.getvalue())
    check = LedgerCheck(source, default_as_of=None, allowed_branch_ids=None)

    first = next(check.rows())

    assert first.loan_no == rows[0]["借据号"]
    assert source.tell() < size / 4
    assert check.result.rows_total == 1


def test_after_many_errors_only_the_first_are_listed_with_their_number(ledger_officers, monkeypatch):
    monkeypatch.setattr(ledger, "ERRORS_LISTED", 3)
    rows = [ledger_row(发放金额="abc") for _ in range(5)]

    result = ledger_import(data=ledger_csv(rows))

    assert [issue.row for issue in result.errors] == [2, 3, 4, 0]
    with translation.override("en"):
        assert result.errors[-1].reason["en"] == "5 errors in all; the first 3 are listed."
    assert not Loan.objects.exists()
