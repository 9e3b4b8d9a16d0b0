"""Showing personal data with care: ID-card numbers and mobile numbers masked wherever they are listed.

    mask_id_number("110101199003079023") == "1101**********9023"
    mask_phone("13800138000") == "138****8000"

Who may see them in full is decided in zhibu/orgs/access.py (sees_personal_data), and every full view or export
is written to the access log (zhibu/orgs/accesslog.py).
"""

PERSONAL_FIELDS = ("id_number", "phone", "household_place", "residence")
# Addresses (户籍所在地, 现居住地) keep their first characters (province, city) and hide the rest.
ADDRESS_KEPT = 3


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
