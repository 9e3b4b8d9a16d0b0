"""Checks for Chinese resident ID numbers (GB 11643-1999) and mobile phone numbers."""

import re
from datetime import date

# GB 11643-1999: weights of the first 17 digits and the check character for (sum mod 11).
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_SHAPE = re.compile(r"^1[3-9]\d{9}$")


def id_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def id_number_problem(value: str) -> str | None:
    """Return why an ID number is invalid (in Chinese), or None when it is valid."""
    value = value.strip().upper()
    if not _ID_SHAPE.match(value):
        return "身份证号应为18位：前17位为数字，最后一位为数字或X"
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return f"身份证号中的出生日期 {value[6:14]} 不是有效日期"
    expected = id_check_char(value[:17])
    if value[17] != expected:
        return f"身份证号校验位错误：按 GB 11643 计算最后一位应为 {expected}，请核对号码"
    return None


def birth_date_from_id(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def gender_from_id(value: str) -> str:
    """The 17th digit is odd for men and even for women."""
    return "男" if int(value[16]) % 2 else "女"


def mobile_problem(value: str) -> str | None:
    if not _MOBILE_SHAPE.match(value.strip()):
        return "手机号应为11位数字，以1开头，例如 13800138000"
    return None
