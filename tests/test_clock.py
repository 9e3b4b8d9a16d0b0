"""The tests run on tests/clock.py's day, production code included, and a test can move that day."""

import threading
import time
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tests.clock import SETUP, START, TODAY, ZONE, at
from zhibu.compliance.facts import check
from zhibu.orgs import access


def test_the_clock_zone_is_the_products():
    assert str(ZONE) == settings.TIME_ZONE


def test_every_reading_of_the_clock_gives_the_fixed_day(clock):
    assert clock.today() == timezone.localdate() == datetime.now().date() == TODAY
    assert START <= timezone.now() < START + timedelta(minutes=5)
    assert TODAY.isoweekday() == 3  # a Wednesday: no weekend or Monday logic on an ordinary test's day


def test_the_clock_ticks_so_waits_and_timeouts_still_end():
    first = timezone.now()
    time.sleep(0.01)
    assert timezone.now() > first


def test_another_thread_reads_the_same_day():
    # The live server of the browser tests and the background job threads run in threads of this process.
    seen = []
    thread = threading.Thread(target=lambda: seen.append((datetime.now().date(), timezone.localdate())))
    thread.start()
    thread.join()
    assert seen == [(TODAY, TODAY)]


def test_moving_the_clock_moves_what_production_code_reads(clock):
    clock.move_to(date(2026, 12, 31))
    assert (clock.today(), timezone.localdate()) == (date(2026, 12, 31), date(2026, 12, 31))
    clock.move_to(at(date(2027, 1, 1), 0, 0, 5))
    assert timezone.localdate() == date(2027, 1, 1) and timezone.localtime().hour == 0
    clock.shift(timedelta(days=-1))
    assert timezone.localdate() == date(2026, 12, 31)


def test_the_start_of_each_test_puts_the_clock_back_on_the_fixed_day(clock):
    # What the `clock` fixture does before every test, so one test's move never leaks into the next.
    clock.move_to(date(2027, 6, 17))
    clock.reset()
    assert clock.today() == TODAY and START <= clock.now() < START + timedelta(minutes=1)


@pytest.mark.django_db
def test_what_the_migrations_wrote_is_older_than_what_a_test_writes(tree):
    # The rules' history starts with the migrations' rows: a test's change must come out as the latest entry.
    from zhibu.compliance.models import Rule

    seeded = Rule.history.latest("history_date").history_date
    rule = Rule.objects.first()
    rule.save()
    assert SETUP <= seeded < START <= Rule.history.latest("history_date").history_date
    assert Rule.history.latest("history_date").id == rule.id


@pytest.mark.django_db
def test_the_32_hour_reminder_appears_from_october_when_the_clock_says_so(tree, clock):
    # check() reads the day itself when not given one: in June nobody is reminded yet, from 1 October everyone
    # without a single 学时 this year is.
    def study_reminders():
        return [f for f in check(access.SYSTEM, tree.orgs.a, TODAY.year).findings if f.rule == "study_hours_yearly"]

    assert study_reminders() == []
    clock.move_to(date(TODAY.year, 10, 1))
    reminders = study_reminders()
    assert {f.person_id for f in reminders} == {p.pk for p in (tree.people.a_secretary, tree.people.a_member, tree.people.a_other)}
    assert all(f.status == "due" and "年底前还差32学时" in f.message for f in reminders)


@pytest.mark.real_clock
def test_a_test_marked_real_clock_reads_the_real_day(clock):
    # TODAY lies before the day the fixed clock was introduced, so the real day is always later.
    assert not clock.controlled and clock.today() > TODAY
    with pytest.raises(RuntimeError, match="real clock"):
        clock.move_to(TODAY)
