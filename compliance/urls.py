from django.urls import path

from compliance.views import gifts, knowledge_tests, records, regulations, training, violations

urlpatterns = [
    path("", records.my_record, name="compliance-my-record"),
    path("regulations/", regulations.regulation_list, name="compliance-regulations"),
    path("regulations/new/", regulations.regulation_create, name="compliance-regulation-create"),
    path("regulations/<int:pk>/", regulations.regulation_detail, name="compliance-regulation"),
    path(
        "regulations/<int:pk>/document/",
        regulations.regulation_document,
        name="compliance-regulation-document",
    ),
    path("regulations/<int:pk>/edit/", regulations.regulation_edit, name="compliance-regulation-edit"),
    path("regulations/<int:pk>/revise/", regulations.regulation_revise, name="compliance-regulation-revise"),
    path("acknowledgements/", regulations.acknowledgement_list, name="compliance-acknowledgements"),
    path(
        "acknowledgements/<int:pk>/confirm/",
        regulations.acknowledgement_confirm,
        name="compliance-acknowledgement-confirm",
    ),
    path("sessions/", training.session_list, name="compliance-sessions"),
    path("sessions/new/", training.session_create, name="compliance-session-create"),
    path("sessions/<int:pk>/", training.session_detail, name="compliance-session"),
    path("sessions/<int:pk>/materials/", training.session_materials, name="compliance-session-materials"),
    path("sessions/<int:pk>/edit/", training.session_edit, name="compliance-session-edit"),
    path("sessions/<int:pk>/attendance/", training.session_attendance, name="compliance-session-attendance"),
    path(
        "sessions/<int:pk>/attendance/add/",
        training.session_attendance_add,
        name="compliance-session-attendance-add",
    ),
    path("sessions/<int:pk>/minutes/", training.meeting_minutes, name="compliance-meeting-minutes"),
    path(
        "sessions/<int:pk>/problems/new/", training.meeting_problem_create, name="compliance-problem-create"
    ),
    path("problems/", training.problem_list, name="compliance-problems"),
    path("problems/<int:pk>/resolve/", training.problem_resolve, name="compliance-problem-resolve"),
    path("questions/", knowledge_tests.question_list, name="compliance-questions"),
    path("questions/new/", knowledge_tests.question_create, name="compliance-question-create"),
    path("tests/", knowledge_tests.test_list, name="compliance-tests"),
    path("tests/new/", knowledge_tests.test_create, name="compliance-test-create"),
    path("tests/<int:pk>/", knowledge_tests.test_detail, name="compliance-test"),
    path("tests/<int:pk>/start/", knowledge_tests.test_start, name="compliance-test-start"),
    path("attempts/<int:pk>/", knowledge_tests.attempt_detail, name="compliance-attempt"),
    path("violations/", violations.violation_list, name="compliance-violations"),
    path("violations/new/", violations.violation_create, name="compliance-violation-create"),
    path("violations/<int:pk>/", violations.violation_detail, name="compliance-violation"),
    path(
        "violations/<int:pk>/approve/",
        violations.violation_decide,
        {"decision": "approve"},
        name="compliance-violation-approve",
    ),
    path(
        "violations/<int:pk>/withdraw/",
        violations.violation_decide,
        {"decision": "withdraw"},
        name="compliance-violation-withdraw",
    ),
    path("violations/<int:pk>/appeal/", violations.violation_appeal, name="compliance-violation-appeal"),
    path("gifts/", gifts.gift_list, name="compliance-gifts"),
    path("gifts/new/", gifts.gift_declare, name="compliance-gift-declare"),
    path("gifts/<int:pk>/review/", gifts.gift_review, name="compliance-gift-review"),
    path("record/<int:user_id>/", records.staff_record, name="compliance-staff-record"),
    path(
        "record/<int:user_id>/export.xlsx", records.staff_record_export, name="compliance-staff-record-export"
    ),
    path("branch/", records.branch_overview, name="compliance-branch"),
    path("report/", records.monthly_report, name="compliance-report"),
]
