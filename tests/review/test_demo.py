"""The demo's finished review of last year: twenty ballots, every secretary scored, comments waiting."""

from datetime import date

from django.db import transaction

from zhibu.demo.build import COMMITTEE_NAME, build_demo
from zhibu.review.models import Grade, ReviewSession, Status
from zhibu.ballots.models import Receipt
from zhibu.review.results import session_results

TODAY = date(2026, 3, 15)


def _build_and_summarise():
    """Build the demo in a transaction that is rolled back, and return what the review looks like."""
    with transaction.atomic():
        logins = build_demo(today=TODAY)
        session = ReviewSession.objects.get(committee__name=COMMITTEE_NAME)
        results = session_results(session, with_comments=True)
        summary = {
            "session": (session.year, session.status, session.closed_on),
            "receipts": Receipt.objects.filter(poll=session.poll).count(),
            "results": [(r.reportee.branch.name, r.reportee.secretary_name, r.count_list(), r.compliance, r.total, r.band, r.rank)
                        for r in results],
            "comments": sorted(g.comment for g in Grade.objects.with_comment()),
            "logins": [login.username for login in logins],
        }
        transaction.set_rollback(True)
    return summary


def test_the_demo_has_last_years_finished_review_and_builds_the_same_twice(db):
    first = _build_and_summarise()
    assert first["session"] == (2025, Status.ENDED, date(2026, 1, 20))
    assert first["receipts"] == 20
    assert len(first["results"]) == 5
    for branch, secretary, counts, compliance, total, band, rank in first["results"]:
        assert sum(counts) == 20 and secretary and compliance is not None and total is not None and band and rank
    assert first["comments"]  # some comments are there to turn into this year's 问题清单
    # The voters' logins cannot sign in and are not handed out: the demo's logins are the usual ones.
    assert not any(name.startswith("pingyi") for name in first["logins"]) and "dy1" in first["logins"]
    assert _build_and_summarise() == first
