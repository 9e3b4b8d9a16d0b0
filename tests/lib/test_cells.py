from datetime import date, time
from decimal import Decimal

import pytest

from zhibu.lib.cells import CellError, parse_date, parse_datetime, parse_decimal, split_list


@pytest.mark.parametrize("text", ["2025-03-18", "2025/3/18", "2025年3月18日", "2025.3.18"])
def test_it_reads_every_date_form(text):
    assert parse_date(text) == date(2025, 3, 18)


def test_it_explains_unreadable_dates():
    with pytest.raises(CellError, match="2025-03-18"):
        parse_date("三月十八")
    with pytest.raises(CellError, match="有效日期"):
        parse_date("2025-02-30")


def test_it_reads_a_time_of_day():
    assert parse_datetime("2025-03-18 14:30") == (date(2025, 3, 18), time(14, 30))


def test_lists_accept_every_separator():
    assert split_list("张三、李四,王五，赵六;钱七") == ["张三", "李四", "王五", "赵六", "钱七"]


def test_amounts_keep_two_places():
    assert parse_decimal("1,234.5") == Decimal("1234.50")
    with pytest.raises(CellError, match="2位小数"):
        parse_decimal("1.234")
