"""The claim "已整改完成": a report may make it only when last year's problems are all rectified.

Otherwise the claim is replaced by the figure from the 问题清单 ("整改完成率为88.9%（9项中完成8项）"),
and when no problems of that year were recorded, by "整改情况【待填】", since nothing backs the claim either
way (the word 整改 stays, so the year before it is still read as the year before the report year).
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as DocxDocument

from zhibu.lists.metrics import RECTIFIED_PHRASE, RateResult, may_claim_rectified, previous_year_rectification_rate, rectification_statement
from zhibu.orgs import access
from zhibu.orgs.models import Organisation
from zhibu.reports.fill import TO_FILL


@dataclass(frozen=True)
class Claim:
    rate: RateResult
    replacement: str | None  # None: the claim stands as written

    @property
    def words(self) -> str:
        return rectification_statement(self.rate)


def previous_year_claim(actor, org: Organisation, year: int, *, typed: str = "") -> Claim:
    """The claim for an organisation the actor manages (404 otherwise). `typed` is what the user wrote on the
    builder for a claim no 问题清单 item backs; it is kept."""
    rate = previous_year_rectification_rate(access.org_for(actor, org.pk), year)
    if may_claim_rectified(rate):
        return Claim(rate, None)
    if rate.total:
        return Claim(rate, rectification_statement(rate))
    return Claim(rate, f"整改情况{typed or TO_FILL}")


def apply_to_text(text: str, claim: Claim) -> str:
    return text if claim.replacement is None else text.replace(RECTIFIED_PHRASE, claim.replacement)


def apply_to_docx(document: DocxDocument, claim: Claim) -> None:
    """Replace the phrase in the runs; a phrase split across runs is rewritten into its first run."""
    if claim.replacement is None:
        return
    for paragraph in _paragraphs(document):
        if RECTIFIED_PHRASE not in paragraph.text:
            continue
        for run in paragraph.runs:
            run.text = run.text.replace(RECTIFIED_PHRASE, claim.replacement)
        if RECTIFIED_PHRASE in paragraph.text:  # split across runs
            text = paragraph.text.replace(RECTIFIED_PHRASE, claim.replacement)
            for index, run in enumerate(paragraph.runs):
                run.text = text if index == 0 else ""


def _paragraphs(document: DocxDocument):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
