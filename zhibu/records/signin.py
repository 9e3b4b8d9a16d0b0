"""Members signing in to a meeting themselves, with a short code shown at the door.

A manager opens a window (SignInWindow) for a record of today or a planned meeting; a member types the code
(or follows the QR link carrying it) and becomes 出席 with the time kept in Attendance.signed_in_at.

Why each rule:
- only those due at the meeting (the type's circle, as for 应到, plus the record's own list) may sign in, so a
  code passed to another branch changes nothing;
- a 请假 already recorded is replaced only after the member confirms: the leave was asked for on purpose;
- ending a window marks nobody absent: someone may have signed the paper sheet instead. The manager marks
  absent explicitly, choosing whom among those neither signed in nor entered by hand (mark_absent), and may
  take it back (undo_mark_absent);
- nobody is 出席 by the system: a new record of today lists nobody until they sign in or are entered;
- wrong codes are counted per login in a table (not the cache, which is per process): 10 in 10 minutes and
  the login waits until the oldest of them is 10 minutes old. A million codes, a handful running at a time,
  so guessing one takes on the order of 10^5 tries — months at this pace.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhibu.orgs.models import Person, option_on
from zhibu.records.attendance import Rosters
from zhibu.records.models import Activity, Attendance, SignInFailure, SignInWindow, Status

CODE_DIGITS = 6
OPENS_BEFORE_START = timedelta(minutes=30)
CLOSES_AFTER_START = timedelta(hours=2)
WRONG_CODE_LIMIT = 10
WRONG_CODE_PERIOD = timedelta(minutes=10)
# A code of a window that ended longer ago than this is "wrong", not "ended": nobody is still at that door.
ENDED_CODES_RECOGNISED_FOR = timedelta(days=1)


class SignInRefused(Exception):
    """Why a sign-in was not taken, in words for the member."""


def local_time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def day_bounds(activity: Activity) -> tuple[datetime, datetime]:
    """The meeting's day, first and last minute, in local time."""
    start = timezone.make_aware(datetime.combine(activity.date, time(0, 0)))
    return start, start + timedelta(days=1, minutes=-1)


def default_window(activity: Activity) -> tuple[datetime, datetime]:
    """From 30 minutes before the start to 2 hours after it, within the day; the whole day without a start time."""
    first, last = day_bounds(activity)
    if activity.start_time is None:
        return first, last
    start = timezone.make_aware(datetime.combine(activity.date, activity.start_time))
    return max(first, start - OPENS_BEFORE_START), min(last, start + CLOSES_AFTER_START)


def can_open(activity: Activity, today) -> str | None:
    """Why sign-in cannot be opened for this record, or None."""
    if not activity.type.takes_attendance:
        return f"“{activity.type.name}”不登记出席情况，无需签到"
    if activity.date < today:
        return "只能为今天或以后的会议开启签到；已开过的会议请在“编辑”中登记出席情况"
    if not option_on(activity.org, "sign_in"):
        return "本单位没有使用签到（可在组织页面的“可选功能”中开启）；请在“编辑”中登记出席情况"
    return None


def current_window(activity: Activity) -> SignInWindow | None:
    return activity.sign_in_windows.order_by("-opens_at", "-pk").first()


def _end_expired(now: datetime) -> None:
    """Release the codes of windows whose time is over, so the code space stays free for new ones."""
    SignInWindow.objects.filter(ended_at__isnull=True, closes_at__lt=now).update(ended_at=F("closes_at"))


def open_window(activity: Activity, *, opens_at: datetime, closes_at: datetime, user, now: datetime | None = None) -> SignInWindow:
    """A new window with a random code no running window holds; a running window of the record is ended first."""
    now = now or timezone.now()
    with transaction.atomic():
        _end_expired(now)
        SignInWindow.objects.filter(activity=activity, ended_at__isnull=True).update(ended_at=now)
        while True:
            code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
            try:
                with transaction.atomic():  # a clash rolls back this insert only, and we draw again
                    return SignInWindow.objects.create(activity=activity, code=code, opens_at=opens_at,
                                                       closes_at=closes_at, opened_by=user)
            except IntegrityError:
                continue


def end_window(window: SignInWindow, now: datetime | None = None) -> None:
    if window.ended_at is None:
        window.ended_at = min(now or timezone.now(), window.closes_at)
        window.save(update_fields=["ended_at"])


def due_people(activity: Activity, rosters: Rosters | None = None) -> list[Person]:
    """Who may sign in: the type's circle (as 应到 counts it) and everyone on the record's own list."""
    due = {person.pk: person for person in (rosters or Rosters()).circle(activity)}
    for row in activity.attendance.select_related("person"):
        due.setdefault(row.person_id, row.person)
    return list(due.values())


