"""What waits for a decision: class upgrades, penalties and required-action reviews, each
kind with the one rule of who may decide it (the same role set its own page and service
apply), its pending rows in the user's scope, and how a row reads on the approval list.

The home page counts them, the approval list pages and filters them; both run a fixed
number of queries whatever the number of rows."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import APPROVER_ROLES, OVERSIGHT_ROLES, role_of
from accounts.models import Role
from compliance.models import ViolationStatus
from compliance.selectors import violations_visible_to
from loans.selectors import classification_pending_for
from post_loan.models import ActionStatus, ReviewStatus
from post_loan.selectors import actions_visible_to

KIND_CLASS = "class"
KIND_PENALTY = "penalty"
KIND_ACTION = "action"
PAGE_SIZE = 50


@dataclass(frozen=True)
class ApprovalKind:
    key: str
    label: str
    roles: frozenset  # who may decide: the same set the kind's own view and service check
    pending: Callable  # (user) -> QuerySet of pending rows in the user's scope
    officer_field: str  # the person the row is about, for the officer filter
    date_field: str  # the date the list filters and sorts on
    row: Callable  # (obj) -> dict for the template


def _pending_classes(user) -> QuerySet:
    return classification_pending_for(user)


def _pending_penalties(user) -> QuerySet:
    return (
        violations_visible_to(user)
        .filter(status=ViolationStatus.PENDING)
        .select_related("staff__profile")
        .order_by("occurred_on", "id")
    )


def _pending_reviews(user) -> QuerySet:
    return (
        actions_visible_to(user)
        .filter(status=ActionStatus.DONE, review_status=ReviewStatus.NONE)
        .order_by("completed_on", "id")
    )


def _class_row(change) -> dict:
    return {
        "pk": change.pk,
        "day": change.proposed_at.date(),
        "officer": getattr(getattr(change.proposed_by, "profile", None), "full_name", ""),
        "subject": f"{change.loan.loan_no} · {change.loan.borrower.name}",
        "detail": change.reason,
        "from_class": change.from_class,
        "to_class": change.to_class,
        "url": reverse("classification-decide", args=[change.pk]),
    }


def _penalty_row(violation) -> dict:
    return {
        "pk": violation.pk,
        "day": violation.occurred_on,
        "officer": getattr(getattr(violation.staff, "profile", None), "full_name", ""),
        "subject": violation.rule,
        "detail": violation.description,
        "url": reverse("compliance-violation", args=[violation.pk]),
    }


def _review_row(action) -> dict:
    borrower = action.loan.borrower.name if action.loan else action.subject
    return {
        "pk": action.pk,
        "day": action.completed_on,
        "officer": getattr(getattr(action.responsible, "profile", None), "full_name", ""),
        "subject": f"{action.template.name} · {borrower}",
        "detail": action.findings,
        "url": reverse("action-detail", args=[action.pk]),
    }


APPROVAL_KINDS = {
    KIND_PENALTY: ApprovalKind(
        KIND_PENALTY,
        _("Penalties"),
        OVERSIGHT_ROLES,
        _pending_penalties,
        "staff",
        "occurred_on",
        _penalty_row,
    ),
    KIND_CLASS: ApprovalKind(
        KIND_CLASS,
        _("Class upgrades"),
        frozenset({Role.BRANCH_HEAD}),
        _pending_classes,
        "proposed_by",
        "proposed_at__date",
        _class_row,
    ),
    KIND_ACTION: ApprovalKind(
        KIND_ACTION,
        _("Required-action reviews"),
        APPROVER_ROLES,
        _pending_reviews,
        "responsible",
        "completed_on",
        _review_row,
    ),
}


def approval_kinds_for(user) -> list[ApprovalKind]:
    """The kinds this user may decide, in the order the list shows them."""
    role = role_of(user)
    return [kind for kind in APPROVAL_KINDS.values() if role in kind.roles]


def may_decide(user, kind_key: str) -> bool:
    kind = APPROVAL_KINDS.get(kind_key)
    return kind is not None and role_of(user) in kind.roles


def approval_counts(user) -> list[dict]:
    """Each kind the user may decide, with how many rows wait (one query a kind)."""
    return [
        {
            "key": kind.key,
            "label": kind.label,
            "count": kind.pending(user).count(),
            "url": f"{reverse('approvals')}?kind={kind.key}",
        }
        for kind in approval_kinds_for(user)
    ]


def approvals_filtered(
    user,
    *,
    kind_key: str,
    officer_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet:
    """The pending rows of one kind, filtered by the person concerned and a date range."""
    kind = APPROVAL_KINDS[kind_key]
    rows = kind.pending(user)
    if officer_id is not None:
        rows = rows.filter(**{f"{kind.officer_field}_id": officer_id})
    if date_from is not None:
        rows = rows.filter(**{f"{kind.date_field}__gte": date_from})
    if date_to is not None:
        rows = rows.filter(**{f"{kind.date_field}__lte": date_to})
    return rows
