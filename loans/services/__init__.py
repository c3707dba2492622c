"""Writes to the ledger: schedules, repayments, the daily delinquency recompute, the
five-tier classification workflow and the privacy log. Views, the API, commands, tasks and
the import all call these functions; each subdomain is a module of this package."""

from loans.services.arrears import delinquency_recompute
from loans.services.classification import classification_decide, classification_propose, npl_exit_missing
from loans.services.ledger_changes import LEDGER_CHANGE_CHUNK, ledger_changed
from loans.services.locks import loans_lock
from loans.services.observation import observation_check, restructuring_exit_missing, restructuring_review
from loans.services.personal_data import (
    PersonalValue,
    personal_data_check_reveal,
    personal_data_in_email,
    personal_data_may_reveal,
    personal_data_show,
    personal_data_show_many,
)
from loans.services.repayments import repayment_record
from loans.services.restructuring import (
    restructuring_decide,
    restructuring_import_flags,
    restructuring_propose,
)
from loans.services.schedules import schedule_build, schedule_terms_key, schedules_on_ledger_changed

__all__ = [
    "LEDGER_CHANGE_CHUNK",
    "PersonalValue",
    "classification_decide",
    "classification_propose",
    "delinquency_recompute",
    "ledger_changed",
    "loans_lock",
    "npl_exit_missing",
    "observation_check",
    "personal_data_check_reveal",
    "personal_data_in_email",
    "personal_data_may_reveal",
    "personal_data_show",
    "personal_data_show_many",
    "repayment_record",
    "restructuring_decide",
    "restructuring_exit_missing",
    "restructuring_import_flags",
    "restructuring_propose",
    "restructuring_review",
    "schedule_build",
    "schedule_terms_key",
    "schedules_on_ledger_changed",
]
