"""A header cell split over a tab (``Utfall\thelår``): the header then has one cell more
than every row, and each value after the split would be read under its left neighbour's
header (the full-year outcome as the deviation, last year's outcome as this year's
deviation) with exit 0. The header is read again with the two cells joined only where the
table's words and its own arithmetic agree: the second half starts in lower case (a
Swedish header cell starts with a capital) and, joined, outcome − budget = deviation holds
on most rows. Otherwise every value of the table becomes a reject *header at line L could
not be read* (so the comparison rows it feeds say 'not reported'), never a value under the
wrong column. A header wider only by empty cells, or whose rows keep their trailing tabs
(Huddinge's indicator table at line 310, Strängnäs's budget table at line 475), is read as
printed."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from socialstudy.core.registry import Report
from socialstudy.errors import NumberFormatError
from socialstudy.extract.columns import column_measure, header_columns, resolve_year
from socialstudy.extract.numbers import looks_numeric, parse_number
from socialstudy.extract.overrides import Overrides
from socialstudy.extract.rows import Issue, Reject
from socialstudy.extract.tables import YEAR, Row, Table

UNREADABLE = ("header at line {line} could not be read: it has {n} cells but the rows have "
              "{m} (a header cell split over a tab?), and neither the table's words nor its "
              "arithmetic (outcome − budget = deviation) tell which cells belong together, "
              "so none of the table's values is used")


@dataclasses.dataclass
class SplitHeader:
    """How a too-wide header was read: ``table`` with the joined header (or None when it
    could not be read), and the issue that says so."""
    table: Table | None
    issue: Issue


def read_split_header(table: Table, report: Report, override: Overrides | None,
                      measures: list) -> SplitHeader | None:
    """None when the header is read as printed; else the table read with the split cell
    joined, or no table when the header cannot be read."""
    wide = _too_wide(table, override)
    if wide is None:
        return None
    row, width = wide
    filled = max(j for j, c in enumerate(row.cells) if c.strip()) + 1
    joins = [_joined(table, row, k) for k in range(2, filled)  # one cell too many: one join
             if filled == width + 1 and row.cells[k - 1].strip()
             and row.cells[k].strip()[:1].islower()]
    if len(joins) == 1 and _adds_up(joins[0][0], report, measures):
        joined, text = joins[0]
        return SplitHeader(joined, _issue(report, table, row, "split_header_joined",
                                          f"header cells read as one: {text!r} (split over "
                                          "a tab; the table's arithmetic holds when joined)"))
    if not joins and _adds_up(table, report, measures):
        return None  # the printed reading adds up: the extra cell heads an empty column
    note = UNREADABLE.format(line=row.line, n=len(row.cells), m=width)
    return SplitHeader(None, _issue(report, table, row, "split_header_unreadable", note))


def _too_wide(table: Table, override: Overrides | None) -> tuple[Row, int] | None:
    """(the header row, the rows' width) when exactly one header row has a filled cell
    beyond the width of every body row (tabs counted, trailing empty cells included)."""
    body = [r for r in table.body if r.kind == "body"]
    if not body or (override and override.columns) or table.kind != "data":
        return None
    width = max(len(r.cells) for r in body)
    wide = [h for h in table.header if any(c.strip() for c in h.cells[width:])]
    return (wide[0], width) if len(wide) == 1 else None


def _joined(table: Table, row: Row, k: int) -> tuple[Table, str]:
    text = f"{row.cells[k - 1].strip()} {row.cells[k].strip()}"
    joined = Row(row.line, row.cells[:k - 1] + [text] + row.cells[k + 1:], "header")
    rows = [joined if r is row else r for r in table.rows]
    return dataclasses.replace(table, rows=rows), text


def _adds_up(table: Table, report: Report, measures: list) -> bool:
    """Outcome − budget = deviation (either sign) on most rows that print all three, for
    some budget, outcome and deviation columns of one year."""
    columns = header_columns(table, None)
    years = [int(y) for y in YEAR.findall(" ".join(" ".join(c) for c in columns))]
    roles = {}
    for j, cells in enumerate(columns, start=1):
        measure = column_measure(cells, measures)
        roles.setdefault((measure, resolve_year(cells, measure, years, report)[0]), j)
    rows = [r for r in table.body if r.kind == "body"]
    return any(_holds(rows, roles[("budget", y)], roles[("actual", y)], j)
               for (measure, y), j in roles.items()
               if measure == "deviation" and ("budget", y) in roles and ("actual", y) in roles)


def _holds(rows: list[Row], budget: int, actual: int, deviation: int) -> bool:
    held = checked = 0
    for row in rows:
        values = [cell_number(row, j) for j in (budget, actual, deviation)]
        if None in values:
            continue
        (b, db), (a, da), (d, dd) = values
        tolerance = 2 * Decimal(10) ** -max(db, da, dd)
        checked += 1
        held += min(abs(a - b - d), abs(b - a - d)) <= tolerance
    return checked > 0 and 2 * held > checked


def cell_number(row: Row, j: int) -> tuple[Decimal, int] | None:
    raw = row.cells[j] if j < len(row.cells) else ""
    if not raw.strip() or not looks_numeric(raw):
        return None
    try:
        parsed = parse_number(raw)
    except NumberFormatError:
        return None
    return parsed.value, parsed.decimals


def _issue(report: Report, table: Table, row: Row, check: str, note: str) -> Issue:
    return Issue(check, report.doc_id, table.table_id, row.line, "", "", note=note)


def header_rejects(table: Table, report: Report, split: SplitHeader) -> list[Reject]:
    """Every numeric-looking value of a table whose header could not be read, as a reject
    naming the header's line."""
    return [Reject(report.doc_id, table.table_id, report.file, row.line, j, row.label, "",
                   raw, split.issue.note)
            for row in table.body if row.kind == "body"
            for j, raw in enumerate(row.cells[1:], start=1)
            if raw.strip() and looks_numeric(raw)]


