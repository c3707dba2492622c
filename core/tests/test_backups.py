"""core.backups: the parts that need no pg_dump run (the round trip is in
branch_ops/tests/test_backup_restore.py)."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from core.backups import Target, backup_dir, backup_file_name


def test_backup_file_is_named_after_its_time_in_var_backups_unless_backup_dir_is_set(monkeypatch, tmp_path):
    assert backup_file_name(dt.datetime(2026, 11, 29, 2, 5, 9)) == "branch_ops-20261129-020509.dump"
    monkeypatch.delenv("BACKUP_DIR", raising=False)
    assert backup_dir().parts[-2:] == ("var", "backups")
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path))
    assert backup_dir() == tmp_path


@pytest.mark.parametrize(
    "url",
    [
        "postgres://bo:p%40ss@db.bank.local:5433/branch_ops",
        "postgres://postgres:@/branch_ops?host=/srv/var/pgdata",
    ],
)
def test_a_database_url_round_trips_through_the_backup_target(url):
    assert Target.from_url(Target.from_url(url).url()) == Target.from_url(url)
    assert Target.from_url("postgres://bo:p%40ss@db.bank.local:5433/branch_ops").password == "p@ss"


@pytest.mark.django_db
def test_restore_refuses_a_database_that_has_tables_without_force(tmp_path):
    dump = tmp_path / "x.dump"
    dump.write_bytes(b"PGDMP")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_database", str(dump))
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore_database", str(tmp_path / "missing.dump"))


def test_the_embedded_servers_socket_folder_is_where_the_backup_connects(monkeypatch):
    # django-environ reads postgres://postgres:@/branch_ops?host=/srv/pgdata into OPTIONS.
    settings_dict = connections["default"].settings_dict
    monkeypatch.setitem(settings_dict, "HOST", "")
    monkeypatch.setitem(settings_dict, "OPTIONS", {"host": "/srv/pgdata"})
    assert Target.from_settings().host == "/srv/pgdata"
    assert Target.from_settings().environment()["PGHOST"] == "/srv/pgdata"
