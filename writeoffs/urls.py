from django.urls import path

from writeoffs import views

urlpatterns = [
    path("", views.register, name="writeoff-register"),
    path("pending/", views.pending, name="writeoff-pending"),
    path("<int:pk>/", views.detail, name="writeoff-detail"),
    path("<int:pk>/decide/", views.decide, name="writeoff-decide"),
    path("<int:pk>/recoveries/new/", views.recovery_create, name="writeoff-recovery-create"),
    path("propose/<str:loan_no>/", views.propose, name="writeoff-propose"),
]
