"""The row types of the extraction tables. One ``Fact`` type is built by both the table
cleaner and the prose anchors, so the two kinds of facts cannot drift apart; each table's
column list is read from its dataclass and is written down nowhere else."""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter


@dataclass(frozen=True, slots=True)
class Fact:
    doc_id: str
    municipality: str
    fiscal_year: int
    period: str
    table_id: str
    row_label: str
    column_label: str
    measure: str
    basis: str
    value: str
    unit: str
    printed_unit: str
    decimals: int
    footnote: str
    source_kind: str  # table | prose
    source_file: str
    source_line: int
    source_col: int
    raw: str
    topic: str = ""       # prose facts: staffing, finance, cost_structure, …
    scope: str = ""       # prose facts: whose figure it is (whole committee, a section, …)
    definition: str = ""  # prose facts: what exactly is counted
    note: str = ""        # free text only


@dataclass(frozen=True, slots=True)
class Reject:
    doc_id: str
    table_id: str
    source_file: str
    source_line: int
    source_col: int
    row_label: str
    column_label: str
    raw: str
    reason: str


@dataclass(frozen=True, slots=True)
class Cell:
    doc_id: str
    table_id: str
    source_line: int
    source_col: int
    role: str  # header | rule | label | value
    raw: str


@dataclass(frozen=True, slots=True)
class Issue:
    check: str
    doc_id: str
    table_id: str
    source_line: int
    row_label: str
    column_label: str
    expected: str = ""
    actual: str = ""
    difference: str = ""
    tolerance: str = ""
    status: str = "issue"
    note: str = ""


def columns(row_type: type) -> list[str]:
    """Column names of a row type, in file order."""
    return [f.name for f in fields(row_type)]


def records(rows: list, row_type: type) -> list[tuple]:
    """Dataclass rows -> tuples in column order, for a DataFrame (light and fast)."""
    get = attrgetter(*columns(row_type))
    return [get(r) for r in rows]


FACT_COLUMNS = columns(Fact)
REJECT_COLUMNS = columns(Reject)
CELL_COLUMNS = columns(Cell)
ISSUE_COLUMNS = columns(Issue)
