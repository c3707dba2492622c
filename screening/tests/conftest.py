import pytest  # noqa: E402
from django.utils import translation  # noqa: E402

from post_loan.tests.conftest import action_of, loan_of  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def site_language(settings):
    """Service messages are checked in Chinese, the language staff read them in."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
