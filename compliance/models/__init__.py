"""The compliance app's models, one module per subdomain; all are imported here so Django
registers them and other apps keep importing them from ``compliance.models``."""

from compliance.models.gifts import GiftDeclaration, OfferKind, OfferOutcome
from compliance.models.knowledge_tests import (
    Attempt,
    AttemptAnswer,
    Choice,
    KnowledgeTest,
    Question,
    QuestionKind,
)
from compliance.models.regulations import (
    Acknowledgement,
    Regulation,
    RegulationCategory,
    RegulationLevel,
)
from compliance.models.training import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    MeetingProblem,
    ProblemStatus,
    TrainingKind,
    TrainingSession,
)
from compliance.models.violations import PenaltyKind, Violation, ViolationSource, ViolationStatus

__all__ = [
    "ATTENDED",
    "Acknowledgement",
    "Attempt",
    "AttemptAnswer",
    "Attendance",
    "AttendanceStatus",
    "Choice",
    "GiftDeclaration",
    "KnowledgeTest",
    "MeetingProblem",
    "OfferKind",
    "OfferOutcome",
    "PenaltyKind",
    "ProblemStatus",
    "Question",
    "QuestionKind",
    "Regulation",
    "RegulationCategory",
    "RegulationLevel",
    "TrainingKind",
    "TrainingSession",
    "Violation",
    "ViolationSource",
    "ViolationStatus",
]