def normalise_code(text: str) -> str:
    """Digits as typed on a phone: full-width digits and spaces are fine."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _reserve_attempt(user, now: datetime) -> SignInFailure:
    """Count this attempt as a wrong code before looking at it, or refuse it when the limit is reached.

    The login's row is locked while counting, so guesses sent at once are counted one after another and no more
    than WRONG_CODE_LIMIT of them are ever looked at; an attempt that turns out not to be a wrong code is
    uncounted afterwards (forget_attempt).
    """
    from django.contrib.auth import get_user_model

    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        SignInFailure.objects.filter(user=user, at__lte=now - WRONG_CODE_PERIOD).delete()
        recent = SignInFailure.objects.filter(user=user, at__gt=now - WRONG_CODE_PERIOD).order_by("at")
        if recent.count() >= WRONG_CODE_LIMIT:
            free_at = recent.first().at + WRONG_CODE_PERIOD
            raise SignInRefused(f"签到码输错次数过多，请于 {local_time(free_at)} 后再试；如签到码无误，请联系会议组织者")
        return SignInFailure.objects.create(user=user, at=now)


def find_window(code: str, now: datetime) -> SignInWindow | None:
    """The running window with this code, else one that ended lately (to say so), else None."""
    windows = SignInWindow.objects.filter(code=code, closes_at__gte=now - ENDED_CODES_RECOGNISED_FOR)
    return windows.select_related("activity__type", "activity__org").order_by(
        F("ended_at").desc(nulls_first=True), "-opens_at").first()


@dataclass
class Outcome:
    activity: Activity
    attendance: Attendance | None = None  # None: waiting for the member to confirm replacing their leave
    leave_reason: str = ""

    @property
    def needs_confirmation(self) -> bool:
        return self.attendance is None


def sign_in(user, person: Person, code_text: str, *, replace_leave: bool = False, now: datetime | None = None) -> Outcome:
    """Sign `person` (the login's own person) in with a code; SignInRefused says why not."""
    now = now or timezone.now()
    attempt = _reserve_attempt(user, now)
    code = normalise_code(code_text)
    if not (len(code) == CODE_DIGITS and code.isdigit()):
        attempt.delete()
        raise SignInRefused(f"请输入{CODE_DIGITS}位数字的签到码（投影或签到二维码下方的数字）")
    window = find_window(code, now)
    if window is None:
        raise SignInRefused(f"签到码 {code} 不正确，请核对投影上的{CODE_DIGITS}位数字后重新输入")
    attempt.delete()  # a code that exists: whatever follows, it was not a guess
    activity = window.activity
    if person.pk not in {due.pk for due in due_people(activity)}:
        raise SignInRefused("您不在这次会议的应到人员中（会议属于其他支部或党小组），无需签到；如有疑问请联系支部书记")
    if now < window.opens_at and window.ended_at is None:
        raise SignInRefused(f"签到尚未开始，{timezone.localtime(window.opens_at):%m月%d日 %H:%M} 起可以签到")
    if not window.is_open(now):
        raise SignInRefused("本次会议的签到已结束；如您已到会，请告知会议组织者登记")
    with transaction.atomic():
        row = Attendance.objects.select_for_update().filter(activity=activity, person=person).first()
        if row and row.signed_in_at:
            raise SignInRefused(f"您已于 {local_time(row.signed_in_at)} 签到，无需重复签到")
        if row and row.status == Status.LEAVE and not replace_leave:
            return Outcome(activity, None, row.reason)
        if row is None:
            row = Attendance(activity=activity, person=person)
        row.status, row.reason, row.signed_in_at = Status.PRESENT, "", now
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # the same member tapped twice at once: the other tap signed them in
            raise SignInRefused("您已签到，无需重复签到") from None
    return Outcome(activity, row)


def not_signed_in(activity: Activity) -> list[tuple[Person, Attendance | None]]:
    """Those due who did not sign in and are not on leave, with their row if it was typed by hand."""
    rows = {row.person_id: row for row in activity.attendance.all()}
    result = []
    for person in due_people(activity):
        row = rows.get(person.pk)
        if row is None or (row.signed_in_at is None and row.status != Status.LEAVE):
            result.append((person, row))
    return result


def not_entered(activity: Activity) -> list[Person]:
    """Those due who neither signed in nor were entered by hand: the only ones "标为缺席" may mark.

    Someone already on the roll (present, on leave or absent, typed by hand or imported) was decided by a
    person; marking absent never overrides that.
    """
    listed = set(activity.attendance.values_list("person_id", flat=True))
    return [person for person in due_people(activity) if person.pk not in listed]


def mark_absent(activity: Activity, person_ids: set[int]) -> list[int]:
    """Mark the chosen people among those not entered as 缺席; returns whom it marked (for undoing)."""
    marked = []
    with transaction.atomic():
        for person in not_entered(activity):
            if person.pk in person_ids:
                Attendance.objects.create(activity=activity, person=person, status=Status.ABSENT)
                marked.append(person.pk)
    return marked


def undo_mark_absent(activity: Activity, person_ids: list[int]) -> int:
    """Take back a marking: remove the 缺席 rows it added, unless someone changed them since (signed in, leave)."""
    with transaction.atomic():
        rows = activity.attendance.filter(person_id__in=person_ids, status=Status.ABSENT, signed_in_at__isnull=True,
                                          reason="")
        removed = 0
        for row in rows:
            row.delete()  # one by one, so each removal is in the history
            removed += 1
    return removed
