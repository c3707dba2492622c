from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from guarantees.selectors import borrower_guarantee_view, circles_for, guarantee_network_for
from guarantees.tests.conftest import guarantees
from loans.factories import GuarantorFactory


def test_mutual_guarantee_and_three_firm_circle_are_found_by_id_number(firm, branch_head):
    a, b = firm("甲公司"), firm("乙公司")
    guarantees(a, b)
    guarantees(b, a)
    x, y, z = firm("丙公司"), firm("丁公司"), firm("戊公司")
    guarantees(x, y)
    guarantees(y, z)
    guarantees(z, x)
    circles = circles_for(branch_head)
    assert sorted((c.mutual, len(c.parties)) for c in circles) == [(False, 3), (True, 2)]
    three = next(c for c in circles if not c.mutual)
    assert {p.name for p in three.parties} == {"丙公司", "丁公司", "戊公司"}
    assert three.balance == Decimal("1500000.00")


def test_acyclic_guarantees_form_a_chain_not_a_circle(firm, branch_head):
    a, b, c = firm("甲公司"), firm("乙公司"), firm("丙公司")
    guarantees(a, b)
    guarantees(b, c)
    network = guarantee_network_for(branch_head)
    assert network.circles == []
    assert [[p.name for p in chain] for chain in network.chains] == [["甲公司", "乙公司", "丙公司"]]


def test_guarantor_exposure_is_set_against_its_own_debt(firm, branch_head):
    a, b, c = firm("甲公司", balance="200000.00"), firm("乙公司"), firm("丙公司", balance="300000.00")
    guarantees(a, b)
    guarantees(a, c)
    outsider = GuarantorFactory(loan=b.loans.get(), name="张三")
    network = guarantee_network_for(branch_head)
    party = network.party_of_borrower(a.pk)
    assert party.guaranteed_balance == Decimal("800000.00")
    assert party.own_balance == Decimal("200000.00")
    assert party.exposure_ratio == Decimal("4.00")
    person = network.parties[outsider.id_number.upper()]
    assert person.own_balance == 0 and person.exposure_ratio is None


def test_network_is_built_in_a_constant_number_of_queries(firm, branch_head):
    def count():
        with CaptureQueriesContext(connection) as queries:
            guarantee_network_for(branch_head)
        return len(queries)

    a, b = firm("甲公司"), firm("乙公司")
    guarantees(a, b)
    count()  # the user's profile and branches are cached on the first call
    few = count()
    for i in range(5):
        c = firm(f"公司{i}")
        guarantees(c, a)
        guarantees(b, c)
    assert count() == few


def test_officer_sees_the_circle_of_their_borrower_across_officers(firm, officer, other_officer):
    mine, theirs = firm("甲公司"), firm("乙公司", owner=other_officer)
    guarantees(mine, theirs)
    guarantees(theirs, mine)
    view = borrower_guarantee_view(officer, borrower=mine)
    assert [len(c.parties) for c in view["circles"]] == [2]


def test_outsider_branch_sees_no_circle(firm, outsider):
    a, b = firm("甲公司"), firm("乙公司")
    guarantees(a, b)
    guarantees(b, a)
    assert circles_for(outsider) == []


def test_borrower_page_reads_only_the_borrowers_own_group_and_finds_the_same_circles(firm, branch_head):
    x, y, z = firm("丙公司"), firm("丁公司"), firm("戊公司", balance="100000.00")
    guarantees(x, y)
    guarantees(y, z)
    guarantees(z, x)
    outsider = GuarantorFactory(loan=z.loans.get(), name="张三")
    a, b = firm("甲公司"), firm("乙公司")
    guarantees(a, b)
    guarantees(b, a)
    whole = guarantee_network_for(branch_head)
    view = borrower_guarantee_view(branch_head, borrower=x)
    mine = next(c for c in whole.circles if not c.mutual)
    assert [[p.key for p in c.parties] for c in view["circles"]] == [[p.key for p in mine.parties]]
    assert view["party"].guaranteed_balance == whole.parties[view["party"].key].guaranteed_balance
    assert view["party"].own_balance == whole.parties[view["party"].key].own_balance
    assert outsider.id_number.upper() not in {p.key for c in view["circles"] for p in c.parties}


def test_borrower_page_queries_do_not_grow_with_unrelated_guarantees(firm, branch_head):
    a, b = firm("甲公司"), firm("乙公司")
    guarantees(a, b)
    guarantees(b, a)

    def count():
        with CaptureQueriesContext(connection) as queries:
            borrower_guarantee_view(branch_head, borrower=a)
        return len(queries)

    count()  # the user's profile and branches are cached on the first call
    few = count()
    for i in range(6):
        c, d = firm(f"公司{i}"), firm(f"企业{i}")
        guarantees(c, d)
        guarantees(d, c)
    assert count() == few
