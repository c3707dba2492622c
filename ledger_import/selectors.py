from django.db.models import QuerySet

from accounts.access import scope_queryset
from ledger_import.models import ImportBatch


def batches_visible_to(user) -> QuerySet[ImportBatch]:
    """Batches uploaded at the user's branches (an administrator sees every batch,
    including command-line imports, which have no branch)."""
    return scope_queryset(
        ImportBatch.objects.select_related("uploaded_by__profile", "branch"), user, officer_field=None
    )
