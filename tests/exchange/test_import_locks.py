"""An import holds no write lock while it reads and validates: another login's save goes through meanwhile.

The workbook is checked (read, every row validated against the database) outside any transaction; only the
writing of what was checked happens in one transaction. A write made by another connection in the middle of the
validation must therefore succeed at once — on SQLite a transaction opened around the validation would make it
wait for the whole check (or fail with "database is locked"); on PostgreSQL it would hold row locks.
"""

import threading

import pytest
from django.db import connection

from tests.conftest import make_tree
from tests.exchange.workbooks import PERSON_HEADER, workbook_bytes
from zhibu.exchange.sheets.people import PersonSheet
from zhibu.exchange.workbook import import_workbook
from zhibu.orgs.models import Person


def _rows(count):
    return [PERSON_HEADER] + [[f"新同志{i}", "甲支部", "", "正式党员", "2015-07-01", "", "", ""] for i in range(count)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("dry_run", [True, False], ids=["check", "apply"])
def test_another_login_saves_while_an_import_is_validated(monkeypatch, dry_run):
    tree = make_tree()
    original_parse = PersonSheet.parse
    outcome = {}

    def other_login_saves():
        try:
            Person.objects.filter(pk=tree.people.b_member.pk).update(phone="13800000000")
            outcome["saved"] = True
        except Exception as error:  # noqa: BLE001 - the test reports what went wrong
            outcome["error"] = repr(error)
        finally:
            connection.close()

    def parse_while_someone_saves(self, rows, context):
        parsed = original_parse(self, rows, context)  # the validation has read the database by now
        other = threading.Thread(target=other_login_saves)
        other.start()
        other.join(timeout=10)
        outcome["finished_in_time"] = not other.is_alive()
        return parsed

    monkeypatch.setattr(PersonSheet, "parse", parse_while_someone_saves)
    result = import_workbook(workbook_bytes({"党员": _rows(200)}), tree.users.admin, dry_run=dry_run)

    assert result.ok, [str(issue) for issue in result.issues]
    assert outcome == {"saved": True, "finished_in_time": True}
    assert Person.objects.get(pk=tree.people.b_member.pk).phone == "13800000000"
    assert Person.objects.filter(name__startswith="新同志").count() == (0 if dry_run else 200)
