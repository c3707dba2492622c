"""Panels on the home page. Each app may have a home.py with HOME_PANELS: the home view
shows every panel whose roles include the user's role, in order, each rendered from its
template with the context its function returns (None hides the panel)."""

from collections.abc import Callable
from dataclasses import dataclass

from accounts.models import Role


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable  # (request) -> dict | None
    roles: frozenset[Role] | None = None
    order: int = 100


HOME_PANELS: list[HomePanel] = []
