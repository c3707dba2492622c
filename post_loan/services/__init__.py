"""Writes of the required actions, one module per kind of change: generation from
templates (planners per trigger), completion, review and waiver, reassignment, late
marking with its penalty, the reminder digests and the templates themselves.

The names are re-exported here so callers, settings (LEDGER_CHANGE_HANDLERS) and the tasks
keep importing them from ``post_loan.services``. Modules of this package import each other
directly, never through this file."""

from post_loan.services.completion import (
    EVIDENCE_EXTENSIONS,
    TEXT_RECORD_FIELDS,
    YES_NO_RECORD_FIELDS,
    required_action_complete,
    validate_evidence_file,
)
from post_loan.services.digests import (
    DIGEST_DAYS,
    actions_digest_send,
    coming_due_weekly_digest_send,
    late_actions_weekly_digest_send,
)
from post_loan.services.generation import (
    BATCH_SIZE,
    required_action_create,
    required_actions_generate,
    required_actions_on_ledger_changed,
)
from post_loan.services.heads import is_head_for
from post_loan.services.late import LATE_ACTION_SCORE_DEDUCTION, required_actions_mark_late
from post_loan.services.reassignment import required_action_reassign
from post_loan.services.review import REDO_DAYS, required_action_review, required_action_waive
from post_loan.services.templates import action_template_for, action_template_save, action_templates_seed

__all__ = [
    "BATCH_SIZE",
    "DIGEST_DAYS",
    "EVIDENCE_EXTENSIONS",
    "LATE_ACTION_SCORE_DEDUCTION",
    "REDO_DAYS",
    "TEXT_RECORD_FIELDS",
    "YES_NO_RECORD_FIELDS",
    "action_template_for",
    "action_template_save",
    "action_templates_seed",
    "actions_digest_send",
    "coming_due_weekly_digest_send",
    "is_head_for",
    "late_actions_weekly_digest_send",
    "required_action_complete",
    "required_action_create",
    "required_action_reassign",
    "required_action_review",
    "required_action_waive",
    "required_actions_generate",
    "required_actions_mark_late",
    "required_actions_on_ledger_changed",
    "validate_evidence_file",
]
