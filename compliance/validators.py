from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# Documents and materials staff upload: office files, PDF, plain text and images.
DOCUMENT_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".jpg", ".jpeg", ".png"}
)


@deconstructible
class DocumentValidator:
    """Refuse files larger than settings.MAX_UPLOAD_SIZE or of a type we do not keep."""

    def __call__(self, file):
        if file.size > settings.MAX_UPLOAD_SIZE:
            raise ValidationError(
                _("The file is %(size)s; the largest allowed is %(limit)s.")
                % {"size": filesizeformat(file.size), "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)}
            )
        if Path(file.name).suffix.lower() not in DOCUMENT_EXTENSIONS:
            raise ValidationError(
                _("Upload a PDF, Word, Excel, PowerPoint, text or image file (%(types)s).")
                % {"types": ", ".join(sorted(DOCUMENT_EXTENSIONS))}
            )

    def __eq__(self, other):
        return isinstance(other, DocumentValidator)


validate_document = DocumentValidator()
