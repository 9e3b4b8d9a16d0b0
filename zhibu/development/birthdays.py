"""Political birthdays (政治生日): the anniversary of the branch meeting that admitted a member (入党日期)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhibu.orgs.models import MEMBER_CATEGORIES, Person
from zhibu.orgs.people import by_strokes
from zhibu.records.models import Activity, ActivityType, Attendance, Status

BIRTHDAY_TYPE = "政治生日"


@dataclass(frozen=True)
class PoliticalBirthday:
    person: Person
    day: date
    years: int  # completed years since admission on that day


@dataclass(frozen=True)
class BirthdayMonth:
    year: int
    month: int
    birthdays: list[PoliticalBirthday]

    @property
    def title(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def people_param(self) -> str:
        """The ids for a new 政治生日 record's roll (records/new/?people=…): those honoured are listed as 出席."""
        return ",".join(str(birthday.person.pk) for birthday in self.birthdays)


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def birthdays_in(people, year: int, month: int) -> BirthdayMonth:
    """Members of ``people`` whose political birthday falls in ``month`` of ``year``, by day then surname strokes.

    The year of admission itself is no anniversary; 29 February is kept on
    28 February in common years (Person.political_birthday).
    """
    candidates = people.filter(category__in=MEMBER_CATEGORIES, admitted_on__month=month, admitted_on__year__lt=year)
    found = [PoliticalBirthday(person, person.political_birthday(year), year - person.admitted_on.year)
             for person in by_strokes(candidates)]
    return BirthdayMonth(year, month, sorted(found, key=lambda birthday: birthday.day))


def this_and_next_month(people, today: date) -> list[BirthdayMonth]:
    return [birthdays_in(people, today.year, today.month), birthdays_in(people, *_month_after(today.year, today.month))]


def branch_members(branch):
    """Those on the branch's roll now: someone transferred out, expelled or dead keeps Person.branch but is no longer
    honoured there."""
    return Person.objects.filter(branch=branch).on_roll().select_related("group")


def birthday_type_id() -> int | None:
    """The 政治生日 activity type, whose records list the members they honoured as 出席."""
    return ActivityType.objects.filter(key=BIRTHDAY_TYPE).values_list("pk", flat=True).first()


def last_birthday_record(person: Person, today: date) -> Activity | None:
    """The latest 政治生日 record (up to today) that listed this person as present: the last time they were honoured."""
    row = (Attendance.objects.filter(person=person, status=Status.PRESENT, activity__type__key=BIRTHDAY_TYPE,
                                     activity__in=Activity.objects.held(today))
           .select_related("activity__org").order_by("-activity__date", "-activity_id").first())
    return row.activity if row else None
