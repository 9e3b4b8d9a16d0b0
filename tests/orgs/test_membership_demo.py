"""The demo shows one internal transfer, one letter awaiting its receipt and one 流动党员."""

from datetime import date

from zhibu.demo.build import build_demo
from zhibu.orgs import membership
from zhibu.orgs.models import EventKind, MembershipEvent

TODAY = date(2026, 11, 25)


def test_the_demo_shows_the_membership_changes(db):
    build_demo(today=TODAY)
    internal = MembershipEvent.objects.get(kind=EventKind.INTERNAL)
    assert internal.person.branch.name == "机关第一党支部" and internal.org.name == "机关第二党支部"
    letter = MembershipEvent.objects.get(kind=EventKind.TRANSFER_OUT)
    assert letter.receipt_on is None and not letter.overdue(TODAY) and letter.dues_paid_to == "2026-10"
    assert not membership.on_roll(letter.person)
    away = MembershipEvent.objects.get(kind=EventKind.AWAY)
    assert membership.state_on(away.person, TODAY)[EventKind.AWAY] == away and membership.on_roll(away.person)
