"""Helpers for points tests: the example scheme as the migration loads it, and records with a roll."""

from datetime import date
from decimal import Decimal

import pytest

from tests.records.conftest import make_record  # noqa: F401  (re-exported for the tests here)
from zhibu.points.models import PointAdjustment, PointScheme

YEAR = 2025


@pytest.fixture
def example(db) -> PointScheme:
    """The default scheme the data migration loaded (the domain's Example A with B's deductions)."""
    return PointScheme.objects.get(org__isnull=True)


def adjust(person, points, reason="在党刊发表文章", day=date(YEAR, 6, 1)):
    return PointAdjustment.objects.create(person=person, date=day, points=Decimal(str(points)), reason=reason)
