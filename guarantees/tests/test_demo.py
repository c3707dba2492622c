from guarantees import demo
from guarantees.models import ContagionFlag
from guarantees.selectors import guarantee_network
from loans.models import Guarantor


def test_demo_makes_one_mutual_guarantee_and_one_three_firm_circle_idempotently(firm, branch):
    firm("甲公司", days_past_due=20)
    for name in ("乙公司", "丙公司", "丁公司", "戊公司"):
        firm(name)
    demo.seed()
    circles = guarantee_network(branch_ids={branch.pk}).circles
    assert sorted(len(c.parties) for c in circles) == [2, 3]
    three = next(c for c in circles if len(c.parties) == 3)
    assert "甲公司" in three.label
    assert ContagionFlag.objects.count() == 3
    counts = (Guarantor.objects.count(), ContagionFlag.objects.count())
    demo.seed()
    assert (Guarantor.objects.count(), ContagionFlag.objects.count()) == counts


def test_demo_without_five_firms_does_nothing(firm):
    firm("甲公司")
    demo.seed()
    assert not Guarantor.objects.exists()
