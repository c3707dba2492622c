from django.urls import path

from post_loan.api import RequiredActionList

urlpatterns = [
    path("required-actions/", RequiredActionList.as_view(), name="api-required-actions"),
]
