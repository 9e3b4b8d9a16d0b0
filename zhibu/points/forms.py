"""Forms for schemes (with their rules as one grid), adjustments and vetoes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from zhibu.lib.cells import CellError, parse_decimal
from zhibu.orgs import access
from zhibu.orgs.forms import DATE_INPUT
from zhibu.orgs.models import Organisation, OrgKind
from zhibu.points.models import POINTS, PointAdjustment, PointRule, PointScheme, PointVeto, adjustment_problems
from zhibu.points.statement import points_text
from zhibu.records.models import ActivityType


class SchemeForm(access.ScopedChoicesMixin, forms.ModelForm):
    class Meta:
        model = PointScheme
        fields = ["name", "org", "from_year", "base", "floor", "cap", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # The default scheme is everyone's: only an administrator may add one; a committee sets its own subtree's.
        self.fields["org"].required = not access.sees_everything(user)
        if self.instance.pk:
            del self.fields["org"]  # moving a scheme to other organisations would silently change their points

    def offer_choices(self):
        self.fields["org"].queryset = Organisation.objects.exclude(kind=OrgKind.GROUP).order_by("path")
        self.fields["org"].label_from_instance = lambda org: "　" * (org.depth - 1) + org.name

    def clean(self):
        cleaned = super().clean()
        org = cleaned.get("org", self.instance.org if self.instance.pk else None)
        year = cleaned.get("from_year")
        if year and PointScheme.objects.filter(org=org, from_year=year).exclude(pk=self.instance.pk).exists():
            where = org.name if org else "默认方案"
            self.add_error("from_year", f"{where}已有{year}年起用的方案，请修改那个方案或换一个起用年度")
        return cleaned


@dataclass
class RuleRow:
    """One activity type in the rules grid: its three values as typed, and what is wrong with them."""

    activity_type: ActivityType
    values: dict[str, str]
    errors: list[str]

    FIELDS = (("present", "出席"), ("leave", "请假"), ("absent", "缺席"))

    def key(self, field: str) -> str:
        return f"rule-{self.activity_type.pk}-{field}"

    @property
    def cells(self) -> list[tuple[str, str, str]]:
        """(input name, label, value) for each of the three columns."""
        return [(self.key(field), label, self.values[field]) for field, label in self.FIELDS]


class RuleGrid:
    """Points per activity type (出席, 请假, 缺席), one row per type that takes attendance; blank means 0."""

    def __init__(self, scheme: PointScheme | None, data=None):
        """`scheme` gives the values shown: the scheme edited, or for a new one the scheme it starts from."""
        existing = {rule.activity_type_id: rule for rule in scheme.rules.all()} if scheme and scheme.pk else {}
        types = ActivityType.objects.filter(takes_attendance=True)
        self.rows: list[RuleRow] = []
        for activity_type in types.order_by("position", "name"):
            if not activity_type.active and activity_type.pk not in existing:
                continue
            rule = existing.get(activity_type.pk)
            values = {field: _shown(getattr(rule, field)) if rule else "" for field, _label in RuleRow.FIELDS}
            row = RuleRow(activity_type, values, [])
            if data is not None:
                row.values = {field: data.get(row.key(field), "").strip() for field, _label in RuleRow.FIELDS}
            self.rows.append(row)
        self.parsed: dict[int, tuple[Decimal, Decimal, Decimal]] = {}

    def is_valid(self) -> bool:
        limit = Decimal(10) ** (POINTS["max_digits"] - POINTS["decimal_places"])
        for row in self.rows:
            numbers = []
            for field, label in RuleRow.FIELDS:
                try:
                    number = parse_decimal(row.values[field], places=POINTS["decimal_places"]) or Decimal(0)
                except CellError as error:
                    row.errors.append(f"{label}：{error}，请填写带正负号的分值，例如 1 或 -2")
                    continue
                if abs(number) >= limit:
                    row.errors.append(f"{label}：分值“{number}”太大，请核对")
                numbers.append(number)
            if not row.errors:
                self.parsed[row.activity_type.pk] = tuple(numbers)
        return not any(row.errors for row in self.rows)

    @property
    def errors(self) -> list[str]:
        return [f"{row.activity_type.name}的{error}" for row in self.rows for error in row.errors]

    def save(self, scheme: PointScheme) -> None:
        """Make the scheme's rules match the grid; a type with three zeros has no rule (its records are not listed)."""
        existing = {rule.activity_type_id: rule for rule in scheme.rules.all()}
        for type_id, (present, leave, absent) in self.parsed.items():
            rule = existing.get(type_id)
            if not (present or leave or absent):
                if rule:
                    rule.delete()
            elif rule is None:
                PointRule.objects.create(scheme=scheme, activity_type_id=type_id, present=present, leave=leave, absent=absent)
            elif (rule.present, rule.leave, rule.absent) != (present, leave, absent):
                rule.present, rule.leave, rule.absent = present, leave, absent
                rule.save()


def _shown(value: Decimal) -> str:
    return "" if not value else points_text(value)


@transaction.atomic
def save_scheme(form: SchemeForm, grid: RuleGrid) -> PointScheme:
    scheme = form.save()
    grid.save(scheme)
    return scheme


class AdjustmentForm(forms.ModelForm):
    class Meta:
        model = PointAdjustment
        fields = ["date", "points", "reason"]
        widgets = {"date": DATE_INPUT}
        error_messages = {"reason": {"required": "请填写事由（为什么加分或扣分）"},
                          "points": {"required": "请填写分值：加分填正数，扣分填负数",
                                     "invalid": "分值须是数字：加分填正数，扣分填负数，例如 3 或 -2"}}

    def clean(self):
        cleaned = super().clean()
        for field, message in adjustment_problems(cleaned.get("points"), cleaned.get("reason", ""), cleaned.get("date"),
                                                   date.today()).items():
            if field in cleaned:  # a field Django already refused keeps its own message
                self.add_error(field, message)
        return cleaned


class VetoForm(forms.ModelForm):
    class Meta:
        model = PointVeto
        fields = ["date", "reason"]
        widgets = {"date": DATE_INPUT}

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > date.today():
            raise ValidationError("决定日期不能晚于今天")
        return day
