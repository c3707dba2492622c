from django.urls import path

from guarantees.api import GuaranteeCircleList

urlpatterns = [
    path("guarantee-circles/", GuaranteeCircleList.as_view(), name="api-guarantee-circles"),
]
