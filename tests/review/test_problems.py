"""Comments of a finished review become next year's 问题清单 items of the branch, owned by its secretary."""

import pytest

from tests.review.conftest import vote
from zhibu.lists.models import ListItem, ListKind
from zhibu.review import services
from zhibu.review.models import Grade


@pytest.fixture
def ended(tree, voting):
    vote(tree.users.member_a, voting, {tree.orgs.a: "较好", tree.orgs.b: "一般"},
         {tree.orgs.a: "理论学习形式单一", tree.orgs.b: "支委会召开不经常"})
    vote(tree.users.secretary_a, voting, {tree.orgs.a: "好", tree.orgs.b: "一般"}, {tree.orgs.a: "党建与业务结合不紧"})
    services.close_voting(tree.users.organiser, voting)
    voting.refresh_from_db()
    return voting


def _comment(text):
    return Grade.objects.get(comment=text)


def test_chosen_comments_become_problems_for_next_year(client, tree, ended):
    client.force_login(tree.users.organiser)
    chosen = [_comment("理论学习形式单一").pk, _comment("支委会召开不经常").pk]
    response = client.post(f"/review/{ended.pk}/problems/", {"grade": chosen}, follow=True)
    assert "已把2条意见转为" in response.content.decode()
    a_item = ListItem.objects.get(org=tree.orgs.a)
    assert (a_item.kind, a_item.year, a_item.source, a_item.content, a_item.owner) == (
        ListKind.PROBLEM, ended.year + 1, "上年度述职评议", "理论学习形式单一", tree.people.a_secretary)
    b_item = ListItem.objects.get(org=tree.orgs.b)
    assert (b_item.owner, b_item.owner_text) == (None, "")  # 乙支部 has no 书记: the item waits for an owner
    assert _comment("理论学习形式单一").list_item == a_item
    assert not ListItem.objects.filter(content="党建与业务结合不紧").exists()


def test_a_comment_becomes_one_item_only(client, tree, ended):
    client.force_login(tree.users.organiser)
    pk = _comment("理论学习形式单一").pk
    client.post(f"/review/{ended.pk}/problems/", {"grade": [pk]})
    response = client.post(f"/review/{ended.pk}/problems/", {"grade": [pk, _comment("党建与业务结合不紧").pk]}, follow=True)
    assert "有的已经转为问题清单" in response.content.decode()
    assert ListItem.objects.count() == 1  # the whole second request wrote nothing


def test_a_bad_item_rolls_back_the_whole_batch(tree, ended, monkeypatch):
    from django.core.exceptions import ValidationError

    original = ListItem.full_clean

    def refuse_second(item, *args, **kwargs):
        if item.content == "支委会召开不经常":
            raise ValidationError("模拟的错误")
        return original(item, *args, **kwargs)

    monkeypatch.setattr(ListItem, "full_clean", refuse_second)
    with pytest.raises(ValidationError):
        services.comments_to_problems(ended, [g.pk for g in Grade.objects.with_comment()])
    assert not ListItem.objects.exists() and not Grade.objects.filter(list_item__isnull=False).exists()


def test_comments_of_another_session_or_garbage_are_refused(tree, ended):
    with pytest.raises(services.ReviewError, match="不属于本次评议"):
        services.comments_to_problems(ended, ["not-a-uuid"])
    with pytest.raises(services.ReviewError, match="请先勾选"):
        services.comments_to_problems(ended, [])


def test_comments_wait_until_voting_ends(tree, voting):
    vote(tree.users.member_a, voting, {tree.orgs.a: "好", tree.orgs.b: "好"}, {tree.orgs.a: "意见"})
    with pytest.raises(services.ReviewError, match="投票结束后"):
        services.comments_to_problems(voting, [_comment("意见").pk])


def test_the_ledger_command_writes_the_results(tree, ended, tmp_path, capsys):
    import openpyxl
    from django.core.management import call_command

    out = tmp_path / "评议.xlsx"
    call_command("ledger", "shuzhi", org="测试机关党委", year=str(ended.year), out=str(out))
    sheet = openpyxl.load_workbook(out)["评议结果"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4, max_row=5)]
    by_branch = {row[1]: row for row in rows}
    # 甲支部: 1 好 + 1 较好 → 90.00; 乙支部: 2 一般 → 60.00
    assert by_branch["甲支部"][3:9] == [1, 1, 0, 0, 2, 90.0]
    assert by_branch["乙支部"][3:9] == [0, 0, 2, 0, 2, 60.0]
    with pytest.raises(SystemExit) as exit_info:
        call_command("ledger", "shuzhi", org="测试机关党委", year=str(ended.year - 1), out=str(out))
    assert exit_info.value.code == 1 and "没有" in capsys.readouterr().err


def test_libreoffice_opens_the_results_ledger(tree, ended, tmp_path):
    from tests.libreoffice import convert_to_pdf
    from zhibu.orgs import access
    from zhibu.records.ledger_registry import LEDGERS

    filename, _mimetype, content = LEDGERS["shuzhi"].produce(access.SYSTEM, tree.orgs.committee, ended.year)
    assert filename == f"测试机关党委-{ended.year}年度述职评议结果.xlsx"
    pdf = convert_to_pdf(content, tmp_path, filename="results.xlsx")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
