from hypothesis import given
from hypothesis import strategies as st

from zhibu.lib.idcard import gender_from_id, id_check_char, id_number_problem, mobile_problem


def test_it_accepts_the_standard_example():
    # The example of GB 11643-1999 appendix: 11010519491231002X.
    assert id_number_problem("11010519491231002X") is None
    assert id_number_problem("11010519491231002x") is None
    assert gender_from_id("11010519491231002X") == "女"


def test_it_names_the_expected_check_digit():
    assert "应为 X" in id_number_problem("110105194912310021")


def test_it_rejects_impossible_birth_dates():
    first17 = "11010519490230002"
    assert "出生日期" in id_number_problem(first17 + id_check_char(first17))


def test_it_rejects_wrong_length():
    assert "18位" in id_number_problem("1101051949")


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_any_single_digit_change_is_caught(first17):
    number = first17[:6] + "19800101" + first17[14:] 
    number = number + id_check_char(number)
    flipped = number[:16] + str((int(number[16]) + 1) % 10) + number[17]
    assert id_number_problem(flipped) is not None


def test_mobile_numbers():
    assert mobile_problem("13800138000") is None
    assert mobile_problem("1380013800") is not None
    assert mobile_problem("23800138000") is not None
