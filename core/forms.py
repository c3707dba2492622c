"""The form-view pattern every app's views share: bind, call the service, put its errors
on the form (or in messages), and tell the view whether it worked."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form it came from: each message on its field
    where the form has that field, else at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@dataclass(frozen=True)
class FormOutcome:
    """What ``submit_form`` did: ``ok`` when the service ran and returned ``value``."""

    ok: bool
    value: Any = None

    def __bool__(self) -> bool:
        return self.ok


def submit_form(
    request, form, action: Callable[[dict], Any], *, errors_as_messages: bool = False
) -> FormOutcome:
    """On a POST whose form is valid, run ``action(form.cleaned_data)`` (a service call).

    A ``ValidationError`` from the service goes onto the form, field by field, so the page
    shows it where the user typed. Views that answer a POST with a redirect rather than the
    form again pass ``errors_as_messages=True``: the form's and the service's errors then
    become error messages on the next page. Returns a ``FormOutcome`` that is true when the
    service ran; the view then says what happened and redirects.
    """
    if request.method != "POST":
        return FormOutcome(False)
    if form.is_valid():
        try:
            return FormOutcome(True, action(form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
    if errors_as_messages:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return FormOutcome(False)
