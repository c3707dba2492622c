from django.urls import path

from guarantees import views

urlpatterns = [
    path("", views.circle_list, name="guarantee-circles"),
    path("run/", views.contagion_run, name="guarantee-contagion-run"),
]
