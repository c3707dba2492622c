from django.urls import path

from dashboard import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("snapshots/", views.snapshot_list, name="dashboard-snapshots"),
    path("snapshots/build/", views.snapshot_build_view, name="dashboard-snapshot-build"),
    path("snapshots/import/", views.snapshot_import_view, name="dashboard-snapshot-import"),
    path("approvals/", views.approvals, name="approvals"),
    path("reports/", views.report_list, name="dashboard-reports"),
    path("reports/<int:pk>/<str:kind>/", views.report_file, name="dashboard-report-file"),
]
