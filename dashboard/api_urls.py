from django.urls import path

from dashboard.api import SummaryView

urlpatterns = [path("summary/", SummaryView.as_view(), name="api-dashboard-summary")]
