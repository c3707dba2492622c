"""The dashboard, its summary API and the monthly report read from the read replica when
there is one (core.db_routers); writes go to the primary. Proved against a real second
PostgreSQL database: a copy of the test database whose rows are then made to differ, so a
read shows which database answered."""

import copy
import datetime as dt
from decimal import Decimal

import psycopg2
import pytest
from django.db import connections, transaction

from core.db_routers import REPLICA_DB_ALIAS, reads_from_replica
from dashboard.models import PortfolioSnapshot
from dashboard.reports import wan
from dashboard.tests.conftest import snapshot

URL = "/api/v1/dashboard/summary/"
MONTH_END = dt.date(2026, 10, 31)


def _admin_connection(settings_dict):
    """A connection to the server's maintenance database, to create and drop databases."""
    conn = psycopg2.connect(
        dbname="postgres",
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
    )
    conn.autocommit = True
    return conn


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup):
    """A "replica" database alias for this module's tests, as DATABASE_REPLICA_URL makes one.
    It exists before each test starts, so the test may name it in its databases; until a
    test makes the copy it points at the primary's database."""
    connections.settings[REPLICA_DB_ALIAS] = copy.deepcopy(connections["default"].settings_dict)
    yield
    connections[REPLICA_DB_ALIAS].close()
    del connections.settings[REPLICA_DB_ALIAS]


@pytest.fixture
def make_replica():
    """Call it once the primary holds the rows: it copies the test database into a second
    database on the same server (CREATE DATABASE ... TEMPLATE) and points the "replica" alias
    at it; returns a function that runs SQL on the replica."""
    primary = connections["default"].settings_dict
    replica = connections.settings[REPLICA_DB_ALIAS]
    name = f"{primary['NAME']}_replica"
    made = []

    def make():
        connections["default"].close()  # the template must have no open session
        try:
            admin = _admin_connection(primary)
        except psycopg2.Error as error:
            pytest.skip(f"cannot reach the server's postgres database to make a replica: {error}")
        try:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary["NAME"]}"')
        except psycopg2.Error as error:
            pytest.skip(f"cannot create a second database for the replica test: {error}")
        finally:
            admin.close()
        made.append(name)
        connections[REPLICA_DB_ALIAS].close()
        replica["NAME"] = name

        def execute(sql, params=()):
            with connections[REPLICA_DB_ALIAS].cursor() as cursor:
                cursor.execute(sql, params)

        return execute

    yield make
    connections[REPLICA_DB_ALIAS].close()
    replica["NAME"] = primary["NAME"]
    if made:
        admin = _admin_connection(primary)
        try:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        finally:
            admin.close()


def _balance_on(alias: str) -> Decimal:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT balance FROM dashboard_portfoliosnapshot")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA_DB_ALIAS])
def test_the_summary_api_and_dashboard_read_the_replica_while_writes_go_to_the_primary(
    frozen_today, make_replica, client_for, branch_head, branch
):
    snapshot(branch=branch, as_of=MONTH_END, balance="500.00")
    client = client_for(branch_head)
    on_replica = make_replica()
    # The replica now says something else, as a lagging copy would.
    on_replica("UPDATE dashboard_portfoliosnapshot SET balance = 700")

    body = client.get(URL, {"as_of": MONTH_END.isoformat()}).json()
    assert body["balance"] == "700.00"
    page = client.get("/dashboard/", {"as_of": MONTH_END.isoformat()})
    assert page.status_code == 200
    assert page.context["headline"]["balance"] == wan(Decimal("700.00")) != wan(Decimal("500.00"))

    # Everywhere else, reads come from the primary.
    assert PortfolioSnapshot.objects.get().balance == Decimal("500.00")
    with reads_from_replica():
        assert PortfolioSnapshot.objects.get().balance == Decimal("700.00")
        PortfolioSnapshot.objects.update(balance=Decimal("900.00"))  # a write: to the primary
        assert PortfolioSnapshot.objects.get().balance == Decimal("700.00")
        with transaction.atomic():
            # Inside a transaction a read sees the primary, and so its own writes.
            assert PortfolioSnapshot.objects.get().balance == Decimal("900.00")
    assert _balance_on("default") == Decimal("900.00")
    assert _balance_on(REPLICA_DB_ALIAS) == Decimal("700.00")
