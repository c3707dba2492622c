import pytest

from loans.factories import BorrowerFactory, LoanFactory
from post_loan.factories import RequiredActionFactory


@pytest.fixture
def loan_of(branch):
    """A loan of ``officer`` at ``branch``: ``loan_of(officer, product=...)``."""

    def make(officer, **kwargs):
        borrower_kwargs = {
            k[len("borrower__") :]: kwargs.pop(k) for k in list(kwargs) if k.startswith("borrower__")
        }
        borrower = BorrowerFactory(branch=branch, officer=officer, **borrower_kwargs)
        return LoanFactory(borrower=borrower, **kwargs)

    return make


@pytest.fixture
def action_of(loan_of):
    def make(officer, **kwargs):
        return RequiredActionFactory(loan=loan_of(officer), **kwargs)

    return make
