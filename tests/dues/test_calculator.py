from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibu.dues.calculator import (
    ArrearsLevel,
    DuesCategory,
    DuesError,
    Rounding,
    arrears_warning_level,
    calculate_monthly_dues,
    consecutive_unpaid_months,
    month_key,
    months_due,
    rate_for,
    rate_label,
    round_dues,
)

# No example database: property runs must not leave a .hypothesis/ folder in the shared tree.
no_example_db = settings(database=None, max_examples=300)

incomes = st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False, allow_infinity=False)


# --- in-service brackets (2008 规定 第二条) -------------------------------------


@pytest.mark.parametrize(
    ("income", "expected_dues", "expected_rate"),
    [
        ("0", "0.00", "0.005"),
        ("2999.99", "15.00", "0.005"),
        ("3000", "15.00", "0.005"),
        ("3000.01", "30.00", "0.01"),
        ("5000", "50.00", "0.01"),
        ("5000.01", "75.00", "0.015"),
        ("10000", "150.00", "0.015"),
        ("10000.01", "200.00", "0.02"),
        ("25000", "500.00", "0.02"),
    ],
)
def test_in_service_dues_at_each_bracket_boundary(income, expected_dues, expected_rate):
    assert calculate_monthly_dues(income) == Decimal(expected_dues)
    assert rate_for(income) == Decimal(expected_rate)


def test_one_rate_applies_to_the_whole_income_so_dues_jump_at_3000_01():
    # A marginal scheme would give 15.00 + 0.0001; the rule doubles the dues.
    assert calculate_monthly_dues("3000.01") - calculate_monthly_dues("3000") == Decimal("15.00")


def test_in_service_is_the_default_category():
    assert calculate_monthly_dues("4500") == calculate_monthly_dues("4500", "在职") == Decimal("45.00")


# --- retired (2008 规定 第五条) --------------------------------------------------


@pytest.mark.parametrize(
    ("pension", "expected_dues", "expected_rate"),
    [
        ("0", "0.00", "0.005"),
        ("5000", "25.00", "0.005"),
        ("5000.01", "50.00", "0.01"),
        ("12000", "120.00", "0.01"),
    ],
)
def test_retired_dues_at_the_5000_boundary(pension, expected_dues, expected_rate):
    assert calculate_monthly_dues(pension, "离退休") == Decimal(expected_dues)
    assert rate_for(pension, DuesCategory.RETIRED) == Decimal(expected_rate)


def test_retired_members_never_reach_the_in_service_top_rate():
    assert calculate_monthly_dues("20000", "离退休") == Decimal("200.00")


# --- fixed-amount categories (2008 规定 第六条 and hardship relief) --------------


@pytest.mark.parametrize("category", ["学生", "下岗失业"])
def test_students_and_unemployed_pay_twenty_fen_whatever_the_income(category):
    assert calculate_monthly_dues(None, category) == Decimal("0.20")
    assert calculate_monthly_dues("8000", category) == Decimal("0.20")


def test_farmers_pay_twenty_fen_by_default():
    assert calculate_monthly_dues(None, "农民") == Decimal("0.20")


@pytest.mark.parametrize("amount", ["0.20", "0.5", "1", "1.00", Decimal("0.35")])
def test_farmers_pay_the_branch_amount_within_range(amount):
    assert calculate_monthly_dues(None, "农民", farmer_amount=amount) == Decimal(str(amount)).quantize(Decimal("0.01"))


@pytest.mark.parametrize("amount", ["0.19", "1.01", "0", "-0.5"])
def test_farmer_amount_outside_twenty_fen_to_one_yuan_is_rejected(amount):
    with pytest.raises(DuesError, match="农民党员"):
        calculate_monthly_dues(None, "农民", farmer_amount=amount)


def test_farmer_amount_out_of_range_message_gives_the_range_and_the_fix():
    with pytest.raises(DuesError) as excinfo:
        calculate_monthly_dues(None, "农民", farmer_amount="1.50")
    message = str(excinfo.value)
    assert "0.20 元至 1.00 元" in message
    assert "1.50" in message
    assert "请" in message


def test_farmer_amount_with_fractions_of_a_fen_is_rejected():
    with pytest.raises(DuesError, match="分位"):
        calculate_monthly_dues(None, "农民", farmer_amount="0.255")


