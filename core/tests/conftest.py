# The personas by name (``people``), as the access suite builds them: the page walkers in
# core/tests/pages.py open each page as its owner through security/tests/registry.py.
from security.tests.conftest import other_head, people  # noqa: F401
