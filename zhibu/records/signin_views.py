"""Pages for signing in to meetings (zhibu.records.signin): the member's page, and the manager's window,
projection screen and live list. Records are fetched through zhibu.orgs.access; a member signs in only
themselves (the person linked to their login, never an id from the request)."""

from __future__ import annotations

from datetime import date

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhibu.lib.strokes import stroke_key
from zhibu.orgs import access
from zhibu.records import signin
from zhibu.records.models import Activity, Status

MINUTE_INPUT = "%Y-%m-%dT%H:%M"


class WindowForm(forms.Form):
    opens_at = forms.DateTimeField(label="签到开始", input_formats=[MINUTE_INPUT],
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MINUTE_INPUT))
    closes_at = forms.DateTimeField(label="签到结束", input_formats=[MINUTE_INPUT],
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MINUTE_INPUT))

    def __init__(self, *args, activity: Activity, **kwargs):
        opens_at, closes_at = signin.default_window(activity)
        kwargs.setdefault("initial", {"opens_at": timezone.localtime(opens_at), "closes_at": timezone.localtime(closes_at)})
        super().__init__(*args, **kwargs)
        self.activity = activity

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if not (opens_at and closes_at):
            return cleaned
        first, last = signin.day_bounds(self.activity)
        day = f"{self.activity.date:%Y年%m月%d日}"
        if closes_at <= opens_at:
            raise ValidationError("签到结束时间须晚于开始时间")
        if opens_at < first or closes_at > last:
            raise ValidationError(f"签到时间须在会议当天（{day}）之内")
        if closes_at <= timezone.now():
            raise ValidationError("签到结束时间已经过去，请改为现在以后的时间")
        return cleaned


def sign_in_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("sign_in")) + f"?code={code}"


def member_sign_in(request: HttpRequest) -> HttpResponse:
    """A member types the code (or arrives from the QR code with it filled in) and taps 签到."""
    person = access.own_person(request.user)
    if person is None:
        return access.not_found()
    code = signin.normalise_code(request.POST.get("code") if request.method == "POST" else request.GET.get("code", ""))
    context = {"person": person, "code": code[: signin.CODE_DIGITS * 2]}
    if request.method == "POST":
        try:
            outcome = signin.sign_in(request.user, person, code, replace_leave=request.POST.get("replace_leave") == "1")
        except signin.SignInRefused as refusal:
            context["error"] = str(refusal)
        else:
            if outcome.needs_confirmation:
                context.update(confirm=outcome)
            else:
                context.update(signed=outcome)
    return render(request, "records/signin.html", context)


