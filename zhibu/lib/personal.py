"""Showing personal data with care: ID-card numbers and mobile numbers masked wherever they are listed.

    mask_id_number("110101199003079023") == "1101**********9023"
    mask_phone("13800138000") == "138****8000"

Who may see them in full is decided in zhibu/orgs/access.py (sees_personal_data), and every full view or export
is written to the access log (zhibu/orgs/accesslog.py).
"""

PERSONAL_FIELDS = ("id_number", "phone")


def mask_id_number(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask(field_name: str, value: str | None) -> str:
    return mask_id_number(value) if field_name == "id_number" else mask_phone(value)
