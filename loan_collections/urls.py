from django.urls import path

from loan_collections import views

urlpatterns = [
    path("", views.worklist, name="collections-worklist"),
    path("cases/new/", views.case_open, name="collections-case-open"),
    path("cases/<int:pk>/", views.case_detail, name="collections-case"),
    path("cases/<int:pk>/reveal/", views.case_reveal, name="collections-case-reveal"),
    path("cases/<int:pk>/move/", views.case_move, name="collections-case-move"),
    path("cases/<int:pk>/contacts/new/", views.contact_create, name="collections-contact-new"),
    path("cases/<int:pk>/plan/", views.plan_create, name="collections-plan-new"),
    path("cases/<int:pk>/legal/new/", views.legal_create, name="collections-legal-new"),
    path("plans/<int:pk>/measures/new/", views.measure_add, name="collections-measure-new"),
    path("measures/<int:pk>/done/", views.measure_done, name="collections-measure-done"),
    path("legal/<int:pk>/", views.legal_update, name="collections-legal-edit"),
    path("legal/<int:pk>/document/", views.legal_document, name="collections-legal-document"),
    path("loans/<int:loan_pk>/cause/", views.overdue_cause, name="collections-overdue-cause"),
    path("tasks/<int:pk>/done/", views.task_done, name="collections-task-done"),
    path("late-entries/", views.late_entries, name="collections-late-entries"),
    path("settings/", views.settings_edit, name="collections-settings"),
    path("targets/", views.targets, name="collections-targets"),
]
