"""The 换届选举台账 and the two documents open in LibreOffice."""

from datetime import date

import pytest

from tests.appraisal.conftest import add_members
from zhibu.elections import services
from zhibu.elections.documents import report_docx, request_docx
from tests.libreoffice import convert_to_pdf
from zhibu.orgs import access
from zhibu.records.ledger_registry import LEDGERS, LedgerError

TODAY = date(2026, 12, 1)


@pytest.fixture
def counted(tree):
    add_members(tree.orgs.a, 2)  # five full members
    election = services.create(tree.users.secretary_a, tree.orgs.a, 1)
    for person in tree.orgs.a.people.filter(name__in=["王书记", "李党员"]):
        services.add_candidate(election, person)
    services.approve_candidates(election, date(2026, 11, 1), today=TODAY)
    services.open_meeting(election, date(2026, 11, 20), 5, today=TODAY)
    election.refresh_from_db()
    entries = {e.candidate.name: e.pk for e in election.current_round().entries.select_related("candidate")}
    services.enter_paper_ballots(election, 5, {entries["王书记"]: 4, entries["李党员"]: 1})
    services.close_round(election)
    election.refresh_from_db()
    return election


def test_libreoffice_opens_the_ledger_and_documents(tree, tmp_path, counted):
    _name, _mime, content = LEDGERS["huanjie"].produce(access.SYSTEM, tree.orgs.a, 2026)
    for name, data in (("ledger.xlsx", content), ("request.docx", request_docx(counted)), ("report.docx", report_docx(counted))):
        pdf = convert_to_pdf(data, tmp_path, filename=name)
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000, name


def test_no_ledger_without_an_election(tree):
    with pytest.raises(LedgerError, match="没有在本系统中进行的换届选举"):
        LEDGERS["huanjie"].produce(access.SYSTEM, tree.orgs.b, 2026)
