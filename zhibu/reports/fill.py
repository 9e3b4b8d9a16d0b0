"""Filling a masked report from the records.

Each placeholder the reader mapped is filled from the records (with the ids of the
records behind it) or from the organisation's profile; anything else is left as
【待填】 for the user, or filled with what the user typed for it (kept per organisation
and year). A figure is never guessed.

Filling is done for an actor: the organisation is fetched again through zhibu.orgs.access (by the
FigureEvaluator), so no caller can fill a report of an organisation its login does not manage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from datetime import date

from zhibu.lib.dates import month_end
from zhibu.orgs.models import Organisation, OrgKind
from zhibu.reports.compute import FigureEvaluator, Unanswerable, format_number, json_number
from zhibu.reports.metric_catalogue import Metric, parse_metric
from zhibu.reports.vocabulary import Vocabulary
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


def fill_placeholders(
    actor, org: Organisation, year: int, text: str, manual: dict[int, str] | None = None, *,
    today: date | None = None, placeholders: list[Placeholder] | None = None,
) -> list[FilledPlaceholder]:
    """Every placeholder of `text` (or the given `placeholders`, e.g. read from a Word file) with its value, for an
    organisation the actor manages (404 otherwise).

    A value the user typed for a placeholder is what the report shows, whether or not the records could give
    one; the computed figure is then named in the note.
    """
    manual = manual or {}
    today = today or date.today()
    placeholders = placeholders if placeholders is not None else find_placeholders(text, Vocabulary.from_database())
    since_years = [year for p in placeholders for year in [_since_year(p, manual)[0]] if year]
    evaluator = FigureEvaluator(actor, org, year, today=today, earliest=min(since_years, default=None))
    org = evaluator.org  # as fetched through access for the actor
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
            _fill_figure(result, org, year, today, placeholder, manual, evaluator)
        typed = str(manual.get(placeholder.index, "")).strip()
        if typed:
            if result.status == FILLED and result.text != typed:
                result.note = f"已采用手填的“{typed}”（按记录计算为“{result.text}”）"
            result.value, result.text, result.status, result.source = _typed_value(typed), typed, FILLED, FROM_USER
            result.evidence = []
        results.append(result)
    return results


def _resolve_metric(org: Organisation, year: int, today: date, placeholder: Placeholder, since: int | None) -> Metric:
    """The placeholder's figure for this organisation and year: its period, day and scope settled.

    Scope rule for a committee's report: a clause naming the branches ("各支部", "所属", "全局") or naming
    nothing counts the whole subtree; the committee as the subject ("党委…", "工委专题研究…") counts its own
    records only. "本人" and "党委书记" in a committee's report are a person the branches' records do not name.
    """
    metric = parse_metric(placeholder.target)
    committee = org.kind not in (OrgKind.BRANCH, OrgKind.GROUP)
    if placeholder.personal and committee:
        raise Unanswerable("委员会的述职报告中，“本人”或上级书记所讲的党课不在各支部记录的主讲人中，请填写")
    if metric.lecturer and committee and metric.scope == "own":
        raise Unanswerable("本级书记讲党课的次数无法从支部记录区分，请填写")
    if placeholder.year_in_text is not None and placeholder.year_in_text != year:
        if placeholder.year_in_text == year - 1:
            metric = metric.with_options(year=-1)
        else:
            raise Unanswerable(f"文中的{placeholder.year_in_text}年既不是述职年度也不是上一年，请填写")
    if since is not None:
        if metric.year:
            raise Unanswerable("“上年度”与“……年以来”同时出现，无法确定期间，请填写")
        if since > year:
            raise Unanswerable(f"起始年份{since}晚于述职年度{year}，请检查")
        metric = metric.with_options(since=since)
    if placeholder.as_of and metric.what in ("roster", "orgs"):
        metric = metric.with_options(on=_as_of_day(placeholder.as_of, year + (metric.year or 0), today))
    return metric


def _as_of_day(as_of: tuple, year: int, today: date) -> date:
    if as_of == ("now",):
        return min(today, date(year, 12, 31))
    named_year, month, day = as_of
    named_year = named_year or year
    if day is None:  # the end of the month
        return month_end(named_year, month)
    return date(named_year, month, day)


def _fill_figure(result, org, year, today, placeholder, manual, evaluator) -> None:
    since, known = _since_year(placeholder, manual)
    if not known:
        result.metric = placeholder.target
        result.note = "起始年份被遮盖，请先填写“……年以来”的年份"
        return
    try:
        metric = _resolve_metric(org, year, today, placeholder, since)
        result.metric = metric.key
        computed = evaluator.evaluate(metric)
    except Unanswerable as error:
        result.metric = result.metric or placeholder.target
        result.note = str(error)
        return
    except ValueError as error:  # a date named in the text that does not exist ("2月30日")
        result.metric = placeholder.target
        result.note = f"文中的日期有误（{error}），请填写"
        return
    value = computed.value
    if metric.what == "amount":
        value = _in_text_unit(value, "元", placeholder.unit)
    result.value, result.text = json_number(value), format_number(value)
    result.status, result.source, result.evidence = FILLED, FROM_RECORDS, list(computed.evidence)


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
