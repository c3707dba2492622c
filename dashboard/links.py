"""Links from a figure to the list behind it.

The loan list belongs to the loans app (URL name ``loan-list``, GET filters officer,
product, class, bucket, q). It may not exist yet on every branch of the code: then the
figures are shown without links instead of failing.
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
