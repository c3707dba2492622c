"""Texts the screening stores for everyone to read."""

from django.conf import settings
from django.utils import translation


def in_site_language(text) -> str:
    """Texts stored for everyone (an action's reason) are in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text())
