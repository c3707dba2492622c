"""Real processes for the fault tests: private Redis servers on free ports (the shared Redis is
never restarted), Celery workers and beats started as `celery -A branch_ops ...` subprocesses
pointed at the pytest database, and the mail they write as files."""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
import redis as redis_py
from django.conf import settings as django_settings
from django.db import connection

from branch_ops.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
CELERY = ROOT / ".venv" / "bin" / "celery"
KEY_HEADER = re.compile(r"^X-Branch-Ops-Key: (.+)$", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class PrivateRedis:
    """A redis-server of our own; ``persistent`` keeps an append-only file in ``folder``."""

    def __init__(self, folder: Path, *, persistent: bool):
        self.port = free_port()
        self.folder = folder
        self.persistent = persistent
        self.process = None
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--dir", str(self.folder), "--appendonly", "yes" if self.persistent else "no"]
        if self.persistent:
            args += ["--appendfsync", "always"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis_py.Redis(port=self.port, socket_connect_timeout=0.5)

        def answers():
            try:
                return client.ping()
            except redis_py.ConnectionError:
                return False

        wait_for(answers, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: a clean shutdown (the AOF is already fsynced)
            self.process.wait(timeout=10)
        self.process = None

    def queue_length(self, queue: str = "default") -> int:
        return redis_py.Redis(port=self.port).llen(queue)

    def drained(self) -> bool:
        """No task waits in any queue and none is held unacknowledged by a worker (with late
        acknowledgement a task is acknowledged once it has run)."""
        client = redis_py.Redis(port=self.port)
        queued = sum(client.llen(name) for name in django_settings.TASK_QUEUE_NAMES)
        return queued == 0 and client.hlen("unacked") == 0


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server on PATH to start a private instance")
    servers = []

    def start(*, persistent: bool = False) -> PrivateRedis:
        server = PrivateRedis(tmp_path / f"redis{len(servers)}", persistent=persistent)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_database_url() -> str:
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


class Processes:
    """Celery workers and beats started for one test; every one is stopped at the end."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.started: list[subprocess.Popen] = []

    def env(self, broker_url: str, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_RESULT_BACKEND")}
        env.update(
            DJANGO_SETTINGS_MODULE="faults.worker_settings",
            DATABASE_URL=test_database_url(),
            CELERY_BROKER_URL=broker_url,
            FAULTS_MAIL_DIR=str(self.mail_dir),
            TEST_MEDIA_ROOT=str(self.tmp_path / "media"),
            CONN_MAX_AGE="0",
        )
        env.update({key: str(value) for key, value in extra.items()})
        return env

    def _start(self, args: list[str], name: str, env: dict) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [str(CELERY), "-A", "branch_ops", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a kill takes every child
        )
        process.log = log
        self.started.append(process)
        return process

    def worker(
        self, broker_url: str, name: str = "w1", queues: str | None = None, **extra
    ) -> subprocess.Popen:
        """A worker on ``queues`` (comma-separated; default every queue, as `make run` starts)."""
        queues = queues or ",".join(django_settings.TASK_QUEUE_NAMES)
        args = ["worker", "--pool", "solo", "-n", f"{name}@%h", "--loglevel", "INFO", "-Q", queues]
        args += ["--without-mingle", "--without-gossip", "--without-heartbeat"]
        return self._start(args, name, self.env(broker_url, **extra))

    def beat(self, broker_url: str, name: str, **extra) -> subprocess.Popen:
        schedule = self.tmp_path / f"{name}-schedule"
        args = ["beat", "--loglevel", "INFO", "--schedule", str(schedule)]
        return self._start(args, name, self.env(broker_url, **extra))

    def kill(self, process: subprocess.Popen, sig=signal.SIGKILL):
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait(timeout=30)
        process.log.close()

    def stop_all(self):
        for process in self.started:
            if process.poll() is None:
                self.kill(process, signal.SIGTERM)

    def log(self, name: str) -> str:
        path = self.tmp_path / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def mail_keys(self) -> Counter:
        """How many times each email (kind/date/recipient) was written by the mail backend."""
        keys = Counter()
        for path in self.mail_dir.glob("*"):
            keys.update(KEY_HEADER.findall(path.read_text(errors="replace")))
        return keys


@pytest.fixture
def processes(tmp_path):
    procs = Processes(tmp_path)
    yield procs
    procs.stop_all()


def send_task(broker_url: str, name: str, *args):
    """Enqueue a task by name on a given broker, as beat or a web process would: through the
    project's Celery app, so the task routes (CELERY_TASK_ROUTES) pick its queue."""
    # The URL is passed to the connection: CELERY_BROKER_URL in the environment would win otherwise.
    with celery_app.connection_for_write(broker_url) as conn:
        celery_app.send_task(name, args=list(args), connection=conn)