def test_farmer_amount_is_ignored_for_other_categories_so_a_branch_setting_can_be_passed_for_all():
    assert calculate_monthly_dues("4000", "在职", farmer_amount="0.80") == Decimal("40.00")


@pytest.mark.parametrize(("approved", "expected"), [("0", "0.00"), ("5", "5.00"), (Decimal("2.5"), "2.50")])
def test_hardship_members_pay_the_approved_reduced_amount(approved, expected):
    assert calculate_monthly_dues("6000", "困难减免", reduced_amount=approved) == Decimal(expected)


def test_hardship_without_an_approved_amount_is_rejected():
    with pytest.raises(DuesError, match="困难减免.*减免后月党费金额"):
        calculate_monthly_dues("6000", "困难减免")


def test_hardship_amount_must_not_be_negative():
    with pytest.raises(DuesError, match="不能为负数"):
        calculate_monthly_dues(None, "困难减免", reduced_amount="-1")


def test_reduced_amount_for_another_category_is_rejected_as_a_wrong_category():
    with pytest.raises(DuesError, match="只有党费类别为“困难减免”"):
        calculate_monthly_dues("6000", "在职", reduced_amount="1")


@pytest.mark.parametrize("category", ["学生", "农民", "下岗失业", "困难减免"])
def test_fixed_categories_have_no_rate(category):
    assert rate_for("4000", category) is None


# --- input handling -------------------------------------------------------------


@pytest.mark.parametrize("income", [4500, "4500", Decimal("4500"), 4500.0, " 4500 ", "４５００"])
def test_income_is_accepted_as_int_str_decimal_float_or_full_width_digits(income):
    assert calculate_monthly_dues(income) == Decimal("45.00")


def test_float_income_is_read_through_str_so_3000_01_is_not_binary_noise():
    assert calculate_monthly_dues(3000.01) == Decimal("30.00")
    assert rate_for(3000.0) == Decimal("0.005")


def test_negative_income_is_rejected_with_the_fix():
    with pytest.raises(DuesError) as excinfo:
        calculate_monthly_dues("-100")
    assert "不能为负数" in str(excinfo.value)
    assert "没有收入请填 0" in str(excinfo.value)


@pytest.mark.parametrize("income", ["abc", "4500元", "4,500", "", "NaN", "Infinity", float("nan")])
def test_non_numeric_income_is_rejected_with_an_example_of_a_valid_value(income):
    with pytest.raises(DuesError, match="例如 4500"):
        calculate_monthly_dues(income)


@pytest.mark.parametrize("income", [True, [4500], object()])
def test_income_of_an_unsupported_type_is_rejected(income):
    with pytest.raises(DuesError):
        calculate_monthly_dues(income)


def test_absurdly_large_income_is_rejected_as_a_typo():
    with pytest.raises(DuesError, match="过大"):
        calculate_monthly_dues("1e30")


@pytest.mark.parametrize("category", ["在职", "离退休"])
def test_missing_income_for_a_percentage_category_is_rejected(category):
    with pytest.raises(DuesError, match="须填写月缴费基数"):
        calculate_monthly_dues(None, category)


def test_income_given_for_a_fixed_category_is_still_checked():
    with pytest.raises(DuesError, match="不能为负数"):
        calculate_monthly_dues("-1", "学生")


def test_unknown_category_lists_every_valid_category():
    with pytest.raises(DuesError) as excinfo:
        calculate_monthly_dues("4500", "退休")
    message = str(excinfo.value)
    assert "“退休”无效" in message
    for category in DuesCategory:
        assert category.value in message


def test_category_is_read_with_surrounding_blanks_ignored():
    assert calculate_monthly_dues("4500", " 离退休 ") == Decimal("22.50")


def test_dues_error_is_a_value_error_so_form_code_can_catch_either():
    assert issubclass(DuesError, ValueError)


# --- rounding -----------------------------------------------------------------------


def test_default_rounding_is_half_up_to_the_fen_not_bankers_rounding():
    # 2001 × 0.5% = 10.005: half-even would give 10.00.
    assert calculate_monthly_dues("2001") == Decimal("10.01")


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [
        (Rounding.HALF_UP_FEN, "6.17"),
        (Rounding.UP_TO_FEN, "6.18"),
        (Rounding.HALF_UP_JIAO, "6.20"),
        (Rounding.UP_TO_JIAO, "6.20"),
    ],
)
def test_each_rounding_option_on_an_amount_between_fen(rounding, expected):
    # 1234.50 × 0.5% = 6.1725
    assert calculate_monthly_dues("1234.50", rounding=rounding) == Decimal(expected)


