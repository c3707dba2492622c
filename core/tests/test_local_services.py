import os
import subprocess
import sys

import pytest

from core.tests.imports import ROOT

SETTINGS = ["branch_ops.settings.local", "branch_ops.settings.test", "branch_ops.settings.production"]


@pytest.mark.parametrize("module", SETTINGS)
def test_importing_the_settings_starts_no_process_and_creates_no_folder(module, tmp_path):
    var = tmp_path / "var"
    env = {
        **os.environ,
        "BRANCH_OPS_VAR_DIR": str(var),
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.org",
        "CELERY_BROKER_URL": "filesystem://",
    }
    code = (
        "import importlib, multiprocessing, threading;"
        f"importlib.import_module({module!r});"
        "assert not multiprocessing.active_children();"
        "assert threading.active_count() == 1, threading.enumerate()"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    assert result.returncode == 0, result.stderr
    assert not var.exists()


def test_the_local_settings_explain_a_missing_database_url(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["BRANCH_OPS_VAR_DIR"] = str(tmp_path / "var")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import branch_ops.settings.local"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "DATABASE_URL is not set" in result.stderr
    assert not (tmp_path / "var").exists()
