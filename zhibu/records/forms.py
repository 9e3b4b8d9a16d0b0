"""Forms for records: the record itself, its roll (one row per person), attachments and activity types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from zhibu.lib.cells import split_list
from zhibu.lib.strokes import stroke_key
from zhibu.orgs import access
from zhibu.orgs.forms import DATE_INPUT
from zhibu.orgs.models import MEMBER_CATEGORIES, Organisation, Person
from zhibu.lib.uploads import UploadError, check_upload
from zhibu.records.attendance import Rosters
from zhibu.records.models import (
    MAX_ATTACHMENT_BYTES,
    Activity,
    ActivityType,
    Attendance,
    Status,
    Tag,
)

NOT_LISTED = ""  # the roll's fourth choice for people outside the type's circle: not on this record


class FieldGroup:
    """Some of a form's fields, renderable by partials/form.html (so the roll can sit between two groups)."""

    def __init__(self, form: forms.Form, names: list[str], *, with_form_errors: bool):
        self.form, self.names, self.with_form_errors = form, names, with_form_errors

    def __iter__(self):
        return (self.form[name] for name in self.names)

    def non_field_errors(self):
        return self.form.non_field_errors() if self.with_form_errors else []


class ActivityForm(access.ScopedChoicesMixin, forms.ModelForm):
    # What a secretary fills in for every meeting comes before the roll; the rest after it.
    FIRST = ["org", "type", "date", "start_time", "subject", "place", "chair", "recorder"]

    tag_text = forms.CharField(label="标签", required=False, help_text="例如 廉政、专题；多个用顿号分隔")

    class Meta:
        model = Activity
        fields = ["org", "type", "date", "start_time", "subject", "place", "chair", "recorder", "lecturer",
                  "lecturer_text", "quantity", "amount", "study_hours", "tag_text", "minutes", "ref"]
        widgets = {
            "date": DATE_INPUT,
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk:
            self.fields["tag_text"].initial = "、".join(tag.name for tag in self.instance.tags.all())

    def offer_choices(self):
        self.fields["org"].queryset = Organisation.objects.order_by("path")
        self.fields["org"].label_from_instance = lambda org: "　" * (org.depth - 1) + org.name
        types = ActivityType.objects.filter(active=True)
        if self.instance.pk:
            types = ActivityType.objects.filter(active=True) | ActivityType.objects.filter(pk=self.instance.type_id)
        self.fields["type"].queryset = types.order_by("position", "name")
        people = Person.objects.filter(category__in=MEMBER_CATEGORIES).select_related("branch")
        for name in ("chair", "recorder", "lecturer"):
            self.fields[name].queryset = people.order_by("branch__path", "name")
            self.fields[name].label_from_instance = lambda person: f"{person.name}（{person.branch.name}）"

    TYPE_FIELDS = ("quantity", "amount", "lecturer", "lecturer_text")  # shown only for the types that use them

    def type_fields(self) -> dict:
        """For each type offered, which of TYPE_FIELDS it uses (the page hides the others as the type changes)."""
        return {"fields": list(self.TYPE_FIELDS),
                "types": {str(t.pk): sorted(t.used_fields()) for t in self.fields["type"].queryset}}

    def first_fields(self) -> FieldGroup:
        return FieldGroup(self, self.FIRST, with_form_errors=True)

    def other_fields(self) -> FieldGroup:
        return FieldGroup(self, [name for name in self.fields if name not in self.FIRST], with_form_errors=False)

    def clean_tag_text(self):
        names = split_list(self.cleaned_data["tag_text"])
        too_long = [name for name in names if len(name) > 20]
        if too_long:
            raise ValidationError(f"标签“{too_long[0]}”太长，每个标签不超过20个字")
        return names

    def clean_ref(self):
        return self.cleaned_data["ref"] or None

    def clean(self):
        activity_type = self.cleaned_data.get("type")
        if activity_type:  # what the type does not use was hidden: a value left from another type must not stay
            used = activity_type.used_fields()
            defaults = {"quantity": 1, "amount": None, "lecturer": None, "lecturer_text": ""}
            for name in self.TYPE_FIELDS:
                if name not in used:
                    self.cleaned_data[name] = defaults[name]
                    self.errors.pop(name, None)
        cleaned = super().clean()
        org = cleaned.get("org")
        if org:
            scope = org.branch()
            for name in ("chair", "recorder"):
                person = cleaned.get(name)
                if person and scope and person.branch_id != scope.pk:
                    self.add_error(name, f"{person.name}不是{scope.name}的党员")
            ref = cleaned.get("ref")
            if ref and Activity.objects.filter(org=org, ref=ref).exclude(pk=self.instance.pk).exists():
                self.add_error("ref", f"{org.name}已有编号为“{ref}”的记录，请换一个编号")
        return cleaned

    def save(self, commit=True):
        activity = super().save(commit=True)
        activity.tags.set(Tag.for_names(self.cleaned_data["tag_text"]))
        return activity


@dataclass
class RollLine:
    person: Person
    status: str
    reason: str
    in_circle: bool  # due by the type's rule: no "not listed" choice

    @property
    def field(self) -> str:
        return f"roll-{self.person.pk}"


class Roll:
    """The attendance part of the record form: one line per person who may be on the record.

    Lines come from the type's circle (出席 preselected, except for a meeting of today, where sign-in or the
    secretary marks them), from the record's existing list, and, for types counted "按名单", from the rest of
    the branch (preselected "—", not on the record).
    """

    def __init__(self, org, activity_type, day: date | None, activity: Activity | None = None, data=None,
                 preselected: frozenset[int] = frozenset()):
        """`preselected`: people a new record lists as 出席 from the start (e.g. the month's political birthdays)."""
        self.errors: list[str] = []
        self.planned = bool(day and day > date.today())
        # A meeting of today may still be under way: members sign in themselves, so nobody is preselected.
        self.today = bool(day and day == date.today())
        self.applies = bool(org and activity_type and activity_type.takes_attendance)
        self.lines: list[RollLine] = []
        if not self.applies:
            return
        draft = Activity(org=org, type=activity_type, date=day or date.today())
        rosters = Rosters()
        circle = {p.pk: p for p in rosters.circle(draft)}
        self.due_count = len(circle)
        existing = {row.person_id: row for row in activity.attendance.select_related("person")} if activity and activity.pk else {}
        candidates = dict(circle)
        for row in existing.values():
            candidates.setdefault(row.person_id, row.person)
        for person in rosters.members(org.branch() or org):
            candidates.setdefault(person.pk, person)
        for person in sorted(candidates.values(), key=lambda p: (p.pk not in circle, stroke_key(p.name))):
            row = existing.get(person.pk)
            if row:
                status, reason = row.status, row.reason
            else:
                due = (person.pk in preselected or (person.pk in circle and not self.today)) and not existing
                status, reason = (Status.PRESENT if due else NOT_LISTED), ""
            line = RollLine(person, status, reason, person.pk in circle)
            if data is not None:
                line.status = data.get(line.field, NOT_LISTED)
                line.reason = data.get(f"{line.field}-reason", "").strip()
                if line.status not in Status.values and line.status != NOT_LISTED:
                    self.errors.append(f"{person.name}的出席情况“{line.status}”无效")
                if line.status == Status.LEAVE and not line.reason:
                    self.errors.append(f"{person.name}请假，请填写请假原因（如“公差”“病假”）")
                if len(line.reason) > 100:
                    self.errors.append(f"{person.name}的请假原因太长（不超过100字）")
            self.lines.append(line)

    def listed_count(self) -> int:
        return sum(1 for line in self.lines if line.status != NOT_LISTED)

    @property
    def choices(self) -> list[str]:
        return Status.values

    def is_valid(self) -> bool:
        if self.planned and any(line.status not in (NOT_LISTED, Status.PRESENT) or line.reason for line in self.lines):
            self.errors.append("活动日期在今天之后（计划中的会议），会后再登记请假和缺席")
        return not self.errors

    def save(self, activity: Activity) -> None:
        """Make the record's list match the form: add, change and remove rows (each change keeps its history)."""
        if self.planned or not self.applies:
            activity.attendance.all().delete()
            return
        existing = {row.person_id: row for row in activity.attendance.all()}
        for line in self.lines:
            row = existing.get(line.person.pk)
            if line.status == NOT_LISTED:
                if row:
                    row.delete()
                continue
            reason = line.reason if line.status == Status.LEAVE else ""
            if row is None:
                Attendance.objects.create(activity=activity, person=line.person, status=line.status, reason=reason)
            elif (row.status, row.reason) != (line.status, reason):
                row.status, row.reason = line.status, reason
                row.save()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files chosen at once (Django's documented pattern): cleaned to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": ".jpg,.jpeg,.png,.webp,.pdf,.doc,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


MAX_FILES_AT_ONCE = 20


class AttachmentForm(forms.Form):
    """One or more files; each is checked by what it contains, and none is kept if any is refused."""

    file = MultipleFileField(label="附件", help_text="可一次选择多个文件：图片（jpg、png）、PDF 或 Word（doc、docx），每个不超过10 MB")

    def clean_file(self):
        uploads = self.cleaned_data["file"]
        if len(uploads) > MAX_FILES_AT_ONCE:
            raise ValidationError(f"一次最多上传{MAX_FILES_AT_ONCE}个文件，请分几次上传")
        self.kinds, problems = [], []
        for upload in uploads:
            try:
                self.kinds.append(check_upload(upload, upload.name, upload.size, max_bytes=MAX_ATTACHMENT_BYTES))
            except UploadError as error:
                problems.append(str(error))
            finally:
                upload.seek(0)
        if problems:
            raise ValidationError(problems)
        return uploads


class ActivityTypeForm(forms.ModelForm):
    class Meta:
        model = ActivityType
        fields = ["name", "aliases", "group", "takes_attendance", "expected", "measure", "unit", "study_hours", "active", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study_hours"].required = False  # blank: no study hours (0)

    def clean_study_hours(self):
        return self.cleaned_data.get("study_hours") or 0

    def clean(self):
        cleaned = super().clean()
        units = {"count": ("次",), "quantity": ("份", "批", "个", "人"), "amount": ("元",)}
        measure, unit = cleaned.get("measure"), cleaned.get("unit")
        if measure and unit and unit not in units[measure]:
            self.add_error("unit", f"按{dict(self.fields['measure'].choices)[measure]}统计时，计量单位可填：" + "、".join(units[measure]))
        return cleaned

