"""Filling a masked report from the records.

Each placeholder the reader mapped is filled from the records (with the ids of the
records behind it) or from the organisation's profile; anything else is left as
【待填】 for the user, or filled with what the user typed for it (kept per organisation
and year). A figure is never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from zhibu.orgs.models import Organisation
from zhibu.reports.compute import MetricEvaluator, format_number, json_number
from zhibu.reports.metric_catalogue import Aggregation, metric_by_key
from zhibu.reports.template_reader import (
    CITY,
    LINE_OF_WORK,
    PREVIOUS_YEAR,
    REPORT_YEAR,
    UNIT_NAME,
    Placeholder,
    find_placeholders,
)

TO_FILL = "【待填】"
FILLED, NEEDS_INPUT = "filled", "needs_input"
FROM_RECORDS, FROM_PROFILE, FROM_USER = "records", "profile", "user"


@dataclass
class FilledPlaceholder:
    placeholder: Placeholder
    value: int | float | str | None = None
    text: str = TO_FILL  # what the report shows in its place
    status: str = NEEDS_INPUT
    metric: str | None = None
    evidence: list[int] = field(default_factory=list)
    source: str | None = None
    note: str = ""

    @property
    def index(self) -> int:
        return self.placeholder.index

    def as_json(self) -> dict:
        return {
            "index": self.placeholder.index,
            "context": self.placeholder.context,
            "kind": self.placeholder.kind,
            "metric": self.metric,
            "value": self.value,
            "status": self.status,
            "evidence": self.evidence,
            "source": self.source,
            "reason": self.note or self.placeholder.reason,
        }


def _profile_value(org: Organisation, field_name: str) -> str:
    """The field from the organisation, or from the nearest ancestor that has it (a branch shares its unit's)."""
    attribute = {UNIT_NAME: "unit", LINE_OF_WORK: "line_of_work", CITY: "city"}[field_name]
    for candidate in [org, *reversed(list(Organisation.objects.get_ancestors(org)))]:
        if getattr(candidate, attribute):
            return getattr(candidate, attribute)
    return ""


def _since_year(placeholder: Placeholder, manual: dict[int, str]) -> tuple[int | None, bool]:
    """The start year of the figure's period, and whether it is known."""
    if placeholder.since_year_placeholder is not None:
        typed = manual.get(placeholder.since_year_placeholder, "").strip()
        return (int(typed), True) if typed.isdigit() and len(typed) == 4 else (None, False)
    return placeholder.since_year_from_text, True


def _in_text_unit(value, metric_unit: str, text_unit: str):
    """A money figure converted to the unit the text writes after it (元 or 万元)."""
    if metric_unit == text_unit or text_unit not in ("元", "万元"):
        return value
    yuan = Decimal(value) * 10000 if metric_unit == "万元" else Decimal(value)
    return (yuan / 10000).quantize(Decimal("0.01")) if text_unit == "万元" else yuan


def fill_placeholders(org: Organisation, year: int, text: str, manual: dict[int, str] | None = None) -> list[FilledPlaceholder]:
    manual = manual or {}
    placeholders = find_placeholders(text)
    since_years = [year for p in placeholders for year in [_since_year(p, manual)[0]] if year]
    evaluator = MetricEvaluator(org, year, earliest_since=min(since_years, default=None))
    results = []
    for placeholder in placeholders:
        result = FilledPlaceholder(placeholder, metric=None)
        target = placeholder.target
        if target in (REPORT_YEAR, PREVIOUS_YEAR):
            value = year if target == REPORT_YEAR else year - 1
            result.value, result.text, result.status, result.source = value, str(value), FILLED, FROM_PROFILE
        elif target in (UNIT_NAME, LINE_OF_WORK, CITY):
            value = _profile_value(org, target)
            if value:
                result.value, result.text, result.status, result.source = value, value, FILLED, FROM_PROFILE
            else:
                result.note = "组织信息中未填写该项，请在组织资料中补充或在此手填"
        elif target is not None:
            metric = metric_by_key(target)
            result.metric = metric.key
            since, known = _since_year(placeholder, manual)
            if metric.aggregation == Aggregation.RECTIFICATION_RATE:
                result.note = "整改完成率见“上年度问题整改”一节"
            elif not known:
                result.note = "起始年份被遮盖，请先填写“……年以来”的年份"
            else:
                computed = evaluator.evaluate(metric, since=since)
                value = _in_text_unit(computed.value, metric.unit, placeholder.unit)
                result.value, result.text = json_number(value), format_number(value)
                result.status, result.source, result.evidence = FILLED, FROM_RECORDS, list(computed.evidence)
        typed = manual.get(placeholder.index, "").strip()
        if typed and result.status == NEEDS_INPUT:
            result.value, result.text, result.status, result.source = _typed_value(typed), typed, FILLED, FROM_USER
        results.append(result)
    return results


def _typed_value(typed: str):
    try:
        return json_number(Decimal(typed))
    except InvalidOperation:
        return typed


def filled_text(text: str, filled: list[FilledPlaceholder]) -> str:
    """The template with every placeholder replaced by its value or 【待填】."""
    pieces, position = [], 0
    for item in filled:
        pieces.append(text[position:item.placeholder.start])
        pieces.append(item.text)
        position = item.placeholder.end
    pieces.append(text[position:])
    return "".join(pieces)
