from django.urls import path

from watchlist.api import WatchlistEntryList

urlpatterns = [
    path("watchlist/", WatchlistEntryList.as_view(), name="api-watchlist"),
]
