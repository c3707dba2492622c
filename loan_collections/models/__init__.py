"""Collection (催收): cases, stage history, per-borrower plans, the contact log, promises to
pay, follow-up tasks, legal action, overdue causes and each branch's humane-timing rules.

Invariants live in the database: one open case per borrower, amounts positive, a promise
has both amount and date, an override has its reason, a closed case has its closing date.
"""

from loan_collections.models.branch_settings import DEFAULT_LATE_ENTRY_HOURS, CollectionSettings
from loan_collections.models.cases import OPEN_STAGES, CollectionCase, Stage, StageChange
from loan_collections.models.contacts import (
    CALL_CHANNELS,
    CLOCK_SLACK,
    TIMED_CHANNELS,
    Channel,
    ContactAttempt,
    Outcome,
    Party,
)
from loan_collections.models.legal import LegalAction, LegalStage
from loan_collections.models.penalties import OverdueCause, OverdueCauseKind
from loan_collections.models.plans import CollectionPlan, MeasureKind, PlanMeasure
from loan_collections.models.promises import FollowUpTask, PromiseStatus, PromiseToPay

__all__ = [
    "CALL_CHANNELS",
    "CLOCK_SLACK",
    "DEFAULT_LATE_ENTRY_HOURS",
    "OPEN_STAGES",
    "TIMED_CHANNELS",
    "Channel",
    "CollectionCase",
    "CollectionPlan",
    "CollectionSettings",
    "ContactAttempt",
    "FollowUpTask",
    "LegalAction",
    "LegalStage",
    "MeasureKind",
    "Outcome",
    "OverdueCause",
    "OverdueCauseKind",
    "Party",
    "PlanMeasure",
    "PromiseStatus",
    "PromiseToPay",
    "Stage",
    "StageChange",
]
