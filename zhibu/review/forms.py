from datetime import date

from django import forms
from django.conf import settings

from zhibu.orgs import access
from zhibu.orgs.models import Organisation
from zhibu.review.models import COMMITTEE_KINDS, ReviewSession


class SessionForm(access.ScopedChoicesMixin, forms.ModelForm):
    min_ballots = forms.IntegerField(
        label="公布结果所需最少票数", min_value=1, max_value=1000,
        help_text="投票人数少于此数时不显示结果和意见，以免推知个人的投票；一般为5",
    )

    class Meta:
        model = ReviewSession
        fields = [
            "committee", "year", "title",
            "vote_weight", "compliance_weight",
            "points_good", "points_fairly_good", "points_average", "points_poor",
            "band_good", "band_fairly_good", "band_average",
        ]
        labels = {"committee": "组织评议的党组织"}
        help_texts = {
            "title": "不填则为“某年度党支部书记抓基层党建工作述职评议”",
            "vote_weight": "常见做法：投票占40分、规范化建设检查占60分；可按本单位办法调整",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["committee"].empty_label = None
        self.fields["title"].required = False
        if not self.instance.pk:
            self.initial.setdefault("year", date.today().year - 1)
        poll = self.instance.poll if self.instance.pk else None
        self.initial.setdefault("min_ballots", poll.min_ballots if poll else settings.ZHIBU_BALLOT_MINIMUM)

    def offer_choices(self):
        self.fields["committee"].queryset = Organisation.objects.filter(kind__in=COMMITTEE_KINDS).order_by("path")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and cleaned.get("year"):
            cleaned["title"] = f"{cleaned['year']}年度党支部书记抓基层党建工作述职评议"
        return cleaned

    def save(self, commit: bool = True):
        from zhibu.ballots import services as ballots

        session = super().save(commit=False)
        if session.poll is None:
            session.poll = ballots.new_poll(session.title, self.cleaned_data["min_ballots"])
        else:
            session.poll.min_ballots = self.cleaned_data["min_ballots"]
            session.poll.save(update_fields=["min_ballots"])
        if commit:
            session.save()
        return session
