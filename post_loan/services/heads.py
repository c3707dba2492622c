"""Who acts as branch head for an action: reviews, waives, reassigns, may complete it."""

from accounts.access import APPROVER_ROLES, role_of, visible_branch_ids
from post_loan.models import RequiredAction


def is_head_for(user, action: RequiredAction) -> bool:
    return role_of(user) in APPROVER_ROLES and action.branch_id in visible_branch_ids(user)
