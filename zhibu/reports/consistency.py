"""Checking a report already written by hand: does each figure agree with the records?

The written figures are turned back into masks of the same length ("召开党员大会12次" →
"召开党员大会**次"), so the same reader maps them, and the positions stay those of the
original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from zhibu.orgs.models import Organisation
from zhibu.reports.compute import format_number
from zhibu.reports.fill import FILLED, fill_placeholders

# A number written before a unit the reader knows; "2023年以来" keeps its year (it sets a period).
_WRITTEN_FIGURE = re.compile(r"\d+(?:\.\d+)?(?=(?:万元|元|人次|次|份|批|场|期|人|名|个|%|％))")

_WHOLE_CELL_NUMBER = re.compile(r"(?m)^\d+(?:\.\d+)?$")

AGREES, DIFFERS, UNKNOWN = "agrees", "differs", "unknown"


@dataclass(frozen=True)
class Comparison:
    index: int
    context: str
    written: str
    recorded: str | None
    metric: str | None
    verdict: str
    evidence: tuple[int, ...]

    @property
    def verdict_words(self) -> str:
        return {AGREES: "一致", DIFFERS: "不一致", UNKNOWN: "无法核对"}[self.verdict]


def compare_written_report(actor, org: Organisation, year: int, text: str, *, docx: bytes | None = None,
                           today=None) -> list[Comparison]:
    """The written figures against the records of an organisation the actor manages (404 otherwise). `docx` is
    the Word file `text` was read from: figures in its table cells are read with their headings, as the builder
    reads a template."""
    written = {match.start(): match.group() for match in _WRITTEN_FIGURE.finditer(text)}
    placeholders = headings = None
    if docx is not None:
        import io

        from docx import Document

        from zhibu.reports.template_reader import docx_headings

        headings = docx_headings(Document(io.BytesIO(docx)))
        # A table cell holding only a number is a figure too; its unit is in the headings.
        for match in _WHOLE_CELL_NUMBER.finditer(text):
            if headings.cell_at(match.start()):
                written[match.start()] = match.group()
    masked = list(text)
    for start, figure in written.items():
        masked[start:start + len(figure)] = "*" * len(figure)
    masked = "".join(masked)
    if headings is not None:
        from zhibu.reports.template_reader import find_placeholders
        from zhibu.reports.vocabulary import Vocabulary

        placeholders = find_placeholders(masked, Vocabulary.from_database(), headings=headings)
    comparisons = []
    for item in fill_placeholders(actor, org, year, masked, today=today, placeholders=placeholders):
        placeholder = item.placeholder
        figure = written.get(placeholder.start)
        if figure is None:
            continue  # a mask that was already in the text, not a written figure
        context = text[max(placeholder.start - 20, 0):placeholder.end + 20]
        if item.status != FILLED or item.source != "records":
            comparisons.append(Comparison(placeholder.index, context, figure, None, item.metric, UNKNOWN, ()))
            continue
        agrees = Decimal(figure) == Decimal(str(item.value))
        comparisons.append(Comparison(
            placeholder.index, context, figure, format_number(Decimal(str(item.value))), item.metric,
            AGREES if agrees else DIFFERS, tuple(item.evidence),
        ))
    return comparisons
