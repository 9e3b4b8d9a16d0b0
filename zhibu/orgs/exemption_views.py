"""第二十三条: recording that an old or frail member need not attend organisational activities and study, from a date.

The attendance figures (records/attendance.py), the participation rules and the 学时 rule and ledger read these
dated exemptions; nothing is deleted: an exemption that ends gets its end date.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhibu.lib.textinput import normalise, validate_visible
from zhibu.orgs import access
from zhibu.orgs.models import Exemption, Person

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CITATION = "《中国共产党党员教育管理工作条例》第二十三条"


class ExemptionForm(forms.Form):
    start = forms.DateField(label="起始日期", widget=DATE_INPUT, help_text="支部研究决定之日或其后")
    end = forms.DateField(label="结束日期", widget=DATE_INPUT, required=False, help_text="不含当日；不填为长期")
    reason = forms.CharField(label="原因", max_length=200, validators=[validate_visible], help_text="例如 年老体弱、长期卧床")

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_reason(self):
        return normalise(self.cleaned_data["reason"])

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if not self.person.is_member:
            raise forms.ValidationError("只有党员（正式党员、预备党员）可以免于参加组织生活")
        if start and end and end <= start:
            self.add_error("end", "结束日期应晚于起始日期")
        if start:
            overlapping = self.person.exemptions.filter(start__lt=end or date.max).exclude(end__isnull=False, end__lte=start)
            if overlapping.exists():
                first = overlapping.first()
                self.add_error("start", f"与已登记的免于参加（{first.start:%Y-%m-%d}起）重叠，请先为那一条填写结束日期")
        return data


def person_exemptions(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_or_404(access.managed_people(request.user).select_related("branch"), pk=pk)
    form = ExemptionForm(request.POST or None, person=person)
    if request.method == "POST" and request.POST.get("close"):
        _close(request, person)
        return redirect("person_exemptions", pk=person.pk)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            Exemption.objects.create(person=person, **form.cleaned_data)
        messages.success(request, f"已登记{person.name}自{form.cleaned_data['start']:%Y-%m-%d}起免于参加组织生活")
        return redirect("person_detail", pk=person.pk)
    return render(request, "orgs/exemptions.html", {
        "person": person, "form": form, "exemptions": person.exemptions.all(), "citation": CITATION,
    })


def _close(request, person: Person) -> None:
    value = request.POST.get("close", "")
    exemption = person.exemptions.filter(pk=int(value) if value.isdigit() else 0, end__isnull=True).first()
    try:
        end = date.fromisoformat(request.POST.get("end", ""))
    except ValueError:
        messages.error(request, "请填写结束日期")
        return
    if exemption is None:
        messages.error(request, "这一条已有结束日期或不存在")
    elif end <= exemption.start:
        messages.error(request, f"结束日期应晚于起始日期（{exemption.start:%Y-%m-%d}）")
    else:
        exemption.end = end
        exemption.save(update_fields=["end"])
        messages.success(request, f"已为{person.name}的免于参加填写结束日期 {end:%Y-%m-%d}")
