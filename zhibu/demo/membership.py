"""The demo's membership changes: one internal transfer, one 转出 letter awaiting its receipt, one 流动党员."""

from __future__ import annotations

from datetime import date, timedelta

from zhibu.orgs import membership
from zhibu.orgs.membership import Change
from zhibu.orgs.models import Category, Organisation, Person


def _plain_member(branch: Organisation) -> Person:
    """The branch's last-registered full member with no post, no login and not a leading cadre."""
    return (
        Person.objects.filter(branch=branch, category=Category.FULL, posts__isnull=True, user__isnull=True,
                              is_leading_cadre=False)
        .order_by("-id").first()
    )


def build_membership(rng, today: date, orgs: dict[str, Organisation]) -> None:
    first, second, third = orgs["机关第一党支部"], orgs["机关第二党支部"], orgs["统计执法监督党支部"]
    mover = _plain_member(second)
    membership.record_event(mover, Change("内部转接", today - timedelta(days=140), target=first,
                                          reason="工作调动至办公室"), today=today)
    leaver = _plain_member(first)
    membership.record_event(leaver, Change(
        "转出", today - timedelta(days=25), other_party="中共某市发展和改革委员会机关委员会",
        dues_paid_to=f"{today.replace(day=1) - timedelta(days=1):%Y-%m}",
        reason="调任某市发展和改革委员会"), today=today)
    away = _plain_member(third)
    membership.record_event(away, Change("外出流动", today - timedelta(days=100),
                                         other_party="深圳市南山区某街道流动党员党支部", reason="借调外地工作"), today=today)
