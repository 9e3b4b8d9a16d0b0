"""The 民主评议结果台账 opens in LibreOffice, lists every participant, and hides tallies below the minimum."""

import io
from datetime import date

import docx
import pytest
from openpyxl import load_workbook

from tests.appraisal.conftest import TODAY, YEAR, add_members, grade_all
from zhibu.appraisal import services
from tests.libreoffice import convert_to_pdf
from zhibu.orgs import access
from zhibu.orgs.models import Category
from zhibu.records.ledger_registry import LEDGERS, LedgerError


def _finished(tree, min_ballots):
    add_members(tree.orgs.a, 1, prefix="预备", category=Category.PROBATIONARY)
    appraisal = services.create(tree.users.secretary_a, tree.orgs.a, YEAR, min_ballots=min_ballots)
    services.open_voting(appraisal)
    grade_all(appraisal, tree.users.member_a, overrides={"王书记": "优秀"})
    services.close_voting(appraisal)
    decisions = {p.pk: ("合格", "", None) for p in appraisal.participants.filter(graded=True)}
    decisions[appraisal.participants.get(name="赵同志").pk] = ("不合格", "限期改正", date(2027, 6, 1))
    services.evaluate(tree.users.secretary_a, appraisal, decisions, date(2026, 11, 30), today=TODAY)
    return appraisal


@pytest.mark.parametrize("identifier", ["minzhu_pingyi", "minzhu_pingyi_docx"])
def test_libreoffice_opens_the_results_ledger(tree, tmp_path, identifier):
    _finished(tree, 1)
    filename, _mimetype, content = LEDGERS[identifier].produce(access.SYSTEM, tree.orgs.a, YEAR)
    pdf = convert_to_pdf(content, tmp_path, filename=f"ledger{LEDGERS[identifier].extension}")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000


def test_the_ledger_rows_and_the_minimum(tree):
    _finished(tree, 5)
    _name, _mime, content = LEDGERS["minzhu_pingyi"].produce(access.SYSTEM, tree.orgs.a, YEAR)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    text = "\n".join(str(cell) for row in rows for cell in row if cell is not None)
    assert "预备0" in text and "不评定" in text and "限期改正" in text and "2027-06-01" in text
    assert "选票少于5张，为保护投票秘密不列测评票数" in text
    _name, _mime, content = LEDGERS["minzhu_pingyi_docx"].produce(access.SYSTEM, tree.orgs.a, YEAR)
    document = docx.Document(io.BytesIO(content))
    assert len(document.tables[0].rows) == 5  # header + 4 participants


def test_no_ledger_before_the_organisation_has_graded(tree):
    appraisal = services.create(tree.users.secretary_a, tree.orgs.a, YEAR)
    services.open_voting(appraisal)
    with pytest.raises(LedgerError, match="组织评定后才有结果"):
        LEDGERS["minzhu_pingyi"].produce(access.SYSTEM, tree.orgs.a, YEAR)
    with pytest.raises(LedgerError, match="按党支部生成"):
        LEDGERS["minzhu_pingyi"].produce(access.SYSTEM, tree.orgs.committee, YEAR)
