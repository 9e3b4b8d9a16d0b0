"""The dues grid: every cell carries the version it was shown with, so nobody's payment is overwritten unseen."""

import re
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from tests.clock import LAST_YEAR, TODAY
from tests.conftest import make_tree
from tests.dues.conftest import give_base, pay
from zhibu.dues.accounts import branch_ledger
from zhibu.dues.models import DuesPayment
from zhibu.dues.services import cell_version, grid_key, save_month_grid, version_key

YEAR = LAST_YEAR
MARCH = f"{YEAR}-03"


def _form_as_shown(page: str) -> dict:
    """Every input of the grid as the browser would send it back untouched."""
    fields = dict(re.findall(r'<input[^>]*?name="([mv]-[^"]+)" value="([^"]*)"', page))
    return {**fields, "paid_on": TODAY.isoformat()}


def _grid(client, tree):
    return client.get(reverse("dues_entry", args=[tree.orgs.a.pk, YEAR])).content.decode()


def _save(client, tree, data):
    return client.post(reverse("dues_entry", args=[tree.orgs.a.pk, YEAR]), data, follow=True)


@pytest.fixture
def member(tree):
    give_base(tree.people.a_member, YEAR)
    return tree.people.a_member


def test_a_grid_saved_as_shown_keeps_what_another_clerk_saved_meanwhile(client, tree, member):
    client.force_login(tree.users.secretary_a)
    shown = _form_as_shown(_grid(client, tree))  # clerk A opens 录入党费
    pay(member, MARCH)  # clerk B saves 45.00 for March
    response = _save(client, tree, shown)  # A saves the grid as A's screen shows it (March empty)
    assert "没有改动" in response.content.decode()
    assert DuesPayment.objects.get(person=member, month=MARCH).amount == Decimal("45.00")


def test_only_the_changed_cells_are_written(client, tree, member):
    pay(member, f"{YEAR}-01", f"{YEAR}-02")
    client.force_login(tree.users.secretary_a)
    shown = _form_as_shown(_grid(client, tree))
    DuesPayment.objects.filter(month=f"{YEAR}-01").update(amount=Decimal("46.00"))  # B corrects January
    shown[grid_key(member.pk, f"{YEAR}-02")] = "50"
    response = _save(client, tree, shown)
    page = response.content.decode()
    assert "修改 1 笔" in page, re.findall(r"<li class=\"msg[^<]*", page)
    amounts = dict(DuesPayment.objects.values_list("month", "amount"))
    assert amounts == {f"{YEAR}-01": Decimal("46.00"), f"{YEAR}-02": Decimal("50.00")}


def test_a_stale_cell_is_refused_with_both_values(client, tree, member):
    client.force_login(tree.users.secretary_a)
    shown = _form_as_shown(_grid(client, tree))
    pay(member, MARCH)  # B saves 45.00
    shown[grid_key(member.pk, MARCH)] = "50"  # A types 50 into the cell A saw empty
    shown[grid_key(tree.people.a_other.pk, f"{YEAR}-01")] = "30"
    response = _save(client, tree, shown)
    page = response.content.decode()
    assert "未保存任何数据" in page and "其他人已把此格由 空 改为 45.00 元（您填的是 50.00 元）" in page, re.findall("<p>[^<]*</p>", page)
    assert list(DuesPayment.objects.values_list("amount", flat=True)) == [Decimal("45.00")]
    # The page now carries the current version: saving again applies what A typed, knowingly.
    again = _form_as_shown(page)
    assert again[grid_key(member.pk, MARCH)] == "50"
    _save(client, tree, again)
    assert sorted(DuesPayment.objects.values_list("amount", flat=True)) == [Decimal("30.00"), Decimal("50.00")]


def test_a_payment_changed_meanwhile_is_not_deleted_by_an_emptied_cell(client, tree, member):
    pay(member, MARCH)
    client.force_login(tree.users.secretary_a)
    shown = _form_as_shown(_grid(client, tree))
    DuesPayment.objects.filter(month=MARCH).update(amount=Decimal("60.00"))
    shown[grid_key(member.pk, MARCH)] = ""
    page = _save(client, tree, shown).content.decode()
    assert "由 45.00 元 改为 60.00 元（您填的是 空）" in page
    assert DuesPayment.objects.get().amount == Decimal("60.00")


def _busy_wait(call, seconds=300.0):
    """The call, retried while SQLite's in-memory test database (shared cache) answers "table is locked": shared
    cache ignores the busy timeout that the real, file-based database has. PostgreSQL never needs it."""
    import time

    from django.db import OperationalError

    deadline = time.monotonic() + seconds
    while True:
        try:
            return call()
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _race(tree_ids, amounts):
    """Two clerks save the same cell from grids drawn before either saved, at the same moment."""
    from zhibu.orgs.models import Organisation, Person

    branch = Organisation.objects.get(pk=tree_ids["branch"])
    person = Person.objects.get(pk=tree_ids["member"])
    ledgers = [branch_ledger(branch, YEAR, TODAY) for _ in amounts]
    versions = [{version_key(person.pk, MARCH): cell_version(cell.payment)}
                for ledger in ledgers for row in ledger.rows if row.person.pk == person.pk
                for cell in row.cells if cell.month == MARCH]
    barrier = threading.Barrier(len(amounts))
    results = [None] * len(amounts)

    def clerk(index):
        try:
            barrier.wait(timeout=10)
            data = {grid_key(person.pk, MARCH): amounts[index], **versions[index]}
            results[index] = _busy_wait(lambda: save_month_grid(ledgers[index], data, TODAY, TODAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(len(amounts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return person, results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [False, True], ids=["create", "update"])
def test_two_clerks_saving_one_month_at_once_leave_one_payment_and_tell_the_second(existing):
    tree = make_tree()
    give_base(tree.people.a_member, YEAR)
    if existing:
        pay(tree.people.a_member, MARCH)
    for _ in range(5):
        person, results = _race({"branch": tree.orgs.a.pk, "member": tree.people.a_member.pk}, ["50", "60"])
        assert DuesPayment.objects.filter(person=person, month=MARCH).count() == 1
        saved = [r for r in results if r.ok and r.changed]
        refused = [r for r in results if not r.ok]
        assert len(saved) == 1 and len(refused) == 1, [(r.ok, r.errors, r.general) for r in results]
        message = next(iter(refused[0].errors.values()))
        assert "其他人已把此格" in message
        stored = DuesPayment.objects.get(person=person, month=MARCH).amount
        assert f"改为 {stored} 元" in message
        DuesPayment.objects.filter(person=person, month=MARCH).delete()
        if existing:
            pay(person, MARCH)