def test_rounding_up_to_the_jiao_goes_up_even_below_half():
    # 3333 × 1% = 33.33
    assert calculate_monthly_dues("3333", rounding="进位到角") == Decimal("33.40")
    assert calculate_monthly_dues("3333", rounding="四舍五入到角") == Decimal("33.30")


def test_rounded_amounts_always_carry_two_decimals():
    assert str(calculate_monthly_dues("4000", rounding=Rounding.HALF_UP_JIAO)) == "40.00"
    assert str(round_dues(Decimal("7"), Rounding.UP_TO_JIAO)) == "7.00"


def test_rounding_does_not_change_fixed_amounts():
    assert calculate_monthly_dues(None, "农民", farmer_amount="0.25", rounding="进位到角") == Decimal("0.25")


def test_unknown_rounding_option_lists_the_valid_ones():
    with pytest.raises(DuesError, match="取整方式“银行家”无效.*进位到角"):
        calculate_monthly_dues("4000", rounding="银行家")


# --- display ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "label"),
    [("0.005", "按0.5%计"), ("0.01", "按1%计"), ("0.015", "按1.5%计"), ("0.02", "按2%计")],
)
def test_rate_label_for_display(rate, label):
    assert rate_label(Decimal(rate)) == label


# --- properties ---------------------------------------------------------------------

_TOLERANCE = {
    Rounding.HALF_UP_FEN: Decimal("0.005"),
    Rounding.UP_TO_FEN: Decimal("0.01"),
    Rounding.HALF_UP_JIAO: Decimal("0.05"),
    Rounding.UP_TO_JIAO: Decimal("0.1"),
}


@no_example_db
@given(incomes, incomes, st.sampled_from(["在职", "离退休"]), st.sampled_from(list(Rounding)))
def test_dues_never_decrease_as_income_rises(first, second, category, rounding):
    low, high = sorted((first, second))
    assert calculate_monthly_dues(low, category, rounding=rounding) <= calculate_monthly_dues(
        high, category, rounding=rounding
    )


@no_example_db
@given(incomes, st.sampled_from(list(Rounding)))
def test_in_service_dues_stay_between_half_and_two_percent_of_income_up_to_rounding(income, rounding):
    dues = calculate_monthly_dues(income, rounding=rounding)
    assert income * Decimal("0.005") - _TOLERANCE[rounding] <= dues <= income * Decimal("0.02") + _TOLERANCE[rounding]


@no_example_db
@given(incomes)
def test_retired_dues_never_exceed_one_percent_of_pension_up_to_rounding(pension):
    assert calculate_monthly_dues(pension, "离退休") <= pension * Decimal("0.01") + _TOLERANCE[Rounding.HALF_UP_FEN]


