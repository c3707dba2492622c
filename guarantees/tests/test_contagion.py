import pytest
from celery.contrib.testing.worker import start_worker

from branch_ops.celery import app
from guarantees.models import ContagionFlag
from guarantees.services import guarantee_contagion_run
from guarantees.tasks import run_guarantee_contagion
from guarantees.tests.conftest import DAY, guarantees
from loans.models import Loan
from post_loan.models import RequiredAction


def _three_firm_circle(firm, *, overdue: bool):
    x, y, z = firm("丙公司", days_past_due=15 if overdue else 0), firm("丁公司"), firm("戊公司")
    guarantees(x, y)
    guarantees(y, z)
    guarantees(z, x)
    return x, y, z


def test_an_overdue_member_flags_every_loan_of_its_circle_with_a_verification_action(firm):
    x, y, z = _three_firm_circle(firm, overdue=True)
    bystander = firm("己公司")
    flags = guarantee_contagion_run(as_of=DAY)
    assert {f.loan.borrower_id for f in flags} == {x.pk, y.pk, z.pk}
    actions = RequiredAction.objects.filter(loan__borrower__in=[x, y, z])
    assert actions.count() == 3
    assert all("丙公司" in action.reason for action in actions)
    assert not ContagionFlag.objects.filter(loan__borrower=bystander).exists()


def test_contagion_run_twice_creates_no_second_flag_or_action(firm):
    _three_firm_circle(firm, overdue=True)
    guarantee_contagion_run(as_of=DAY)
    guarantee_contagion_run(as_of=DAY.replace(day=29) if DAY.day == 30 else DAY)
    assert ContagionFlag.objects.count() == 3
    assert RequiredAction.objects.count() == 3


def test_a_circle_without_an_overdue_member_is_not_flagged(firm):
    _three_firm_circle(firm, overdue=False)
    assert guarantee_contagion_run(as_of=DAY) == []


def test_flag_is_cleared_when_the_circle_is_no_longer_overdue(firm):
    x, *_rest = _three_firm_circle(firm, overdue=True)
    guarantee_contagion_run(as_of=DAY)
    Loan.objects.filter(borrower=x).update(days_past_due=0, overdue_principal=0, risk_class=1)
    assert guarantee_contagion_run(as_of=DAY) == []
    assert ContagionFlag.objects.filter(cleared_on=DAY).count() == 3


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_contagion_runs_on_a_real_worker_and_flags_once(firm):
    _three_firm_circle(firm, overdue=True)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert run_guarantee_contagion.delay(DAY.isoformat()).get(timeout=30) == 3
        assert run_guarantee_contagion.delay(DAY.isoformat()).get(timeout=30) == 3
    assert ContagionFlag.objects.count() == 3
    assert RequiredAction.objects.count() == 3


def test_daily_contagion_is_scheduled_after_the_recompute(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    app.loader.import_default_modules()
    entry = schedule["guarantee-contagion"]
    assert entry["task"] in app.tasks
    recompute = schedule["recompute-delinquency"]["schedule"]
    assert (min(entry["schedule"].hour), min(entry["schedule"].minute)) > (
        min(recompute.hour),
        min(recompute.minute),
    )
