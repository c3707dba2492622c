from django.urls import path

from watchlist import views

urlpatterns = [
    path("", views.entry_list, name="watchlist"),
    path("run/", views.refresh_run, name="watchlist-run"),
]
