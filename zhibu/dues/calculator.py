"""Monthly party dues (党费) and the arrears ledger, as pure functions.

Source: 中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》(2008,
hereafter "2008 规定"). The rates below are the national rule; how amounts
are rounded is not set nationally, so it is a parameter (default: half up
to the fen). The arrears thresholds of 3 and 5 months are practice, kept as
parameters; the 6-month line they warn about is 党章 第九条.

No Django, no database: callers pass plain values and get ``Decimal`` back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from enum import StrEnum

FEN = Decimal("0.01")
JIAO = Decimal("0.1")
MAX_AMOUNT = Decimal("1e12")


class DuesError(ValueError):
    """Bad input to a dues calculation; the message (Chinese) says what is wrong and how to fix it."""


class DuesCategory(StrEnum):
    """党费类别; the values are the strings used in the exchange workbook (column 党费类别)."""

    IN_SERVICE = "在职"
    RETIRED = "离退休"
    STUDENT = "学生"
    FARMER = "农民"
    UNEMPLOYED = "下岗失业"
    HARDSHIP = "困难减免"


VALID_CATEGORIES_TEXT = "、".join(category.value for category in DuesCategory)


class Rounding(StrEnum):
    """How a percentage amount is rounded; no national rule exists, so a branch picks one."""

    HALF_UP_FEN = "四舍五入到分"
    UP_TO_FEN = "进位到分"
    HALF_UP_JIAO = "四舍五入到角"
    UP_TO_JIAO = "进位到角"


# (step, decimal rounding mode) for each option. "进位" rounds away from zero,
# which for non-negative dues means up: the member never pays less than the rate.
_ROUNDING_STEPS: dict[Rounding, tuple[Decimal, str]] = {
    Rounding.HALF_UP_FEN: (FEN, ROUND_HALF_UP),
    Rounding.UP_TO_FEN: (FEN, ROUND_UP),
    Rounding.HALF_UP_JIAO: (JIAO, ROUND_HALF_UP),
    Rounding.UP_TO_JIAO: (JIAO, ROUND_UP),
}


@dataclass(frozen=True)
class Bracket:
    """One income band: incomes up to and including ``upper`` pay ``rate`` (``upper=None``: no limit)."""

    upper: Decimal | None
    rate: Decimal


# 2008 规定 第二条: one rate applies to the whole base (not marginal), so
# dues jump at each boundary, e.g. 3000 → 15.00 but 3000.01 → 30.00.
IN_SERVICE_BRACKETS: tuple[Bracket, ...] = (
    Bracket(Decimal("3000"), Decimal("0.005")),
    Bracket(Decimal("5000"), Decimal("0.01")),
    Bracket(Decimal("10000"), Decimal("0.015")),
    Bracket(None, Decimal("0.02")),
)

# 2008 规定 第五条: retired members pay on the basic pension only.
RETIRED_BRACKETS: tuple[Bracket, ...] = (
    Bracket(Decimal("5000"), Decimal("0.005")),
    Bracket(None, Decimal("0.01")),
)

_BRACKETS_BY_CATEGORY: dict[DuesCategory, tuple[Bracket, ...]] = {
    DuesCategory.IN_SERVICE: IN_SERVICE_BRACKETS,
    DuesCategory.RETIRED: RETIRED_BRACKETS,
}

# 2008 规定 第六条: students, the unemployed and members living on relief or the
# minimum living allowance pay 0.20 yuan a month.
FIXED_MONTHLY_DUES = Decimal("0.20")

# 2008 规定 第六条: farmers pay 0.20 to 1.00 yuan a month; the branch sets the figure.
FARMER_MIN = Decimal("0.20")
FARMER_MAX = Decimal("1.00")


# --- input parsing ---------------------------------------------------------


def _to_decimal(value: object, label: str) -> Decimal:
    """Read a money amount from str, int, Decimal or float (a float via ``str()``, so 3000.01 stays 3000.01)."""
    if isinstance(value, bool):  # bool is an int subclass; True as an income is a bug upstream
        raise DuesError(f"{label}“{value}”不是金额。请填写以元为单位的数字，例如 4500 或 4500.50。")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float | str):
        text = str(value).strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise DuesError(
                f"{label}“{value}”不是有效的数字。请填写以元为单位的数字，例如 4500 或 4500.50，"
                "不要带“元”等单位或千位分隔符。"
            ) from None
    else:
        raise DuesError(
            f"{label}的类型 {type(value).__name__} 无法识别。请填写以元为单位的数字，例如 4500 或 4500.50。"
        )
    if not amount.is_finite():
        raise DuesError(f"{label}“{value}”不是有限的数字。请填写以元为单位的数字，例如 4500 或 4500.50。")
    if abs(amount) >= MAX_AMOUNT:
        # Decimal's default 28-digit context cannot quantize far larger numbers
        # to the fen; no real monthly amount comes near, so it is a typo.
        raise DuesError(f"{label}“{value}”过大，超出合理范围。请核对是否多输入了数字或把年收入当作了月收入。")
    return amount


def _to_income(income: object, category: DuesCategory) -> Decimal:
    if income is None:
        base_name = "基本离退休费" if category is DuesCategory.RETIRED else "税后月工资收入中固定的、经常性的部分"
        raise DuesError(f"党费类别为“{category.value}”时须填写月缴费基数（{base_name}），没有收入请填 0。")
    amount = _to_decimal(income, "月缴费基数")
    if amount < 0:
        raise DuesError(f"月缴费基数不能为负数（收到 {income}）。请填写实际月收入，没有收入请填 0。")
    return amount


def _to_fen_amount(value: object, label: str) -> Decimal:
    """A fixed amount a person or branch sets: non-negative and exact to the fen (no hidden rounding)."""
    amount = _to_decimal(value, label)
    if amount < 0:
        raise DuesError(f"{label}不能为负数（收到 {value}）。请填写不小于 0 的金额。")
    if amount.normalize().as_tuple().exponent < -2:
        raise DuesError(f"{label}“{value}”超出了分位。党费以分为最小单位，请保留至多两位小数。")
    return amount.quantize(FEN)


def _parse_choice(kind: type[StrEnum], value, label: str):
    """The `kind` member for a value from the exchange workbook, a form or the command line (surrounding blanks
    ignored); DuesError naming every valid one otherwise."""
    if isinstance(value, kind):
        return value
    try:
        return kind(str(value).strip())
    except ValueError:
        options = "、".join(option.value for option in kind)
        raise DuesError(f"{label}“{value}”无效。请填写以下之一：{options}。") from None


def parse_category(category: DuesCategory | str) -> DuesCategory:
    return _parse_choice(DuesCategory, category, "党费类别")


def parse_rounding(rounding: Rounding | str) -> Rounding:
    return _parse_choice(Rounding, rounding, "取整方式")


# --- the calculation ---------------------------------------------------------


def _rate_in(brackets: tuple[Bracket, ...], income: Decimal) -> Decimal:
    for bracket in brackets:
        if bracket.upper is None or income <= bracket.upper:
            return bracket.rate
    raise AssertionError("the last bracket has no upper limit")


def rate_for(income: object, category: DuesCategory | str = DuesCategory.IN_SERVICE) -> Decimal | None:
    """The rate applied to ``income`` (e.g. ``Decimal("0.015")``), or None for fixed-amount categories."""
    category = parse_category(category)
    brackets = _BRACKETS_BY_CATEGORY.get(category)
    if brackets is None:
        if income is not None:
            _to_income(income, category)  # still reject a nonsensical base recorded for the person
        return None
    return _rate_in(brackets, _to_income(income, category))


def rate_label(rate: Decimal) -> str:
    """Display text for a rate: ``Decimal("0.015")`` → ``"按1.5%计"``."""
    percent = (rate * 100).normalize()
    return f"按{percent:f}%计"


def round_dues(amount: Decimal, rounding: Rounding | str = Rounding.HALF_UP_FEN) -> Decimal:
    """Round a computed amount the branch's way; the result always has two decimals (yuan to the fen)."""
    step, mode = _ROUNDING_STEPS[parse_rounding(rounding)]
    return amount.quantize(step, rounding=mode).quantize(FEN)


