"""The clock the tests run on: a fixed day, so no result depends on the day the suite happens to run.

Every test starts at START, TODAY at 10:00 in the product's time zone, and the clock ticks from there (the live
server, timeouts and the browser's waits need time to move). Outside the tests (the migrations, session- and
module-wide fixtures) the clock reads SETUP, two hours earlier, so whatever they write is older than anything a
test writes (a history's latest entry is the test's own). time-machine patches the C-level clock of the
whole process, every thread included, so `date.today()` and `timezone.now()` in production code, in the live
server of the browser tests and in the background job threads all read the same day.

TODAY is Wednesday 17 June 2026: a working day in mid-year, in the second quarter and the first half, away
from a month's, a quarter's and the year's edges and before the October reminders, so a test that does not
name a day sees the ordinary behaviour. It lies before the day this clock was introduced, so the real clock is
always later than TODAY (a process started by a test, which reads the real clock, never sees a date earlier
than the rows a test wrote).

A test that needs another day moves the clock through the `clock` fixture: `clock.move_to(date(2026, 10, 9))`
(that day at 10:00) or `clock.move_to(at(day, 14, 30))`. A test whose work crosses into processes of its own
(`zhibu serve`, `zhibu worker`), which read the real clock, marks itself `@pytest.mark.real_clock` and runs on
the real clock.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

ZONE = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE; tests/test_clock.py checks they agree
TODAY = date(2026, 6, 17)
LAST_YEAR = TODAY.year - 1
START_TIME = time(10, 0)


def at(day: date, hour: int = START_TIME.hour, minute: int = 0, second: int = 0) -> datetime:
    """The instant `day` at hour:minute in the product's time zone (aware, as the models store it)."""
    return datetime.combine(day, time(hour, minute, second), tzinfo=ZONE)


START = at(TODAY)
SETUP = at(TODAY, 8)


class Clock:
    """The process's clock while the tests run: travelling to START, moved by a test that needs another day."""

    def __init__(self) -> None:
        self._travel: time_machine.travel | None = None
        self._traveller: time_machine.Traveller | None = None

    def start(self, when: datetime = SETUP) -> None:
        self._travel = time_machine.travel(when, tick=True)
        self._traveller = self._travel.start()

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
        self._travel = self._traveller = None

    @property
    def controlled(self) -> bool:
        return self._traveller is not None

    def reset(self, when: datetime = START) -> None:
        """Back to START, as every test begins (or to SETUP, as every test ends)."""
        self.move_to(when)

    def move_to(self, when: date | datetime) -> None:
        """Go to `when` (a day means that day at START_TIME) and keep ticking from there."""
        if self._traveller is None:
            raise RuntimeError("this test runs on the real clock (@pytest.mark.real_clock) and cannot move it")
        instant = when if isinstance(when, datetime) else at(when)
        if instant.tzinfo is None:
            raise ValueError("give an aware datetime (tests.clock.at) or a date")
        self._traveller.move_to(instant, tick=True)

    def shift(self, delta: timedelta) -> None:
        """Jump forwards (or, with a negative delta, back) by `delta`."""
        if self._traveller is None:
            raise RuntimeError("this test runs on the real clock (@pytest.mark.real_clock) and cannot move it")
        self._traveller.shift(delta)

    @staticmethod
    def today() -> date:
        """The day production code sees now (TODAY unless the test moved the clock)."""
        return date.today()

    @staticmethod
    def now() -> datetime:
        """The instant production code sees now, aware in the product's time zone."""
        return datetime.now(ZONE)


CLOCK = Clock()
