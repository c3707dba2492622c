from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchlistConfig(AppConfig):
    name = "watchlist"
    verbose_name = _("Early-warning watchlist")
