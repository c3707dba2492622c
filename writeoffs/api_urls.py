from django.urls import path

from writeoffs.api import WriteOffListView

urlpatterns = [
    path("write-offs/", WriteOffListView.as_view(), name="api-write-offs"),
]
