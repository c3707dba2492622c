from loans.factories import BorrowerFactory, LoanFactory
from loans.selectors import borrowers_visible_to, loans_visible_to


def test_officer_sees_only_their_own_loans(officer, other_officer, branch):
    mine = LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer))
    LoanFactory(borrower=BorrowerFactory(branch=branch, officer=other_officer))
    assert list(loans_visible_to(officer)) == [mine]
    assert list(borrowers_visible_to(officer)) == [mine.borrower]


def test_branch_head_sees_the_branch_but_not_another_branch(
    branch_head, officer, outsider, branch, other_branch
):
    ours = LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer))
    LoanFactory(borrower=BorrowerFactory(branch=other_branch, officer=outsider))
    assert list(loans_visible_to(branch_head)) == [ours]


def test_city_head_sees_loans_of_every_branch_below(city_head, officer, outsider, branch, other_branch):
    LoanFactory(borrower=BorrowerFactory(branch=branch, officer=officer))
    LoanFactory(borrower=BorrowerFactory(branch=other_branch, officer=outsider))
    assert loans_visible_to(city_head).count() == 2
