"""Pages for membership changes: record a change, 内部转接 sent and accepted, 转出 letters and their 回执."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.lib.downloads import file_download
from zhibu.orgs import access, membership
from zhibu.orgs.letters import letter_docx
from zhibu.orgs.membership import Change, MembershipError
from zhibu.orgs.models import EventKind, EventState, ExitForm, MembershipEvent, Organisation, OrgKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Kinds recorded on this page; 内部转接 between branches goes out as 待接收 unless the login manages both sides.
FORM_KINDS = [k for k in EventKind.values if k != EventKind.TRANSFER_IN]


class ChangeForm(access.ScopedChoicesMixin, forms.Form):
    kind = forms.ChoiceField(label="变动类型", choices=[(k, k) for k in FORM_KINDS])
    on = forms.DateField(label="日期", widget=DATE_INPUT, help_text="生效日期")
    target = forms.ModelChoiceField(label="转入组织（内部转接、恢复党籍）", queryset=Organisation.objects.none(), required=False,
                                    help_text="本单位的党支部或党小组")
    other_party = forms.CharField(label="对方组织", max_length=100, required=False,
                                  help_text="转出：接收组织关系的党组织；外出流动：流入地党组织")
    exit_form = forms.ChoiceField(label="出党方式", choices=[("", "—")] + list(ExitForm.choices), required=False)
    letter_valid_until = forms.DateField(label="介绍信有效期至", widget=DATE_INPUT, required=False,
                                         help_text=f"转出：不填则为开具后{membership.DEFAULT_LETTER_MONTHS}个月")
    dues_paid_to = forms.RegexField(label="党费交至", regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False,
                                    error_messages={"invalid": "党费交至请写成 2026-06 这样的年月"})
    reason = forms.CharField(label="原因", max_length=200, required=False)

    def __init__(self, *args, person, user, **kwargs):
        self.person = person
        super().__init__(*args, user=user, **kwargs)

    def offer_choices(self):
        self.fields["target"].queryset = Organisation.objects.order_by("path")
        self.fields["target"].label_from_instance = lambda org: (
            f"{org.parent_name} · {org.name}" if org.kind == OrgKind.GROUP else org.name)

    def choice_scopes(self):
        return {"target": access.transfer_targets(self.person)}

    def change(self) -> Change:
        data = self.cleaned_data
        return Change(
            data["kind"], data["on"], target=data.get("target"), other_party=data.get("other_party", "").strip(),
            exit_form=data.get("exit_form", ""), letter_valid_until=data.get("letter_valid_until"),
            dues_paid_to=data.get("dues_paid_to", ""), reason=data.get("reason", "").strip(),
        )


def _managed_event(user, pk: int) -> MembershipEvent:
    return access.get_or_404(
        MembershipEvent.objects.filter(person__in=access.managed_people(user)).select_related("person", "org", "target"), pk=pk
    )


def person_membership(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_or_404(access.managed_people(request.user).select_related("branch", "group"), pk=pk)
    form = ChangeForm(request.POST or None, person=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        change = form.change()
        try:
            if change.kind == EventKind.INTERNAL and change.target and not access.can_manage(request.user, change.target):
                membership.send_internal(person, change.target, change.on, reason=change.reason)
                messages.success(request, f"已发出内部转接，待{change.target.name}接收")
            else:
                event = membership.record_event(person, change)
                messages.success(request, f"已登记{person.name}{event.kind}（{event.on:%Y-%m-%d}）")
                if event.kind == EventKind.TRANSFER_OUT:
                    messages.info(request, f"介绍信第{event.letter_number}号已开具，请下载打印")
            return redirect("person_detail", pk=person.pk)
        except MembershipError as error:
            form.add_error(None, str(error))
    periods, events = membership.history(person)
    return render(request, "orgs/membership_form.html", {
        "person": person, "form": form, "periods": periods, "events": events,
        "pending": membership.pending_internal(person),
        "state": membership.state_on(person, date.today()), "on_roll": membership.on_roll(person),
    })


def membership_board(request: HttpRequest) -> HttpResponse:
    """What waits on this login: 内部转接 to accept, letters without their 回执 (overdue first)."""
    if not access.is_manager(request.user):
        access.not_found()
    today = date.today()
    managed = access.managed_orgs(request.user)
    to_accept = MembershipEvent.objects.filter(kind=EventKind.INTERNAL, state=EventState.PENDING, target__in=managed)
    sent = MembershipEvent.objects.filter(kind=EventKind.INTERNAL, state=EventState.PENDING, org__in=managed)
    letters = MembershipEvent.objects.filter(kind=EventKind.TRANSFER_OUT, receipt_on__isnull=True, org__in=managed)
    return render(request, "orgs/membership_board.html", {
        "to_accept": to_accept.select_related("person", "org", "target").order_by("on"),
        "sent": sent.exclude(target__in=managed).select_related("person", "org", "target").order_by("on"),
        "letters": sorted(letters.select_related("person", "org"), key=lambda e: (not e.overdue(today), e.on)),
        "today": today,
    })


def letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request.user, pk)
    if event.kind != EventKind.TRANSFER_OUT:
        access.not_found()
    filename, mimetype, content = letter_docx(event)
    return file_download(content, mimetype, filename)


@require_POST
def record_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request.user, pk)
    field = forms.DateField(error_messages={"invalid": "回执日期格式不对，请写成 2026-03-18", "required": "请填写回执日期"})
    try:
        membership.record_receipt(event, field.clean(request.POST.get("receipt_on", "")))
        messages.success(request, f"已登记{event.person.name}介绍信第{event.letter_number}号的回执")
    except (MembershipError, forms.ValidationError) as error:
        messages.error(request, error.messages[0] if isinstance(error, forms.ValidationError) else str(error))
    return redirect("membership_board")


@require_POST
def accept_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_or_404(
        MembershipEvent.objects.filter(kind=EventKind.INTERNAL, state=EventState.PENDING,
                                       target__in=access.managed_orgs(request.user)).select_related("person", "target"),
        pk=pk,
    )
    try:
        membership.accept_internal(event)
        messages.success(request, f"已接收{event.person.name}的组织关系（{event.on:%Y-%m-%d}起）")
    except MembershipError as error:
        messages.error(request, str(error))
    return redirect("membership_board")


@require_POST
def withdraw_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request.user, pk)
    try:
        membership.withdraw_internal(event)
        messages.success(request, "已撤回内部转接")
    except MembershipError as error:
        messages.error(request, str(error))
    return redirect("person_detail", pk=event.person_id)
