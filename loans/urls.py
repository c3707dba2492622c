from django.urls import path

from loans import restructuring_views, views

urlpatterns = [
    path("", views.loan_list, name="loan-list"),
    path("export.xlsx", views.loan_export, name="loan-export"),
    path("borrowers/", views.borrower_list, name="borrower-list"),
    path("borrowers/<int:pk>/", views.borrower_detail, name="borrower-detail"),
    path("borrowers/<int:pk>/reveal/", views.borrower_reveal, name="borrower-reveal"),
    path("approvals/", views.classification_pending, name="classification-pending"),
    path("approvals/<int:pk>/", views.classification_decision, name="classification-decide"),
    path("restructurings/", restructuring_views.restructuring_pending, name="restructuring-pending"),
    path("restructurings/<int:pk>/", restructuring_views.restructuring_decision, name="restructuring-decide"),
    path(
        "restructurings/<int:pk>/review/",
        restructuring_views.restructuring_review_page,
        name="restructuring-review",
    ),
    path("<str:loan_no>/", views.loan_detail, name="loan-detail"),
    path("<str:loan_no>/reveal/", views.loan_reveal, name="loan-reveal"),
    path("<str:loan_no>/repay/", views.repayment_create, name="repayment-create"),
    path("<str:loan_no>/classify/", views.classification_create, name="classification-create"),
    path("<str:loan_no>/restructure/", restructuring_views.restructuring_create, name="restructuring-create"),
]
