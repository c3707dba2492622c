from django.urls import path

from post_loan.api import ComingDueList, RequiredActionList

urlpatterns = [
    path("coming-due/", ComingDueList.as_view(), name="api-coming-due"),
    path("required-actions/", RequiredActionList.as_view(), name="api-required-actions"),
]