@no_example_db
@given(incomes, st.sampled_from(["在职", "离退休"]))
def test_dues_are_the_displayed_rate_times_income_rounded(income, category):
    expected = (income * rate_for(income, category)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert calculate_monthly_dues(income, category) == expected


@no_example_db
@given(incomes)
def test_dues_are_always_exact_to_the_fen(income):
    assert calculate_monthly_dues(income).as_tuple().exponent == -2


# --- ledger: consecutive unpaid months ------------------------------------------------

YEAR_2025 = [f"2025-{month:02d}" for month in range(1, 13)]


def test_no_unpaid_months_when_everything_is_paid():
    assert consecutive_unpaid_months(set(YEAR_2025[:6]), YEAR_2025, "2025-06") == 0


def test_counts_the_run_of_unpaid_months_ending_at_up_to():
    paid = {"2025-01", "2025-02"}
    assert consecutive_unpaid_months(paid, YEAR_2025, "2025-05") == 3


def test_a_paid_month_breaks_the_run():
    paid = {"2025-03"}
    assert consecutive_unpaid_months(paid, YEAR_2025, "2025-05") == 2


def test_paying_the_latest_month_resets_the_run_even_after_earlier_gaps():
    assert consecutive_unpaid_months({"2025-05"}, YEAR_2025, "2025-05") == 0


def test_months_after_up_to_are_not_counted():
    assert consecutive_unpaid_months(set(), YEAR_2025, "2025-04") == 4


def test_months_not_due_neither_extend_nor_break_the_run():
    due = ["2025-01", "2025-02", "2025-05", "2025-06"]  # nothing due in March and April
    assert consecutive_unpaid_months({"2025-01"}, due, "2025-06") == 3


def test_a_run_can_span_the_year_end():
    due = ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert consecutive_unpaid_months({"2024-10"}, due, "2025-02") == 4


def test_unordered_due_months_are_handled():
    due = ["2025-03", "2025-01", "2025-02"]
    assert consecutive_unpaid_months({"2025-01"}, due, "2025-03") == 2


def test_nothing_due_yet_means_no_arrears():
    assert consecutive_unpaid_months(set(), ["2025-09"], "2025-06") == 0


@pytest.mark.parametrize("bad_month", ["2025-3", "2025-13", "2025-00", "2025/03", "202503", 202503])
def test_badly_written_months_are_rejected(bad_month):
    with pytest.raises(DuesError, match="例如 2025-03"):
        consecutive_unpaid_months(set(), YEAR_2025, bad_month)


def test_badly_written_paid_month_is_rejected():
    with pytest.raises(DuesError, match="月份“2025年3月”格式不对"):
        consecutive_unpaid_months({"2025年3月"}, YEAR_2025, "2025-05")


# --- ledger: warning levels -------------------------------------------------------------


@pytest.mark.parametrize(
    ("unpaid", "level"),
    [(0, None), (2, None), (3, "提醒"), (4, "提醒"), (5, "警告"), (6, "警告"), (12, "警告")],
)
def test_arrears_warning_levels(unpaid, level):
    assert arrears_warning_level(unpaid) == level


def test_warning_levels_are_plain_strings_for_templates():
    assert arrears_warning_level(3) is ArrearsLevel.REMINDER
    assert f"{arrears_warning_level(5)}" == "警告"


def test_thresholds_are_configurable_as_local_practice():
    assert arrears_warning_level(2, reminder_after=2, warning_after=4) == "提醒"
    assert arrears_warning_level(4, reminder_after=2, warning_after=4) == "警告"


@pytest.mark.parametrize(("reminder_after", "warning_after"), [(0, 5), (3, 3), (5, 3), (3, 6)])
def test_thresholds_must_come_in_order_before_the_six_month_rule(reminder_after, warning_after):
    with pytest.raises(DuesError, match="六个月"):
        arrears_warning_level(3, reminder_after=reminder_after, warning_after=warning_after)


@pytest.mark.parametrize("unpaid", [-1, 2.5, "3", True])
def test_unpaid_count_must_be_a_non_negative_whole_number(unpaid):
    with pytest.raises(DuesError, match="整数"):
        arrears_warning_level(unpaid)


# --- ledger: months due ------------------------------------------------------------------


def test_a_member_admitted_before_the_year_owes_every_month_up_to_until():
    assert months_due(date(2010, 7, 1), 2025, date(2025, 4, 30)) == ["2025-01", "2025-02", "2025-03", "2025-04"]


def test_probationary_member_pays_from_the_admission_month():
    months = months_due(date(2025, 3, 31), 2025, date(2025, 12, 31))
    assert months[0] == "2025-03"
    assert len(months) == 10


def test_until_in_a_later_year_stops_at_december():
    assert months_due(date(2025, 11, 5), 2025, date(2026, 2, 1)) == ["2025-11", "2025-12"]


def test_nothing_is_due_before_admission():
    assert months_due(date(2025, 6, 1), 2025, date(2025, 5, 31)) == []
    assert months_due(date(2026, 1, 1), 2025, date(2025, 12, 31)) == []


def test_nothing_is_due_for_a_year_already_over_when_until_is_earlier():
    assert months_due(date(2020, 1, 1), 2025, date(2024, 12, 31)) == []


def test_admission_and_until_in_the_same_month_owes_that_month():
    assert months_due(date(2025, 8, 20), 2025, date(2025, 8, 21)) == ["2025-08"]


def test_month_key_formats_a_date_for_the_ledger():
    assert month_key(date(2025, 3, 18)) == "2025-03"
    assert month_key(date(987, 1, 1)) == "0987-01"


def test_months_due_feed_the_unpaid_run():
    due = months_due(date(2025, 2, 10), 2025, date(2025, 7, 31))
    assert consecutive_unpaid_months({"2025-02"}, due, "2025-07") == 5
    assert arrears_warning_level(consecutive_unpaid_months({"2025-02"}, due, "2025-07")) == "警告"
