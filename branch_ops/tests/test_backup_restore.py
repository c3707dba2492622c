"""`make backup` / `make restore`: the demo, dumped with pg_dump -Fc and restored with
pg_restore, gives the same dashboard figures and the same row count in every table."""

import dataclasses
import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from psycopg2 import sql

from branch_ops.celery import app
from core.backups import Target
from loans.models import Loan


def _row_counts(target: Target) -> dict[str, int]:
    counts = {}
    with target.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        for (table,) in cursor.fetchall():
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    return counts


def _summary(client) -> dict:
    last_month_end = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    response = client.get(reverse("api-dashboard-summary"), {"as_of": last_month_end.isoformat()})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def new_database():
    """An empty database beside the test database, dropped afterwards."""
    source = Target.from_settings()
    target = dataclasses.replace(source, dbname=f"{source.dbname}_restored")
    create = dataclasses.replace(source, dbname="postgres")
    name = sql.Identifier(target.dbname)
    with create.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    yield target
    with create.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


@pytest.fixture
def no_tasks_left_behind():
    """The demo enqueues its after-commit tasks; no worker runs here, so drop them after, lest
    a later test's worker take them for its own."""
    yield
    app.control.purge()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_demo_restores_to_the_same_figures_and_row_counts(
    client, tmp_path, new_database, no_tasks_left_behind
):
    call_command("seed_demo")
    client.force_login(Loan.objects.first().branch.staff.get(role="branch_head").user)
    figures = _summary(client)
    source = Target.from_settings()
    counts = _row_counts(source)
    assert counts["loans_loan"] > 1000

    dump = tmp_path / "branch_ops-demo.dump"
    call_command("backup_database", output=str(dump))
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    # Into a new, empty database: every table with the same number of rows.
    call_command("restore_database", str(dump), database_url=new_database.url())
    assert _row_counts(new_database) == counts

    # Over the live database: refused until forced, then the same figures again.
    call_command("flush", interactive=False)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_database", str(dump))
    call_command("restore_database", str(dump), force=True)
    assert _row_counts(source) == counts
    assert _summary(client) == figures
