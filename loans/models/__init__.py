"""The loan ledger's models, by subdomain; every model is importable from ``loans.models``
(and the choices of loans.domain the models use, as before the split)."""

from loans.domain import Bucket, RiskClass
from loans.models.classification import ChangeKind, ChangeStatus, ClassificationChange
from loans.models.collateral import Collateral, CollateralKind, Guarantor
from loans.models.common import HISTORY_EXCLUDE, MONEY
from loans.models.industry import IndustryPolicy, PolicyLevel
from loans.models.ledger import Borrower, BorrowerType, Guarantee, Loan, LoanStatus, Product, RepaymentMethod
from loans.models.personal_data import PersonalDataReveal, PersonalField, RevealChannel
from loans.models.repayments import Repayment, RepaymentSource
from loans.models.restructuring import (
    ObservationRestart,
    RestartReason,
    Restructuring,
    RestructuringKind,
    RestructuringSource,
    RestructuringStatus,
)
from loans.models.schedules import ScheduleLine

__all__ = [
    "HISTORY_EXCLUDE",
    "MONEY",
    "Borrower",
    "Bucket",
    "BorrowerType",
    "ChangeKind",
    "ChangeStatus",
    "ClassificationChange",
    "Collateral",
    "CollateralKind",
    "Guarantee",
    "Guarantor",
    "IndustryPolicy",
    "Loan",
    "ObservationRestart",
    "RestartReason",
    "Restructuring",
    "RestructuringKind",
    "RestructuringSource",
    "RestructuringStatus",
    "LoanStatus",
    "PersonalDataReveal",
    "PolicyLevel",
    "Product",
    "Repayment",
    "RepaymentMethod",
    "RepaymentSource",
    "PersonalField",
    "RevealChannel",
    "RiskClass",
    "ScheduleLine",
]
