from django.urls import path

from post_loan import views

urlpatterns = [
    path("", views.worklist, name="actions-worklist"),
    path("all/", views.action_list, name="action-list"),
    path("<int:pk>/", views.action_detail, name="action-detail"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.action_evidence, name="action-evidence"),
    path("<int:pk>/review/", views.action_review, name="action-review"),
    path("<int:pk>/waive/", views.action_waive, name="action-waive"),
    path("<int:pk>/reassign/", views.action_reassign, name="action-reassign"),
    path("loan/<int:loan_id>/new/", views.action_create, name="action-create"),
    path("coming-due/", views.coming_due, name="coming-due"),
    path("branch/", views.branch_overview, name="actions-branch"),
    path("scorecard/", views.monthly_scorecard, name="actions-scorecard"),
    path("penalties/", views.penalty_list, name="actions-penalties"),
    path("templates/", views.template_list, name="action-template-list"),
    path("templates/new/", views.template_edit, name="action-template-create"),
    path("templates/<int:pk>/", views.template_edit, name="action-template-edit"),
]
