"""Links from a figure to the list behind it.

The loan list belongs to the loans app (URL name ``loan-list``; GET filters officer,
product, risk_class, bucket, group=npl|overdue, branch (code), q). Should that URL be
missing, the figures are shown without links instead of failing.
"""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

LOAN_LIST_URL_NAME = "loan-list"


def loan_list_url(**filters) -> str | None:
    try:
        base = reverse(LOAN_LIST_URL_NAME)
    except NoReverseMatch:
        return None
    params = [(key, value) for key, value in filters.items() if value not in (None, "")]
    return f"{base}?{urlencode(params, doseq=True)}" if params else base
