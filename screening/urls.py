from django.urls import path

from screening import views

urlpatterns = [
    path("", views.overview, name="screening-home"),
    path("industries/", views.policy_list, name="industry-policy-list"),
    path("industries/new/", views.policy_edit, name="industry-policy-create"),
    path("industries/<int:pk>/", views.policy_edit, name="industry-policy-edit"),
    path("industries/flagged/", views.flagged_customers, name="industry-flagged"),
    path("signals/", views.signal_list, name="signal-list"),
    path("signals/new/<int:borrower_id>/", views.signal_create, name="signal-create"),
    path("signals/<int:pk>/", views.signal_detail, name="signal-detail"),
    path("face-signing/", views.face_signing_list, name="face-signing-list"),
    path("face-signing/new/<int:loan_id>/", views.face_signing_create, name="face-signing-create"),
    path("fake-mortgage/", views.project_flag_list, name="fake-mortgage-list"),
    path("fake-mortgage/run/", views.project_check_run, name="fake-mortgage-run"),
    path("fake-mortgage/receipts/", views.receipt_list, name="receipt-list"),
]
