"""Entering payments on the web: the month grid of a branch, saved all at once or not at all."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse

from tests.clock import LAST_YEAR, TODAY
from tests.dues.conftest import give_base, pay
from zhibu.dues.models import DuesPayment, PaymentSource
from zhibu.dues.services import grid_key


def grid_url(tree, year=LAST_YEAR):
    return reverse("dues_entry", args=[tree.orgs.a.pk, year])


def post(client, tree, cells: dict, paid_on=None, year=LAST_YEAR):
    client.force_login(tree.users.secretary_a)
    data = {"paid_on": (paid_on or TODAY).isoformat()}
    data.update({grid_key(person.pk, f"{year}-{month:02d}"): value for (person, month), value in cells.items()})
    return client.post(grid_url(tree, year), data)


def test_a_clerk_records_several_months_at_once(client, tree):
    member, other = tree.people.a_member, tree.people.a_other
    give_base(member, LAST_YEAR)
    response = post(client, tree, {(member, 1): "45", (member, 2): "45.00", (other, 1): "30.5"}, paid_on=TODAY)
    assert response.status_code == 302
    payments = DuesPayment.objects.order_by("person__name", "month")
    assert [(p.person.name, p.month, p.amount) for p in payments] == [
        ("李党员", f"{LAST_YEAR}-01", Decimal("45.00")),
        ("李党员", f"{LAST_YEAR}-02", Decimal("45.00")),
        ("赵同志", f"{LAST_YEAR}-01", Decimal("30.50")),
    ]
    assert all(p.source == PaymentSource.WEB and p.paid_on == TODAY for p in payments)


def test_the_grid_shows_what_is_due_and_what_was_paid(client, tree):
    member = tree.people.a_member
    give_base(member, LAST_YEAR)
    pay(member, f"{LAST_YEAR}-03")
    client.force_login(tree.users.secretary_a)
    page = client.get(grid_url(tree)).content.decode()
    assert f'name="{grid_key(member.pk, f"{LAST_YEAR}-03")}" value="45.00"' in page
    assert 'data-due="45.00"' in page


def test_any_bad_cell_saves_nothing_and_lists_every_problem(client, tree):
    member, other = tree.people.a_member, tree.people.a_other
    other.admitted_on = date(LAST_YEAR, 6, 15)
    other.full_on = None
    other.category = "预备党员"
    other.save()
    response = post(client, tree, {(member, 1): "45", (member, 2): "abc", (member, 3): "-5", (other, 3): "45"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "有 3 处问题，未保存任何数据" in page
    assert "李党员 2月：“abc”不是数字" in page
    assert "实缴金额应大于0" in page
    assert f"赵同志 3月：{LAST_YEAR}-03 早于赵同志的入党日期 {LAST_YEAR}-06-15" in page
    assert 'value="abc"' in page  # what was typed stays for correcting
    assert not DuesPayment.objects.exists()


def test_a_future_payment_date_saves_nothing(client, tree):
    response = post(client, tree, {(tree.people.a_member, 1): "45"}, paid_on=TODAY + timedelta(days=1))
    assert "晚于今天" in response.content.decode()
    assert not DuesPayment.objects.exists()


def test_emptying_a_cell_removes_the_month_and_untouched_cells_keep_their_date(client, tree):
    member = tree.people.a_member
    pay(member, f"{LAST_YEAR}-01", f"{LAST_YEAR}-02")
    response = post(client, tree, {(member, 1): "", (member, 2): "45.00"})
    assert response.status_code == 302
    [kept] = DuesPayment.objects.all()
    assert (kept.month, kept.paid_on) == (f"{LAST_YEAR}-02", date(LAST_YEAR, 2, 10))


def test_a_forged_cell_for_another_branch_changes_nothing(client, tree):
    outsider = tree.people.b_member
    response = post(client, tree, {(outsider, 1): "45", (tree.people.a_member, 1): "45"})
    assert response.status_code == 302
    assert list(DuesPayment.objects.values_list("person__name", flat=True)) == ["李党员"]


def test_another_branch_grid_answers_404_even_to_a_post(client, tree):
    client.force_login(tree.users.secretary_a)
    response = client.post(reverse("dues_entry", args=[tree.orgs.b.pk, LAST_YEAR]),
                           {grid_key(tree.people.b_member.pk, f"{LAST_YEAR}-01"): "45", "paid_on": TODAY.isoformat()})
    assert response.status_code == 404
    assert not DuesPayment.objects.exists()


def test_a_payment_saved_by_someone_else_meanwhile_writes_nothing_and_says_so(tree):
    from zhibu.dues.accounts import branch_ledger
    from zhibu.dues.services import save_month_grid

    member, other = tree.people.a_member, tree.people.a_other
    give_base(member, LAST_YEAR)
    ledger = branch_ledger(tree.orgs.a, LAST_YEAR, TODAY)  # the grid as the clerk loaded it
    pay(member, f"{LAST_YEAR}-03")  # another clerk saves March first
    data = {grid_key(other.pk, f"{LAST_YEAR}-01"): "30", grid_key(member.pk, f"{LAST_YEAR}-03"): "50"}
    result = save_month_grid(ledger, data, TODAY, TODAY)
    assert not result.ok and "由 空 改为 45.00 元（您填的是 50.00 元）" in result.errors[(member.pk, f"{LAST_YEAR}-03")]
    assert DuesPayment.objects.count() == 1 and DuesPayment.objects.get().amount == Decimal("45.00")
