from django.urls import path

from loans import api, restructuring_api

urlpatterns = [
    path("loans/", api.LoanListView.as_view(), name="api-loan-list"),
    path("loans/<str:loan_no>/", api.LoanDetailView.as_view(), name="api-loan-detail"),
    path("loans/<str:loan_no>/quote/", api.LoanQuoteView.as_view(), name="api-loan-quote"),
    path(
        "loans/<str:loan_no>/restructurings/",
        restructuring_api.LoanRestructuringsView.as_view(),
        name="api-loan-restructurings",
    ),
    path("repayments/", api.RepaymentCreateView.as_view(), name="api-repayment-create"),
]