@require_POST
def window_open(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.record_for(request.user, pk)
    refusal = signin.can_open(activity, date.today())
    form = WindowForm(request.POST, activity=activity)
    if refusal:
        messages.error(request, refusal)
    elif not form.is_valid():
        messages.error(request, "未开启签到：" + "；".join(error for errors in form.errors.values() for error in errors))
    else:
        window = signin.open_window(activity, opens_at=form.cleaned_data["opens_at"],
                                    closes_at=form.cleaned_data["closes_at"], user=request.user)
        messages.success(request, f"已开启签到，签到码 {window.code}")
        return redirect("signin_screen", pk=activity.pk)
    return redirect("activity_detail", pk=activity.pk)


@require_POST
def window_end(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access.record_for(request.user, pk)
    window = signin.current_window(activity)
    if window and window.ended_at is None:
        signin.end_window(window)
        messages.success(request, "已结束签到。未签到的人员没有自动标为缺席，可在下方“标为缺席”中处理")
    return redirect("activity_detail", pk=activity.pk)


def live_context(activity: Activity) -> dict:
    """Who signed in (by time), who was entered by hand (with their status), who is still missing."""
    now = timezone.now()
    window = signin.current_window(activity)
    rows = {row.person_id: row for row in activity.attendance.select_related("person")}
    due = signin.due_people(activity)
    signed = sorted((row for row in rows.values() if row.signed_in_at), key=lambda row: row.signed_in_at)
    entered = sorted((row for row in rows.values() if not row.signed_in_at), key=lambda row: stroke_key(row.person.name))
    missing = sorted((p for p in due if p.pk not in rows), key=lambda p: stroke_key(p.name))
    return {
        "activity": activity, "window": window, "now": now,
        "running": bool(window and window.is_running(now)),
        "is_open": bool(window and window.is_open(now)),
        "signed": signed, "due_count": len(due), "entered": entered, "missing": missing,
    }


def window_live(request: HttpRequest, pk: int) -> HttpResponse:
    """The live list alone; htmx asks for it every few seconds while the window runs."""
    return render(request, "records/_signin_live.html", live_context(access.record_for(request.user, pk)))


def window_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """What to project: the QR code of the sign-in address with the code, and the count so far."""
    activity = access.record_for(request.user, pk)
    context = live_context(activity)
    window = context["window"]
    if not context["running"]:
        messages.error(request, "这条记录没有进行中的签到，请先开启签到")
        return redirect("activity_detail", pk=activity.pk)
    url = sign_in_url(request, window.code)
    qr = segno.make(url, error="m")
    context.update(url=url, qr_svg=qr.svg_inline(scale=8, border=2, omitsize=True),
                   digits=list(window.code))
    return render(request, "records/signin_screen.html", context)


UNDO_KEY = "signin-absent-{pk}"


def mark_absent(request: HttpRequest, pk: int) -> HttpResponse:
    """Those neither signed in nor entered, none ticked: the manager ticks whom to mark, confirms, may undo."""
    activity = access.record_for(request.user, pk)
    window = signin.current_window(activity)
    if window is None:
        return access.not_found()
    if window.is_running(timezone.now()):
        messages.error(request, "签到还在进行中，请先结束签到，再把未签到的人员标为缺席")
        return redirect("activity_detail", pk=activity.pk)
    missing = sorted(signin.not_entered(activity), key=lambda person: stroke_key(person.name))
    if request.method == "POST":
        chosen = {int(value) for value in request.POST.getlist("person") if value.isdigit()}
        marked = signin.mark_absent(activity, chosen)
        if marked:
            request.session[UNDO_KEY.format(pk=activity.pk)] = marked
            messages.success(request, f"已将 {len(marked)} 人标为缺席；如有误，可在“签到”中撤销")
        else:
            messages.info(request, "没有人员被标为缺席（未勾选任何人）")
        return redirect("activity_detail", pk=activity.pk)
    return render(request, "records/signin_absent.html", {"activity": activity, "missing": missing})


@require_POST
def undo_absent(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back the last "标为缺席" of this record made in this browser session."""
    activity = access.record_for(request.user, pk)
    marked = request.session.pop(UNDO_KEY.format(pk=activity.pk), None)
    if not marked:
        messages.error(request, "没有可以撤销的“标为缺席”")
    else:
        removed = signin.undo_mark_absent(activity, [int(value) for value in marked])
        messages.success(request, f"已撤销，{removed} 人不再标为缺席")
    return redirect("activity_detail", pk=activity.pk)


def undo_names(request: HttpRequest, activity: Activity) -> list[str]:
    marked = request.session.get(UNDO_KEY.format(pk=activity.pk)) or []
    return sorted(activity.attendance.filter(person_id__in=marked, status=Status.ABSENT).values_list(
        "person__name", flat=True), key=stroke_key)


def panel_context(activity: Activity, request: HttpRequest | None = None) -> dict:
    """What the record page's sign-in card needs (its live list, the opening form, or why it cannot open)."""
    if not activity.type.takes_attendance:
        return {}
    refusal = signin.can_open(activity, date.today())
    window = signin.current_window(activity)
    if refusal and window is None:
        return {}
    context = live_context(activity)  # at the top of the page's context, as the live part expects when it reloads
    context.update(sign_in_panel=True, refusal=refusal, window_form=None if refusal else WindowForm(activity=activity),
                   undo_names=undo_names(request, activity) if request else [])
    return context
