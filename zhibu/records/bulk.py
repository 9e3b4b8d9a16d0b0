"""Writing many new records and their rolls at once (the workbook import).

Rows are inserted in a few statements (PostgreSQL: COPY for the records and the attendance rows), and their
history rows are copied from them with one INSERT … SELECT (per chunk of ids on SQLite), so a workbook of tens
of thousands of records and a million attendance rows is written in seconds rather than one Django object (and
one history object) per row. Each new row gets the history row simple_history would write on creation ("+",
now, the request's user).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

from django.db import connection, connections
from simple_history.models import HistoricalRecords

from zhibu.orgs import versions
from zhibu.records.models import Activity, Attendance

CHUNK = 5000  # ids per statement: well below SQLite's 32,766 parameters


def _history_user_id() -> int | None:
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


def copy_history(model, key: str, ids: list[int]) -> None:
    """One "+" history row per row of `model` whose `key` column is in `ids`, copied by the database."""
    history = model.history.model
    tracked = [f.column for f in history._meta.concrete_fields
               if f.column not in ("history_id", "history_date", "history_change_reason", "history_type", "history_user_id")]
    columns = ", ".join(connection.ops.quote_name(c) for c in tracked)
    now, user = datetime.now(timezone.utc), _history_user_id()
    insert = (f"INSERT INTO {history._meta.db_table} ({columns}, history_date, history_change_reason, history_type, history_user_id) "
              f"SELECT {columns}, %s, NULL, '+', %s FROM {model._meta.db_table} WHERE {connection.ops.quote_name(key)} ")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter: no statement text growing with the ids
            if ids:
                cursor.execute(insert + "= ANY(%s)", [now, user, list(ids)])
            return
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            cursor.execute(insert + f"IN ({', '.join(['%s'] * len(chunk))})", [now, user, *chunk])


def create_activities(records: list[Activity]) -> list[Activity]:
    """Insert new records (their ids set), each with its history row."""
    if connection.vendor != "postgresql" or not records:
        created = Activity.objects.bulk_create(records, batch_size=1000)
        copy_history(Activity, "id", [record.pk for record in created])
        return created
    # COPY, with ids taken from the table's sequence first (COPY returns none). Each value is prepared as
    # bulk_create prepares it (auto_now_add set, the field's conversion for the database).
    fields = [field for field in Activity._meta.concrete_fields if not field.primary_key]
    table, quote = Activity._meta.db_table, connection.ops.quote_name
    database = connections[connection.alias]  # the wrapper itself: `connection` looks it up on every use
    with database.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(records)])
        ids = sorted(pk for (pk,) in cursor.fetchall())
        names = ", ".join([quote(Activity._meta.pk.column), *(quote(field.column) for field in fields)])
        # Django's errors, as bulk_create raises them (a duplicate 编号 written meanwhile is an IntegrityError).
        with database.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for record, pk in zip(records, ids):
                record._prepare_related_fields_for_save(operation_name="bulk_create")
                copy.write_row([pk, *(field.get_db_prep_save(field.pre_save(record, True), database) for field in fields)])
                record.pk = pk
                record._state.adding, record._state.db = False, database.alias
    # Written past the ORM: the branches' versions are bumped here, as bulk_create would (orgs/versions.py).
    versions.touch_orgs({record.org_id for record in records})
    copy_history(Activity, "id", ids)
    return records


def create_attendance(rows: Iterable[tuple[int, int, str, str]], activity_ids: list[int]) -> None:
    """Insert attendance rows (activity id, person id, status, reason) of new records `activity_ids` (no record
    there had a roll before), each with its history row. `rows` may be a generator: on PostgreSQL its rows are
    made while the database takes the ones before."""
    table = Attendance._meta.db_table
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with connection.wrap_database_errors, \
                    cursor.cursor.copy(f"COPY {table} (activity_id, person_id, status, reason) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
        else:
            rows = list(rows)
            written = len(rows)
            if rows:
                cursor.executemany(f"INSERT INTO {table} (activity_id, person_id, status, reason) VALUES (%s, %s, %s, %s)", rows)
    if written:
        # Written past the ORM: the branches' versions are bumped here (orgs/versions.py).
        orgs = set()
        for start in range(0, len(activity_ids), CHUNK):
            chunk = activity_ids[start:start + CHUNK]
            orgs.update(Activity.objects.filter(pk__in=chunk).values_list("org_id", flat=True).order_by().distinct())
        versions.touch_orgs(orgs)
    copy_history(Attendance, "activity_id", activity_ids)
