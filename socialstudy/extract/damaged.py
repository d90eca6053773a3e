"""Damaged rows: a row with more filled cells than its table's header (a tab inside a
number such as ``49\t339``, or a split cell) cannot be read cell by cell, so every
numeric-looking cell of it becomes a reject with the reason, never a shifted value, and
the table gets a ``ragged_row`` issue. The two rows a number wrapped onto the next line
splits (:func:`wrapped_rows`) become rejects the same way."""

from __future__ import annotations

import re

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
                    n_header: int, reason: str = "") -> list[Reject]:
    reason = reason or RAGGED_REASON.format(n=len(row.cells), m=n_header)
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


BARE_NUMBER = re.compile(r"[-\u2212]?\d[\d \u00a0]*(?:,\d+)?")


def wrapped_rows(table: Table) -> dict[int, str]:
    """{line: reason} of the two rows a number wrapped onto the next line splits: a row
    whose label is a bare number ('938') after a row with fewer cells than the header
    ('Lokaler ⇥ -24 738 ⇥ -25'). Read cell by cell they gave Lokaler 25 tkr, with exit 0."""
    n_header = header_width(table)
    rows = [r for r in table.body if r.kind == "body"]
    found = {}
    for prev, row in zip(rows, rows[1:]):
        label = row.cells[0].strip()
        if n_header and len(prev.cells) < n_header and BARE_NUMBER.fullmatch(label):
            found[prev.line] = found[row.line] = (
                f"a number wrapped onto the next line: line {row.line} starts with {label!r}, "
                f"the rest of line {prev.line}'s row, so no cell of either can be placed")
    return found
