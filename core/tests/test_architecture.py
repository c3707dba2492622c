"""The shape of the code, kept by tests: docs/architecture.md explains each rule."""

import ast
import subprocess
import sys

from celery import current_app

from core.tests.imports import ROOT, all_imports, application_files, cycles

MAX_MODULE_LINES = 400

# An app may import only apps of lower layers (never its own layer or above). The project
# package (settings, urls, the Celery app) sits on top and may import anything.
LAYERS = (
    {"core"},
    {"accounts"},
    {"notifications"},
    {"loans"},
    {"ledger_import", "compliance"},
    {"post_loan"},
    {"screening", "loan_collections", "guarantees", "writeoffs"},
    {"dashboard", "watchlist"},
    {"branch_ops"},
)
LAYER_OF = {app: depth for depth, apps in enumerate(LAYERS) for app in apps}

# Function-level imports of our own modules, each with the reason it cannot be at the top.
ALLOWED_LOCAL_IMPORTS = {
    # AppConfig.ready runs once the app registry is complete; the registry imports every app's
    # contribution modules, which import models.
    ("core.apps", "core.registry"),
}


def test_no_application_module_is_longer_than_the_limit():
    long = {
        name: lines
        for name, path in application_files().items()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"split these into packages by subdomain: {long}"


def test_no_import_cycle_between_modules_even_through_function_level_imports():
    assert cycles(all_imports()) == []


def test_apps_import_only_from_lower_layers():
    upward = sorted(
        {
            f"{edge.source} -> {edge.target}"
            for edge in all_imports()
            if (source := edge.source.split(".")[0]) != (target := edge.target.split(".")[0])
            and LAYER_OF[target] >= LAYER_OF[source]
        }
    )
    assert upward == []


def test_first_party_imports_sit_at_the_top_of_their_module():
    local = sorted(
        {
            f"{edge.source}:{edge.line} -> {edge.target}"
            for edge in all_imports()
            if edge.local and (edge.source, edge.target) not in ALLOWED_LOCAL_IMPORTS
        }
    )
    assert local == []


def test_every_task_enqueued_by_name_exists():
    """Services enqueue tasks by name (core.queue), so a typo would queue a task no worker
    knows: every name used must be a registered task."""
    current_app.loader.import_default_modules()
    names = set()
    for path in application_files().values():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "enqueue_on_commit"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    assert names <= set(current_app.tasks), names - set(current_app.tasks)


def test_application_code_stays_under_the_complexity_limit():
    """ruff's C901 with max-complexity 12 (pyproject.toml) on everything but tests."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "ruff", "check", "--select", "C901", "--quiet", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
