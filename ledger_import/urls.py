from django.urls import path

from ledger_import import views

urlpatterns = [
    path("", views.batch_list, name="import-list"),
    path("upload/", views.upload, name="import-upload"),
    path("<int:pk>/", views.batch_detail, name="import-detail"),
    path("<int:pk>/progress.json", views.batch_progress, name="import-progress"),
    path("<int:pk>/errors.xlsx", views.error_report, name="import-errors"),
    path("<int:pk>/settle/", views.mark_settled, name="import-settle"),
]