def _farmer_dues(farmer_amount: object) -> Decimal:
    if farmer_amount is None:
        return FARMER_MIN
    amount = _to_fen_amount(farmer_amount, "农民党员月党费标准")
    if not FARMER_MIN <= amount <= FARMER_MAX:
        raise DuesError(
            f"农民党员每月党费应在 {FARMER_MIN} 元至 {FARMER_MAX} 元之间（收到 {farmer_amount} 元）。"
            "请在支部设置中按此范围重新填写。"
        )
    return amount


def _hardship_dues(reduced_amount: object) -> Decimal:
    # 2008 规定: a member in real hardship may pay less or nothing once the branch
    # has reviewed it and the committee above has approved; the amount is theirs to set.
    if reduced_amount is None:
        raise DuesError(
            "党费类别为“困难减免”时须填写经支部研究、上级党委批准的减免后月党费金额（免交填 0）。"
            "如未经批准，请改按实际类别计算。"
        )
    return _to_fen_amount(reduced_amount, "减免后月党费")


def calculate_monthly_dues(
    income: object,
    category: DuesCategory | str = DuesCategory.IN_SERVICE,
    *,
    farmer_amount: object = None,
    reduced_amount: object = None,
    rounding: Rounding | str = Rounding.HALF_UP_FEN,
) -> Decimal:
    """Monthly dues in yuan, exact to the fen, for a member of ``category`` with monthly base ``income``.

    ``income`` may be str, int, Decimal or float; it is required for 在职 and
    离退休 and ignored (but still checked if given) for the fixed categories.
    ``farmer_amount`` is the branch's setting for farmers (default 0.20) and is
    ignored for other categories, so a caller may pass it for everyone.
    ``reduced_amount`` is the approved amount for 困难减免 and is an error for
    any other category, because it would mean the category is recorded wrong.
    ``rounding`` applies to percentage amounts only; fixed amounts are set to
    the fen already.
    """
    category = parse_category(category)
    if reduced_amount is not None and category is not DuesCategory.HARDSHIP:
        raise DuesError(
            f"只有党费类别为“困难减免”时才能填写减免后金额，当前类别为“{category.value}”。"
            "请清空减免后金额，或把党费类别改为“困难减免”。"
        )
    rate = rate_for(income, category)
    if rate is not None:
        return round_dues(_to_income(income, category) * rate, rounding)
    if category is DuesCategory.FARMER:
        return _farmer_dues(farmer_amount)
    if category is DuesCategory.HARDSHIP:
        return _hardship_dues(reduced_amount)
    return FIXED_MONTHLY_DUES


