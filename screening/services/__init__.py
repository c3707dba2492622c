"""Writes of the risk screening: industry policies, early-warning signals, face-signing
records, down-payment receipts and the fake-mortgage check; a module per subdomain."""

from screening.services.face_signing import face_signing_record
from screening.services.fake_mortgage import (
    FAKE_MORTGAGE_EMPLOYER_SHARE,
    FAKE_MORTGAGE_MIN_BORROWERS,
    down_payment_receipt_record,
    employer_matches_developer,
    fake_mortgage_check,
)
from screening.services.industry_policies import industry_policies_seed, industry_policy_save
from screening.services.signals import signal_close, signal_raise, signal_verify

__all__ = [
    "FAKE_MORTGAGE_EMPLOYER_SHARE",
    "FAKE_MORTGAGE_MIN_BORROWERS",
    "down_payment_receipt_record",
    "employer_matches_developer",
    "face_signing_record",
    "fake_mortgage_check",
    "industry_policies_seed",
    "industry_policy_save",
    "signal_close",
    "signal_raise",
    "signal_verify",
]
