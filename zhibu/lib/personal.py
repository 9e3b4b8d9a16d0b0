"""Showing personal data with care: ID-card numbers and mobile numbers masked wherever they are listed.

    mask_id_number("110101199003079023") == "1101**********9023"
    mask_phone("13800138000") == "138****8000"

Who may see them in full is decided in zhibu/orgs/access.py (sees_personal_data), and every full view or export
is written to the access log (zhibu/orgs/accesslog.py).
"""

PERSONAL_FIELDS = ("id_number", "phone", "household_place", "residence")
# Addresses (户籍所在地, 现居住地) keep their first characters (province, city) and hide the rest.
ADDRESS_KEPT = 3


def _keep_ends(value: str | None, start: int, end: int) -> str:
    """The first `start` and last `end` characters, the middle starred; a value too short to keep any, all starred."""
    value = (value or "").strip()
    if len(value) <= start + end:
        return "*" * len(value)
    return value[:start] + "*" * (len(value) - start - end) + value[-end:]


def mask_id_number(value: str | None) -> str:
    return _keep_ends(value, 4, 4)


def mask_phone(value: str | None) -> str:
    return _keep_ends(value, 3, 4)


def mask_address(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    return value[:ADDRESS_KEPT] + "****"


def mask(field_name: str, value: str | None) -> str:
    if field_name == "id_number":
        return mask_id_number(value)
    if field_name in ("household_place", "residence"):
        return mask_address(value)
    return mask_phone(value)
