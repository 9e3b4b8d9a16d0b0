"""What the compliance pages show, computed from one CheckResult."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from zhibu.compliance.engine import (
    Finding, Period, committee_threshold, counted_meetings, frequency_scopes, periods,
)
from zhibu.compliance.facts import CheckResult
from zhibu.compliance.rules import VIOLATION

OK, BAD, DUE, FUTURE, NOT_APPLICABLE = "ok", "bad", "due", "future", "na"
CELL_WORDS = {OK: "无问题", BAD: "有违规", DUE: "待完成", FUTURE: "未到", NOT_APPLICABLE: "不适用"}


def month_of(finding: Finding, year: int, today: date) -> int:
    """The grid month of a finding: its own month, the last month of its quarter, or for a whole year
    the current month while the year runs (it is due or found now) and December once it is over."""
    label = finding.period
    if "-Q" in label:
        return min(int(label[-1]) * 3, today.month) if year == today.year else int(label[-1]) * 3
    if "-" in label:
        return int(label[5:7])
    return today.month if year == today.year else 12


@dataclass
class Cell:
    month: int
    state: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def words(self) -> str:
        return CELL_WORDS[self.state]

    @property
    def title(self) -> str:
        return "；".join(f.message for f in self.findings) or self.words


@dataclass
class Row:
    branch_id: int
    name: str
    cells: list[Cell]
    score_points: int
    score_possible: int
    score_percent: int


def grid(result: CheckResult, only: set[int] | None = None) -> list[Row]:
    """Branch × month: red where a period ending that month was missed, amber where something is due
    (for the branches in `only`, default all)."""
    rows = []
    last_month_begun = 12 if result.year < result.today.year else result.today.month
    shown = [(b, score) for b, score in zip(result.branches, result.scores()) if only is None or b.id in only]
    for branch, score in shown:
        by_month: dict[int, list[Finding]] = {}
        for finding in result.for_branch(branch.id):
            by_month.setdefault(month_of(finding, result.year, result.today), []).append(finding)
        cells = []
        for month in range(1, 13):
            found = by_month.get(month, [])
            if result.year > result.today.year or (result.year == result.today.year and month > last_month_begun):
                state = FUTURE
            elif any(f.severity == VIOLATION and f.status == "missed" for f in found):
                state = BAD
            elif found:
                state = DUE
            else:
                state = OK
            cells.append(Cell(month, state, found))
        rows.append(Row(branch.id, branch.name, cells, score.points, score.possible, score.percent))
    return rows


@dataclass
class CalendarLine:
    rule_title: str
    cells: list[tuple[str, str, list[int]]]  # (state, text, evidence ids) per period


def branch_calendar(result: CheckResult, branch_id: int) -> list[CalendarLine]:
    """Per frequency rule (and group), each period of the year: done (how many), missed, due or not begun."""
    branch = next(b for b in result.branches if b.id == branch_id)
    findings = {(f.rule, f.period, f.group_id): f for f in result.for_branch(branch_id)}
    lines = []
    threshold = committee_threshold(result.rules_for(branch_id))
    for rule in result.rules_for(branch_id):
        if rule.kind != "frequency":
            continue
        for org_id, who in frequency_scopes(rule, branch):
            group_id = org_id if org_id != branch.id else None
            cells = []
            for period in periods(result.year, rule.period):
                finding = findings.get((rule.key, period.label, group_id))
                held = [m.id for m in counted_meetings(rule, branch, period, result.today, org_id)]
                name = short_label(period)
                if period.start > result.today:
                    cells.append((FUTURE, name, held))
                elif rule.params.get("needs_committee") and branch.full_members_on(period.start) < threshold:
                    cells.append((NOT_APPLICABLE, f"{name} 不适用", held))
                elif finding and finding.status == "due":
                    cells.append((DUE, f"{name} 待完成", held))
                elif finding and finding.severity == VIOLATION:
                    cells.append((BAD, f"{name} 缺", held))
                else:
                    cells.append((OK, f"{name} {len(held)}次", held))
            lines.append(CalendarLine(f"{who}{rule.title}" if who else rule.title, cells))
    return lines


def short_label(period: Period) -> str:
    if "-Q" in period.label:
        return f"{period.label[-1]}季度"
    if "-" in period.label:
        return f"{period.start.month}月"
    return "全年"