# --- the monthly ledger --------------------------------------------------------

_MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")

# Thresholds in consecutive unpaid months. The reminder and warning levels are
# practice (configurable); both come before 党章 第九条, under which six
# consecutive months of not paying without good reason counts as leaving the party.
REMINDER_AFTER_MONTHS = 3
WARNING_AFTER_MONTHS = 5
LAPSE_AFTER_MONTHS = 6


class ArrearsLevel(StrEnum):
    REMINDER = "提醒"
    WARNING = "警告"


def month_key(day: date) -> str:
    """The ledger's month string for a date: ``date(2025, 3, 18)`` → ``"2025-03"``."""
    return f"{day.year:04d}-{day.month:02d}"


def _month_index(month: str) -> int:
    """Months since year 0, so that months can be compared and stepped through."""
    match = _MONTH_PATTERN.fullmatch(month) if isinstance(month, str) else None
    if match is None or not 1 <= int(match[2]) <= 12:
        raise DuesError(f"月份“{month}”格式不对。请写成“年-月”，例如 2025-03。")
    return int(match[1]) * 12 + int(match[2]) - 1


def _month_from_index(index: int) -> str:
    year, zero_based_month = divmod(index, 12)
    return f"{year:04d}-{zero_based_month + 1:02d}"


def consecutive_unpaid_months(paid_months: Iterable[str], due_months: Iterable[str], up_to: str) -> int:
    """Length of the run of unpaid due months that ends at ``up_to`` (inclusive).

    Only months in ``due_months`` count: a month nothing was due for (before
    admission, say) neither extends nor breaks the run. Pass due months
    across year ends if a run may span them, and pass as ``up_to`` the last
    month that should already have been paid.
    """
    paid = {_month_index(month) for month in paid_months}
    limit = _month_index(up_to)
    due_so_far = sorted({index for index in map(_month_index, due_months) if index <= limit}, reverse=True)
    run = 0
    for month in due_so_far:
        if month in paid:
            break
        run += 1
    return run


def arrears_warning_level(
    unpaid_months: int,
    *,
    reminder_after: int = REMINDER_AFTER_MONTHS,
    warning_after: int = WARNING_AFTER_MONTHS,
) -> ArrearsLevel | None:
    """提醒 from ``reminder_after`` consecutive unpaid months, 警告 from ``warning_after``, else None.

    Six months and more also returns 警告: deciding that a member has left the
    party is the branch's decision, not something this function announces.
    """
    if not 0 < reminder_after < warning_after < LAPSE_AFTER_MONTHS:
        raise DuesError(
            f"欠缴提醒月数（{reminder_after}）和警告月数（{warning_after}）设置不当。"
            f"应满足 0 < 提醒 < 警告 < {LAPSE_AFTER_MONTHS}，以便在党章规定的连续六个月之前提醒。"
        )
    if isinstance(unpaid_months, bool) or not isinstance(unpaid_months, int) or unpaid_months < 0:
        raise DuesError(f"连续未缴月数应为不小于 0 的整数（收到 {unpaid_months!r}）。")
    if unpaid_months >= warning_after:
        return ArrearsLevel.WARNING
    if unpaid_months >= reminder_after:
        return ArrearsLevel.REMINDER
    return None


def months_due(admitted: date, year: int, until: date) -> list[str]:
    """Months of ``year`` for which dues are owed, up to and including the month of ``until``.

    2008 规定: probationary members pay from the branch meeting that admitted
    them, so the admission month is the first month due and nothing before it.
    """
    first = max(year * 12, admitted.year * 12 + admitted.month - 1)
    last = min(year * 12 + 11, until.year * 12 + until.month - 1)
    return [_month_from_index(index) for index in range(first, last + 1)]
