"""Damaged rows: a row with more filled cells than its table's header (a tab inside a
number such as ``49\t339``, or a split cell) cannot be read cell by cell, so every
numeric-looking cell of it becomes a reject with the reason, never a shifted value, and
the table gets a ``ragged_row`` issue."""

from __future__ import annotations

from socialstudy.core.registry import Report
from socialstudy.extract.numbers import looks_numeric
from socialstudy.extract.rows import Issue, Reject
from socialstudy.extract.tables import Row, Table


def header_width(table: Table) -> int:
    return max((len(r.cells) for r in table.header), default=0)


def is_ragged(row: Row, n_header: int) -> bool:
    """More filled cells than the header has columns: a tab inside a number (``49\t339``)
    or a split cell shifted the row, so no cell of it can be given a column."""
    return bool(n_header) and len(row.cells) > n_header and any(
        c.strip() for c in row.cells[n_header:])


RAGGED_REASON = ("row has {n} cells but the header has {m}: a tab or a split inside a "
                 "number shifts the row's cells, so none of its values is used")


def ragged_rejects(table: Table, report: Report, row: Row, columns: list[list[str]],
                    n_header: int) -> list[Reject]:
    reason = RAGGED_REASON.format(n=len(row.cells), m=n_header)
    return [Reject(report.doc_id, table.table_id, report.file, row.line, j, row.label,
                   " | ".join(columns[j - 1]) if j - 1 < len(columns) else "", raw, reason)
            for j, raw in enumerate(row.cells[1:], start=1)
            if raw.strip() and looks_numeric(raw)]


def ragged_rows(table: Table, report: Report, value_rows: list[tuple[Row, Row | None]]
                ) -> list[Issue]:
    """Rows with more filled cells than the header has columns: their cells are rejects."""
    n_header = header_width(table)
    return [Issue("ragged_row", report.doc_id, table.table_id, row.line, row.label, "",
                  note=f"{len(row.cells)} cells but the header has {n_header}; the row's "
                       "cells are rejects (see rejects.csv), none is used")
            for row, _ in value_rows if is_ragged(row, n_header)]
