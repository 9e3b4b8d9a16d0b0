"""Prefetching a foreign key over more than about a thousand rows on SQLite.

Django 5.2 prefetches a foreign key with a tuple lookup (`(id) IN ((1), (2), …)`); SQLite has no such lookup in
Django's eyes, so Django falls back to `id = 1 OR id = 2 OR …`, one term per row, and SQLite refuses an expression
tree deeper than 1,000 ("Expression tree is too large"): a committee's export or ledger over 40 branches failed.
A tuple of one column is an ordinary IN, which is what this makes it (in chunks below SQLite's limit on
parameters). Tuples of several columns keep Django's own fallback.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models.fields.tuple_lookups import TupleIn
from django.db.models.lookups import In
from django.db.models.sql import Query
from django.db.models.sql.where import OR, WhereNode

CHUNK = 10_000  # SQLite allows 32,766 parameters in one statement

_django_fallback = TupleIn.get_fallback_sql


def _single_column_as_in(self, compiler, connection):
    if isinstance(self.rhs, Query) or not self.rhs_is_direct_value() or len(self.lhs) != 1:
        return _django_fallback(self, compiler, connection)
    values = list(dict.fromkeys(vals[0] for vals in self.rhs if vals[0] is not None))
    if not values:
        raise EmptyResultSet
    [column] = list(self.lhs)
    chunks = [In(column, values[start:start + CHUNK]) for start in range(0, len(values), CHUNK)]
    return compiler.compile(chunks[0] if len(chunks) == 1 else WhereNode(chunks, connector=OR))


def install() -> None:
    TupleIn.get_fallback_sql = _single_column_as_in
