"""`zhibu dues-calc`: the monthly amount on stdout, or a Chinese message on stderr and exit status 1."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhibu.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(["dues-calc", *args])
        status = 0
    except SystemExit as exit:
        status = exit.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(
    ("income", "expected"),
    [
        ("3000", "15.00"),
        ("3000.01", "30.00"),
        ("5000", "50.00"),
        ("5000.01", "75.00"),
        ("10000", "150.00"),
        ("10000.01", "200.00"),
        ("4500", "45.00"),
    ],
)
def test_it_prints_in_service_dues_at_every_bracket_boundary(capsys, income, expected):
    assert run(capsys, "--income", income) == (0, f"{expected}\n", "")


@pytest.mark.parametrize(("pension", "expected"), [("5000", "25.00"), ("5000.01", "50.00")])
def test_it_prints_retired_dues_on_both_sides_of_5000(capsys, pension, expected):
    assert run(capsys, "--income", pension, "--category", "离退休") == (0, f"{expected}\n", "")


@pytest.mark.parametrize("category", ["学生", "农民", "下岗失业"])
def test_fixed_categories_pay_twenty_fen_without_an_income(capsys, category):
    assert run(capsys, "--category", category) == (0, "0.20\n", "")


def test_it_takes_the_branch_farmer_amount_and_an_approved_hardship_amount(capsys):
    assert run(capsys, "--category", "农民", "--farmer-amount", "0.5")[1] == "0.50\n"
    assert run(capsys, "--category", "困难减免", "--reduced-amount", "2")[1] == "2.00\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--income", "-1"], "月缴费基数不能为负数"),
        (["--income=-3000"], "月缴费基数不能为负数"),
        (["--income", "abc"], "不是有效的数字"),
        (["--income", "4,500"], "不是有效的数字"),
        (["--income", "4500", "--category", "公务员"], "党费类别“公务员”无效"),
        ([], "须填写月缴费基数"),
        (["--category", "农民", "--farmer-amount", "2"], "0.20 元至 1.00 元之间"),
        (["--income", "4500", "--rounding", "随便"], "取整方式“随便”无效"),
    ],
)
def test_bad_input_exits_1_with_a_chinese_message_and_no_amount(capsys, args, message):
    status, out, err = run(capsys, *args)
    assert status == 1
    assert out == ""
    assert message in err


def test_the_hyphenated_command_works_from_the_installed_script(tmp_path):
    script = Path(sys.executable).with_name("zhibu")
    env = {**os.environ, "ZHIBU_DATA_DIR": str(tmp_path)}
    good = subprocess.run([script, "dues-calc", "--income", "4500"], capture_output=True, text=True, env=env, timeout=60)
    assert (good.returncode, good.stdout) == (0, "45.00\n")
    bad = subprocess.run([script, "dues-calc", "--income", "-5"], capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 1
    assert "不能为负数" in bad.stderr
    assert "Traceback" not in bad.stderr
