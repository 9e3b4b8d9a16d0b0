"""`zhibu stats --org NAME --year YYYY --out FILE.xlsx`."""

import subprocess

import pytest
from django.core.management import call_command
from openpyxl import load_workbook


def test_writes_the_workbook(unit, tmp_path, capsys):
    out = tmp_path / "tongji.xlsx"
    call_command("stats", "--org", "统计测试党委", "--year", "2025", "--out", str(out))
    assert "已生成" in capsys.readouterr().out
    assert load_workbook(out).sheetnames[:4] == ["第一表 两年党员数综合比较", "党员的基本情况", "发展党员情况", "党组织情况"]


def test_unknown_organisation_exits_1(unit, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("stats", "--org", "没有这个党委", "--year", "2025", "--out", str(tmp_path / "x.xlsx"))
    assert exit_.value.code == 1 and "没有名为“没有这个党委”的组织" in capsys.readouterr().err
