"""The rectification rate (整改完成率) of the 问题清单, for pages, ledgers and the 述职报告.

This is how the report figure `rectification:rate` (zhibu.reports.metric_catalogue,
"上年度问题整改完成率") is counted.

The report engine calls `previous_year_rectification_rate` for the figure
"上年度问题整改完成率" and `rectification_statement` for the words: the report
may say "已整改完成" only when every problem is done; otherwise it states the figure.

Callers pass an organisation they have already fetched through zhibu.orgs.access.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from zhibu.lists.models import ListItem, ListKind, Status
from zhibu.orgs.models import Organisation

RECTIFIED_PHRASE = "已整改完成"
_ONE_DECIMAL = Decimal("0.1")
_BELOW_100 = Decimal("99.9")


@dataclass(frozen=True)
class RateResult:
    """Problems raised in a year, how many were done by a day, and the share in percent.

    `rate` is None when there were no problems (nothing to divide). It is rounded
    to one decimal as usual (8 of 9: 88.9), except that it never rounds up to 100
    while a problem is open: 2499 of 2500 is 99.9.
    """

    total: int
    done: int
    rate: Decimal | None
    item_ids: tuple[int, ...]
    open_item_ids: tuple[int, ...]

    @property
    def all_done(self) -> bool:
        return self.total > 0 and self.done == self.total


def _rate(rows: Iterable[tuple[int, str, date | None]], as_of: date) -> RateResult:
    """The rate over (id, status, completed_on) rows: done means 已完成 on or before `as_of`."""
    item_ids, open_ids = [], []
    for item_id, status, completed_on in rows:
        item_ids.append(item_id)
        if not (status == Status.DONE and completed_on and completed_on <= as_of):
            open_ids.append(item_id)
    total, done = len(item_ids), len(item_ids) - len(open_ids)
    rate = None
    if total:
        rate = (Decimal(done * 100) / Decimal(total)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
        if done < total:
            rate = min(rate, _BELOW_100)
    return RateResult(total, done, rate, tuple(item_ids), tuple(open_ids))


def _problem_rows(year: int):
    return (
        ListItem.objects.filter(kind=ListKind.PROBLEM, year=year)
        .order_by("id")
        .values_list("id", "status", "completed_on")
    )


def rectification_rate(org: Organisation, year: int, *, as_of: date | None = None, subtree: bool = True) -> RateResult:
    """Problem-list items raised in `year` for `org` (and below it, with subtree), done by `as_of` (default today).

    An item reopened after `as_of` counts as not done: the reopening says the earlier close was premature.
    """
    items = _problem_rows(year)
    items = items.filter(org__path__startswith=org.path) if subtree else items.filter(org=org)
    return _rate(items, as_of or date.today())


def rectification_rates(orgs: Iterable[Organisation], year: int, *, as_of: date | None = None) -> dict[int, RateResult]:
    """rectification_rate(org, year, subtree=True) for many organisations, in one query (org id → result)."""
    orgs = list(orgs)
    if not orgs:
        return {}
    rows = list(
        _problem_rows(year)
        .filter(org__in=Organisation.objects.subtree_of(*orgs))
        .values_list("id", "status", "completed_on", "org__path")
    )
    as_of = as_of or date.today()
    return {
        org.pk: _rate(((i, s, c) for i, s, c, path in rows if path.startswith(org.path)), as_of)
        for org in orgs
    }


def previous_year_rectification_rate(
    org: Organisation, report_year: int, *, today: date | None = None, subtree: bool = True
) -> RateResult:
    """上年度问题整改完成率: the problems of `report_year - 1`, done by the end of the report year (or today, if earlier)."""
    today = today or date.today()
    return rectification_rate(org, report_year - 1, as_of=min(date(report_year, 12, 31), today), subtree=subtree)


def may_claim_rectified(result: RateResult) -> bool:
    """Whether a report may write "已整改完成": only when every problem of the year is done."""
    return result.all_done


def format_rate(rate: Decimal) -> str:
    """80.0 → "80%", 66.6 → "66.6%"."""
    text = f"{rate:f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def rectification_statement(result: RateResult) -> str:
    """The words a report uses: "已整改完成" at 100%, otherwise the figure, e.g. "整改完成率为80%（5项中完成4项）"."""
    if result.total == 0:
        return "问题清单中没有登记该年度的问题"
    if may_claim_rectified(result):
        return RECTIFIED_PHRASE
    return f"整改完成率为{format_rate(result.rate)}（{result.total}项中完成{result.done}项）"
