"""pytest plugin (``-p core.pytest_bootstrap`` in pytest.ini): prepares the local services
before pytest-django reads the settings, so the suite runs on a bare machine too."""

import pytest

from core.local_services import prepare_local_services


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    prepare_local_services(generate_secret_key=False)
    return (yield)
