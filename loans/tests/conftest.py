import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are asserted in English (the source strings); pages choose their
    language per request."""
    with translation.override("en"):
        yield
