"""A report may quote any cell of the 党内统计 tables; the roster figures are the same counts."""

from datetime import date

from zhibu.orgs import access
from zhibu.reports.compute import FigureEvaluator
from zhibu.reports.metric_catalogue import parse_metric
from zhibu.stats.catalogue import STATS_CELLS
from zhibu.stats.tables import Statistics

TODAY = date(2026, 3, 1)


def test_every_catalogued_cell_is_a_cell_and_a_report_quotes_it(unit):
    stats = Statistics(unit.committee, 2025, today=TODAY)
    cells = {cell.key: cell.value for table in stats.tables for cell in table.cells()}
    assert set(STATS_CELLS) <= set(cells)
    evaluator = FigureEvaluator(access.SYSTEM, unit.committee, 2025, today=TODAY)
    for key in ("t1.start", "t1.died", "t1.transfer_in", "t3.minority", "t3.total", "t4.overdue"):
        metric = parse_metric(f"stats:{key}")
        assert evaluator.evaluate(metric).value == cells[key], key
        assert "党内统计" in metric.label()
    assert evaluator.evaluate(parse_metric("stats:t1.actual|year=-1")).value == cells["t1.start"]
    assert evaluator.evaluate(parse_metric("roster:members")).value == cells["t2.total"] == 6
    assert evaluator.evaluate(parse_metric("roster:probationary")).value == cells["t2.probationary"]
    assert evaluator.evaluate(parse_metric("roster:female")).value == cells["t2.female"]


def test_a_cell_of_a_fact_not_filled_in_for_everyone_is_not_quoted(unit):
    import pytest

    from zhibu.orgs.models import Person
    from zhibu.reports.compute import Unanswerable

    with pytest.raises(Unanswerable, match="未填"):
        FigureEvaluator(access.SYSTEM, unit.committee, 2025, today=TODAY).evaluate(parse_metric("stats:t2.minority"))
    Person.objects.filter(ethnicity="").update(ethnicity="汉族")
    assert FigureEvaluator(access.SYSTEM, unit.committee, 2025, today=TODAY).evaluate(parse_metric("stats:t2.minority")).value == 1
