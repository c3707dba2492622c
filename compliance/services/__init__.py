"""Writes for the compliance app, one module per subdomain; the public names are re-exported
here so other apps, commands and tasks keep importing them from ``compliance.services``."""

from compliance.services.gifts import gift_accepted_limit, gift_declare, gift_review, gift_violation_open
from compliance.services.knowledge_tests import (
    ANSWERED_TWICE,
    attempt_answer,
    attempt_start,
    attempt_submit,
    knowledge_test_create,
    question_create,
)
from compliance.services.regulations import (
    acknowledgement_confirm,
    acknowledgements_request,
    applicable_staff,
    regulation_publish,
    regulation_revise,
    regulation_supersede,
)
from compliance.services.reminders import (
    ACK_OVERDUE_KIND,
    MISSED_MEETINGS_KIND,
    MISSED_MEETINGS_WINDOW_DAYS,
    compliance_reminders_send,
)
from compliance.services.training import (
    attendance_record,
    attendance_record_many,
    branch_staff,
    meeting_minutes_save,
    meeting_problem_raise,
    meeting_problem_resolve,
    monday_of,
    morning_meeting_branches,
    morning_meeting_title,
    morning_meetings_create,
    training_session_create,
    training_session_update,
)
from compliance.services.violations import (
    violation_appeal,
    violation_approve,
    violation_raise,
    violation_record,
    violation_withdraw,
)

__all__ = [
    "ACK_OVERDUE_KIND",
    "ANSWERED_TWICE",
    "MISSED_MEETINGS_KIND",
    "MISSED_MEETINGS_WINDOW_DAYS",
    "acknowledgement_confirm",
    "acknowledgements_request",
    "applicable_staff",
    "attempt_answer",
    "attempt_start",
    "attempt_submit",
    "attendance_record",
    "attendance_record_many",
    "branch_staff",
    "compliance_reminders_send",
    "gift_accepted_limit",
    "gift_declare",
    "gift_review",
    "gift_violation_open",
    "knowledge_test_create",
    "meeting_minutes_save",
    "meeting_problem_raise",
    "meeting_problem_resolve",
    "monday_of",
    "morning_meeting_branches",
    "morning_meeting_title",
    "morning_meetings_create",
    "question_create",
    "regulation_publish",
    "regulation_revise",
    "regulation_supersede",
    "training_session_create",
    "training_session_update",
    "violation_appeal",
    "violation_approve",
    "violation_raise",
    "violation_record",
    "violation_withdraw",
]
