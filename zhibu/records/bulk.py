"""Writing many new records and their rolls at once (the workbook import).

Rows are inserted in a few statements (PostgreSQL: COPY for the attendance rows), and their history rows are
copied from them with one INSERT … SELECT per chunk, so a workbook of tens of thousands of records and a million
attendance rows is written in seconds rather than one Django object (and one history object) per row. Each new
row gets the history row simple_history would write on creation ("+", now, the request's user).
"""

from __future__ import annotations

from datetime import datetime, timezone

from django.db import connection
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
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            cursor.execute(
                f"INSERT INTO {history._meta.db_table} ({columns}, history_date, history_change_reason, history_type, history_user_id) "
                f"SELECT {columns}, %s, NULL, '+', %s FROM {model._meta.db_table} "
                f"WHERE {connection.ops.quote_name(key)} IN ({', '.join(['%s'] * len(chunk))})",
                [now, user, *chunk],
            )


def create_activities(records: list[Activity]) -> list[Activity]:
    """Insert new records (their ids set), each with its history row."""
    created = Activity.objects.bulk_create(records, batch_size=1000)
    copy_history(Activity, "id", [record.pk for record in created])
    return created


def create_attendance(rows: list[tuple[int, int, str, str]], activity_ids: list[int]) -> None:
    """Insert attendance rows (activity id, person id, status, reason) of new records `activity_ids` (no record
    there had a roll before), each with its history row."""
    if rows:
        table = Attendance._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} (activity_id, person_id, status, reason) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {table} (activity_id, person_id, status, reason) VALUES (%s, %s, %s, %s)", rows)
        # Written past the ORM: the branches' versions are bumped here (orgs/versions.py).
        orgs = set()
        for start in range(0, len(activity_ids), CHUNK):
            chunk = activity_ids[start:start + CHUNK]
            orgs.update(Activity.objects.filter(pk__in=chunk).values_list("org_id", flat=True).order_by().distinct())
        versions.touch_orgs(orgs)
    copy_history(Attendance, "activity_id", activity_ids)
