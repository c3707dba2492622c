from django.urls import path

from compliance.api import GiftDeclarationList

urlpatterns = [
    path("gift-declarations/", GiftDeclarationList.as_view(), name="api-gift-declarations"),
]
