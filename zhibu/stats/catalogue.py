"""The cells of the 党内统计 tables a report may quote, as `stats:<cell>` metrics (zhibu/reports/metric_catalogue.py).

Pure data (no Django): the keys are those of zhibu/stats/tables.py (a test checks every one is a cell there);
the cells of the editable 工作岗位 list are left out, their keys follow the list's order.
"""

from zhibu.stats.bands import ADMISSION_BANDS, DEVELOPED_AGE_BANDS, EDUCATION_BANDS, MEMBER_AGE_BANDS

_FIRST = {
    "start": "上年底党员总数", "increase": "本年增加党员", "developed": "本年发展党员", "restored": "本年恢复党籍",
    "transfer_in": "本年转入组织关系", "whole_in": "本年整建制转入", "decrease": "本年减少党员", "expelled": "本年出党",
    "suspended": "本年停止党籍", "died": "本年死亡党员", "transfer_out": "本年转出组织关系", "whole_out": "本年整建制转出",
    "expected": "本年底应有党员数", "actual": "本年底实有党员数", "difference": "实有数与应有数之差",
}


def _cells() -> dict[str, str]:
    cells = {f"t1.{key}": label for key, label in _FIRST.items()}
    cells.update({"t2.total": "党员总数", "t2.female": "女党员", "t2.minority": "少数民族党员", "t2.probationary": "预备党员"})
    cells.update({f"t2.{band.key}": f"{band.label}的党员" for band in MEMBER_AGE_BANDS})
    cells.update({f"t2.edu_{band.key}": f"学历为{band.label.replace('其中：', '')}的党员" for band in EDUCATION_BANDS})
    cells.update({f"t2.{band.key}": f"{band.label.replace('其中：', '')}入党的党员" for band in ADMISSION_BANDS})
    cells.update({"t3.total": "发展党员总数", "t3.female": "发展女党员", "t3.minority": "发展少数民族党员"})
    cells.update({f"t3.{band.key}": f"发展党员中{band.label}的" for band in DEVELOPED_AGE_BANDS})
    cells.update({f"t3.edu_{band.key}": f"发展党员中学历为{band.label.replace('其中：', '')}的" for band in EDUCATION_BANDS})
    cells.update({
        "t4.committees": "党委个数", "t4.general": "党总支个数", "t4.branches": "党支部个数",
        "t4.with_committee": "设支部委员会的党支部个数", "t4.groups": "党小组个数", "t4.due": "本年任期届满应换届的党组织",
        "t4.overdue": "任期已满未换届的党组织",
    })
    return cells


STATS_CELLS = _cells()
