from django.urls import path

from loan_collections import api

urlpatterns = [
    path("contact-window/", api.contact_window, name="api-contact-window"),
    path("contact-attempts/", api.contact_attempts, name="api-contact-attempts"),
]
