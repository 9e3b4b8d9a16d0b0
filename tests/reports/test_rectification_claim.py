"""“已整改完成” stays only when last year's problems are all done; otherwise the report states the figure."""

from datetime import date

from django.core.management import call_command
from docx import Document

from tests.lists.conftest import make_item
from zhibu.lists.models import Status

TEMPLATE = "**年存在的问题已整改完成。"


def _report(tmp_path, template_text=TEMPLATE, suffix="txt"):
    template = tmp_path / f"模板.{suffix}"
    if suffix == "txt":
        template.write_text(template_text, encoding="utf-8")
    else:
        document = Document()
        paragraph = document.add_paragraph()
        paragraph.add_run("**年存在的问题已整改")
        paragraph.add_run("完成。")
        document.save(template)
    out = tmp_path / f"报告.{suffix}"
    call_command("report", org="甲支部", year="2025", template=str(template), format=suffix, out=str(out))
    if suffix == "txt":
        return out.read_text(encoding="utf-8").split("\n\n述职人：")[0].strip()  # the report, without its 落款
    return Document(out).paragraphs[0].text


def _problems(tree, done, open_):
    for number in range(done):
        make_item(tree.orgs.a, year=2024, content=f"已改{number}", status=Status.DONE, completed_on=date(2025, 3, 1))
    for number in range(open_):
        make_item(tree.orgs.a, year=2024, content=f"未改{number}", status=Status.IN_PROGRESS)


def test_all_done_keeps_the_claim(tree, tmp_path):
    _problems(tree, 3, 0)
    assert _report(tmp_path) == "2024年存在的问题已整改完成。"


def test_some_open_states_the_rate(tree, tmp_path):
    _problems(tree, 8, 1)
    assert _report(tmp_path) == "2024年存在的问题整改完成率为88.9%（9项中完成8项）。"


def test_nothing_recorded_leaves_it_to_the_user(tree, tmp_path):
    assert _report(tmp_path) == "2024年存在的问题整改情况【待填】。"


def test_the_claim_is_settled_in_a_word_template_too(tree, tmp_path):
    _problems(tree, 1, 1)
    assert _report(tmp_path, suffix="docx") == "2024年存在的问题整改完成率为50%（2项中完成1项）。"
