"""Writes for collection. Views, the API, commands and tasks all call these functions.

One module per subdomain; the public names are re-exported here so callers and settings
strings (LEDGER_CHANGE_HANDLERS: "loan_collections.services.cases_on_ledger_changed") keep
working.
"""

from loan_collections.services.cases import (
    ALLOWED_MOVES,
    INTENSIVE_AFTER_DAYS,
    can_act_on_case,
    case_move,
    case_open,
    cases_on_ledger_changed,
    cases_sync,
)
from loan_collections.services.collection_settings import collection_settings_save
from loan_collections.services.contacts import contact_log
from loan_collections.services.legal import legal_action_record, legal_action_update
from loan_collections.services.penalties import OFFICER_CAUSED_RULE, overdue_cause_record
from loan_collections.services.plans import plan_create, plan_measure_add, plan_measure_done
from loan_collections.services.promises import PROMISE_CHECK_TIME, follow_up_close, promises_check

__all__ = [
    "ALLOWED_MOVES",
    "INTENSIVE_AFTER_DAYS",
    "OFFICER_CAUSED_RULE",
    "PROMISE_CHECK_TIME",
    "case_move",
    "can_act_on_case",
    "case_open",
    "cases_on_ledger_changed",
    "cases_sync",
    "collection_settings_save",
    "contact_log",
    "follow_up_close",
    "legal_action_record",
    "legal_action_update",
    "overdue_cause_record",
    "plan_create",
    "plan_measure_add",
    "plan_measure_done",
    "promises_check",
]
