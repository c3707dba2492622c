from django.urls import path

from loans import api

urlpatterns = [
    path("loans/", api.LoanListView.as_view(), name="api-loan-list"),
    path("loans/<str:loan_no>/", api.LoanDetailView.as_view(), name="api-loan-detail"),
    path("loans/<str:loan_no>/quote/", api.LoanQuoteView.as_view(), name="api-loan-quote"),
    path("repayments/", api.RepaymentCreateView.as_view(), name="api-repayment-create"),
]
