"""Masking of personal data for roles that do not need it in full.

ID numbers keep the six-digit region code and the last four characters
(430424********1234); mobile phones keep the first three and last four digits
(138****5678); other numbers keep their last four.
"""


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    if not value:
        return ""
    digits = value.strip()
    if len(digits) == 11 and digits.isdigit() and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


_MASKS = {"id_number": mask_id_number, "phone": mask_phone}


def mask_personal(field: str, value: str) -> str:
    """The masked form of ``value``, an ID number (``"id_number"``) or a phone (``"phone"``)."""
    return _MASKS[field](value or "")
