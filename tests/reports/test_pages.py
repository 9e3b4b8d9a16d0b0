"""The report builder's pages: scoped by role, typed values kept per organisation and year, templates, checking."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from tests.reports.conftest import OTHER_TEMPLATE, YEAR
from zhibu.reports.models import ReportDraft


def _url(name, org, year=YEAR):
    return f"{reverse(name)}?org={org.pk}&year={year}"


def test_a_secretary_sees_their_branchs_report_with_figures_linked(client, branch_records, tree):
    client.force_login(tree.users.secretary_a)
    response = client.get(_url("report_builder", tree.orgs.a))
    content = response.content.decode()
    assert response.status_code == 200 and "支部党员大会" in content
    assert 'class="fig" href="/reports/evidence/?ids=' in content


@pytest.mark.parametrize("role", ["secretary_a", "member_a", "clerk_b"])
def test_an_edited_org_id_reveals_nothing(client, tree, role):
    client.force_login(getattr(tree.users, role))
    foreign = tree.orgs.b if role != "clerk_b" else tree.orgs.a
    for name in ("report_builder", "report_download", "report_compare"):
        assert client.get(_url(name, foreign)).status_code == 404, name
    assert client.post(reverse("report_save_values"), {"org": foreign.pk, "year": YEAR, "value_1": "9"}).status_code == 404


def test_the_committee_sees_and_downloads_each_branchs_report(client, branch_records, tree):
    client.force_login(tree.users.organiser)
    response = client.get(_url("report_download", tree.orgs.a))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "支部党员大会4次" in text


def test_evidence_lists_only_records_the_user_may_see(client, tree):
    from tests.records.conftest import make_record

    own = make_record(tree.orgs.a, "主题党日", date(2025, 3, 1), subject="本支部的")
    foreign = make_record(tree.orgs.b, "主题党日", date(2025, 3, 1), subject="别的支部的")
    client.force_login(tree.users.secretary_a)
    content = client.get(f"{reverse('report_evidence')}?ids={own.pk},{foreign.pk}").content.decode()
    assert "本支部的" in content and "别的支部的" not in content


def test_typed_values_are_kept_per_organisation_and_year(client, branch_records, tree):
    client.force_login(tree.users.secretary_a)
    upload = SimpleUploadedFile("模板.txt", OTHER_TEMPLATE.encode("utf-8"))
    client.post(reverse("report_upload_template"), {"org": tree.orgs.a.pk, "year": YEAR, "template": upload})
    client.post(reverse("report_save_values"), {"org": tree.orgs.a.pk, "year": YEAR, "value_8": "6"})
    draft = ReportDraft.objects.get(org=tree.orgs.a, year=YEAR)
    assert draft.template_name == "模板.txt" and draft.manual() == {8: "6"}
    content = client.get(_url("report_builder", tree.orgs.a)).content.decode()
    assert 'name="value_8" value="6"' in content
    assert not ReportDraft.objects.filter(year=YEAR - 1).exists()


def test_a_bad_template_is_refused_with_a_message(client, tree):
    client.force_login(tree.users.secretary_a)
    upload = SimpleUploadedFile("报告.pdf", b"%PDF-1.4")
    response = client.post(reverse("report_upload_template"), {"org": tree.orgs.a.pk, "year": YEAR, "template": upload}, follow=True)
    assert "不支持的模板格式" in response.content.decode()
    assert not ReportDraft.objects.exclude(template_name="").exists()


def test_a_written_report_is_checked_figure_by_figure(client, branch_records, tree):
    client.force_login(tree.users.secretary_a)
    written = SimpleUploadedFile("已写报告.txt", "全年召开支部党员大会4次、支部委员会会议10次，其他活动3次。".encode("utf-8"))
    response = client.post(reverse("report_compare"), {"org": tree.orgs.a.pk, "year": YEAR, "report": written})
    verdicts = [(c.written, c.recorded, c.verdict) for c in response.context["comparisons"]]
    assert verdicts == [("4", "4", "agrees"), ("10", "11", "differs"), ("3", None, "unknown")]


def test_the_problems_draft_groups_periods_and_replaces_section_two_only_when_saved(client, tree):
    from zhibu.orgs import access
    from zhibu.reports.problems import draft_problems

    sentences = draft_problems(access.SYSTEM, tree.orgs.a, YEAR)
    group_line = next(s for s in sentences if "党小组会" in s)
    assert "1月、2月" in group_line and "共12期" in group_line
    client.force_login(tree.users.secretary_a)
    before = client.get(_url("report_download", tree.orgs.a))
    assert "理论学习的深度还不够" in "".join(p.text for p in Document(io.BytesIO(before.content)).paragraphs)
    client.post(reverse("report_save_values"), {"org": tree.orgs.a.pk, "year": YEAR, "problems_text": "一是自查的问题。"})
    after = "\n".join(p.text for p in Document(io.BytesIO(client.get(_url("report_download", tree.orgs.a)).content)).paragraphs)
    assert "一是自查的问题。" in after and "理论学习的深度还不够" not in after and "三、下步工作打算" in after


def test_every_to_fill_on_the_builder_has_an_input_and_the_typed_claim_is_kept(client, branch_records, tree):
    """The rectification claim no 问题清单 item backs becomes 整改情况【待填】: it gets an input like the masks."""
    import re

    client.force_login(tree.users.secretary_a)
    content = client.get(_url("report_builder", tree.orgs.a)).content.decode()
    paper = content[content.index('class="fill'):] if 'class="fill' in content else content
    assert 'name="claim_text"' in content
    assert "【待填】" not in re.sub(r"<[^>]+>", "", paper.split("</form>")[0])  # every 待填 is an input
    response = client.post(reverse("report_save_values"), {"org": tree.orgs.a.pk, "year": YEAR, "claim_text": "已全部整改完成"})
    assert response.status_code == 302
    assert ReportDraft.objects.get(org=tree.orgs.a, year=YEAR).claim_text() == "已全部整改完成"
    content = client.get(_url("report_builder", tree.orgs.a)).content.decode()
    assert 'name="claim_text" value="已全部整改完成"' in content
    text = "\n".join(p.text for p in Document(io.BytesIO(client.get(_url("report_download", tree.orgs.a)).content)).paragraphs)
    assert "整改情况已全部整改完成" in text and "【待填】整改" not in text
