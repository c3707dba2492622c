from django.urls import path

from compliance import views

urlpatterns = [
    path("", views.my_record, name="compliance-my-record"),
    path("regulations/", views.regulation_list, name="compliance-regulations"),
    path("regulations/new/", views.regulation_create, name="compliance-regulation-create"),
    path("regulations/<int:pk>/", views.regulation_detail, name="compliance-regulation"),
    path("regulations/<int:pk>/document/", views.regulation_document, name="compliance-regulation-document"),
    path("regulations/<int:pk>/edit/", views.regulation_edit, name="compliance-regulation-edit"),
    path("regulations/<int:pk>/revise/", views.regulation_revise, name="compliance-regulation-revise"),
    path("acknowledgements/", views.acknowledgement_list, name="compliance-acknowledgements"),
    path(
        "acknowledgements/<int:pk>/confirm/",
        views.acknowledgement_confirm,
        name="compliance-acknowledgement-confirm",
    ),
    path("sessions/", views.session_list, name="compliance-sessions"),
    path("sessions/new/", views.session_create, name="compliance-session-create"),
    path("sessions/<int:pk>/", views.session_detail, name="compliance-session"),
    path("sessions/<int:pk>/materials/", views.session_materials, name="compliance-session-materials"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="compliance-session-edit"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="compliance-session-attendance"),
    path(
        "sessions/<int:pk>/attendance/add/",
        views.session_attendance_add,
        name="compliance-session-attendance-add",
    ),
    path("sessions/<int:pk>/minutes/", views.meeting_minutes, name="compliance-meeting-minutes"),
    path("sessions/<int:pk>/problems/new/", views.meeting_problem_create, name="compliance-problem-create"),
    path("problems/", views.problem_list, name="compliance-problems"),
    path("problems/<int:pk>/resolve/", views.problem_resolve, name="compliance-problem-resolve"),
    path("questions/", views.question_list, name="compliance-questions"),
    path("questions/new/", views.question_create, name="compliance-question-create"),
    path("tests/", views.test_list, name="compliance-tests"),
    path("tests/new/", views.test_create, name="compliance-test-create"),
    path("tests/<int:pk>/", views.test_detail, name="compliance-test"),
    path("tests/<int:pk>/start/", views.test_start, name="compliance-test-start"),
    path("attempts/<int:pk>/", views.attempt_detail, name="compliance-attempt"),
    path("violations/", views.violation_list, name="compliance-violations"),
    path("violations/new/", views.violation_create, name="compliance-violation-create"),
    path("violations/<int:pk>/", views.violation_detail, name="compliance-violation"),
    path(
        "violations/<int:pk>/approve/",
        views.violation_decide,
        {"decision": "approve"},
        name="compliance-violation-approve",
    ),
    path(
        "violations/<int:pk>/withdraw/",
        views.violation_decide,
        {"decision": "withdraw"},
        name="compliance-violation-withdraw",
    ),
    path("violations/<int:pk>/appeal/", views.violation_appeal, name="compliance-violation-appeal"),
    path("record/<int:user_id>/", views.staff_record, name="compliance-staff-record"),
    path(
        "record/<int:user_id>/export.xlsx", views.staff_record_export, name="compliance-staff-record-export"
    ),
    path("branch/", views.branch_overview, name="compliance-branch"),
    path("report/", views.monthly_report, name="compliance-report"),
]
