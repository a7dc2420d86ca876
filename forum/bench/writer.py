"""Bulk inserts with ids chosen here: rows are gathered per table, then written in large
executemany batches in foreign-key order, without the ORM's per-row work."""
from collections import defaultdict

from sqlalchemy import func, insert, select, text

from forum.extensions import db

BATCH = 5000


class BulkWriter:
    def __init__(self):
        self.rows = defaultdict(list)
        self.last_id = {}
        self.order = []

    def next_id(self, table) -> int:
        if table.name not in self.last_id:
            self.last_id[table.name] = db.session.scalar(select(func.max(table.c.id))) or 0
        self.last_id[table.name] += 1
        return self.last_id[table.name]

    def add(self, table, **values) -> dict:
        """Queue a row; tables with an `id` column get the next id. Returns the row."""
        if "id" in table.c and "id" not in values:
            values["id"] = self.next_id(table)
        if table.name not in self.rows:
            self.order.append(table)
        self.rows[table.name].append(values)
        return values

    def write(self, table) -> int:
        """Insert the queued rows of `table` (ids ascending: replies after their parents)."""
        rows = self.rows.pop(table.name, [])
        if "id" in table.c:
            rows.sort(key=lambda row: row["id"])
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(table), rows[start:start + BATCH])
        return len(rows)

    def write_all(self, tables) -> dict[str, int]:
        return {table.name: self.write(table) for table in tables}

    def reset_sequences(self) -> None:
        """PostgreSQL hands out ids from sequences, which rows inserted with ids did not move."""
        if db.session.get_bind().dialect.name != "postgresql":
            return
        for name in self.last_id:
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"))
