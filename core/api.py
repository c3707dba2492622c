"""What every API operation shares: the error bodies its schema documents, strict paging and
strict query parameters, so a machine client gets a readable 4xx for any odd input and the
OpenAPI schema says exactly what is accepted.

The status codes mean the same everywhere:
400 the request is malformed (the schema says why: types, enums, ranges, formats, required);
401 no valid token; 403 the user may not use the operation; 404 the object is not there or
not the user's to see; 409 the request is well formed but the current state of the records
refuses it (a balance, a date rule, a reference already recorded with other values).
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

# A field-by-field error body ({"field": ["message", ...]}); framework errors (a body that is
# not JSON, no token) answer {"detail": "message"}.
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
CONFLICT_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "recorded": {
            "type": "object",
            "description": "the values already recorded, when that is the conflict",
        },
    },
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


_RESPONSES = {
    400: OpenApiResponse(
        FIELD_ERRORS_SCHEMA, description="Malformed request: each field says what is wrong."
    ),
    401: OpenApiResponse(DetailSerializer, description="No valid token (Authorization: Token KEY)."),
    403: OpenApiResponse(DetailSerializer, description="The user may not use this operation."),
    404: OpenApiResponse(DetailSerializer, description="Not there, or not yours to see."),
    409: OpenApiResponse(CONFLICT_SCHEMA, description="Well formed, but the current records refuse it."),
}


def error_responses(*codes: int) -> dict:
    """The documented error answers: 400, 401 and 403 for every operation, plus ``codes``."""
    return {code: _RESPONSES[code] for code in (400, 401, 403, *codes)}


def conflict_from(error: DjangoValidationError) -> dict:
    """A service's ValidationError as a 409 body, by field."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"non_field_errors": error.messages}


def query_params(serializer_class: type[serializers.Serializer], request) -> dict:
    """The request's query parameters validated by ``serializer_class`` (the same class the
    schema is built from, so the two cannot disagree). A parameter given twice is refused:
    which of the two values was meant is not ours to guess."""
    names = serializer_class().fields.keys()
    params = request.query_params
    repeated = {name: [_("Give this parameter once.")] for name in names if len(params.getlist(name)) > 1}
    if repeated:
        raise ValidationError(repeated)
    serializer = serializer_class(data={name: params[name] for name in names if name in params})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class StrictPageNumberPagination(PageNumberPagination):
    """``?page=N`` with N a whole number from 1 (400 otherwise); a page past the end is 404."""

    def get_page_number(self, request, paginator):
        values = request.query_params.getlist(self.page_query_param)
        if not values:
            return 1
        if len(values) > 1 or not re.fullmatch(r"[1-9][0-9]{0,8}", values[0]):
            raise ValidationError({self.page_query_param: [_("Give the page as a whole number from 1.")]})
        return int(values[0])

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "page number, from 1 (404 past the last page)",
                "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
            }
        ]
