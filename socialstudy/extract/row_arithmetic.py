"""A row that reads as full width but is not: a tab inside a number of a row with fewer
cells than its header (Haninge 2020's line 700 prints no change) splits one value into
two cells, so the row gets exactly as many cells as the header and every value after the
split moves one column right (2019 read as 40,5 % for 29,2 %, the change as 25,9 %), with
no ragged row to see. Only the table's own arithmetic can tell: where a change or
deviation column follows from two other columns (their difference, or their relative
change) on most of the table's other rows, a row that contradicts it is read as shifted,
and none of its values is used, where two adjacent cells join into one number and the
joined row no longer contradicts it (it prints no value there, as a short row, or follows
the rule). A contradiction no join explains is the report's own: the row is read as
printed."""

from __future__ import annotations

import dataclasses
import itertools
from decimal import Decimal

from socialstudy.errors import NumberFormatError
from socialstudy.extract.damaged import is_ragged
from socialstudy.extract.numbers import looks_numeric, parse_number
from socialstudy.extract.split_header import cell_number
from socialstudy.extract.tables import Row, Table

DERIVED = {"change", "change_pct", "deviation", "deviation_pct", "forecast_deviation"}
SHIFTED = ("row reads as full width ({n} cells) but its {column!r} ({printed}) does not follow "
           "from its other cells as on the table's other rows ({rule}), and cells {j} and "
           "{k} ({left!r}, {right!r}) join into one number: a tab inside a number may have "
           "shifted the row, so none of its values is used")

Value = tuple[Decimal, Decimal]  # a cell's value and its rounding (half a printed unit)


def shifted_rows(table: Table, columns: list[list[str]], by_column: list[str],
                 n_header: int) -> dict[int, str]:
    """{line: reason} of the full-width rows that contradict their table's arithmetic and
    could hold a number split over a tab (``by_column``: each column's measure)."""
    rows = [r for r in table.body if r.kind == "body"]
    derived = [j for j, (cells, measure) in enumerate(zip(columns, by_column), start=1)
               if cells and measure in DERIVED]
    if not derived or len(rows) < 2:
        return {}
    operands = [j for j in range(1, len(columns) + 1) if j not in derived]
    values = [{j: v for j in range(1, len(row.cells)) if (v := _value(row, j))}
              for row in rows]
    tallies = {d: _tallies(values, d, operands) for d in derived}
    found = {}
    for i, row in enumerate(rows):
        if len(row.cells) < n_header or is_ragged(row, n_header):
            continue
        for d in derived:
            held = _contradicted(values[i], tallies[d], d)
            join = _join(row, d, held) if held else None
            if join is not None:
                a, b, kind = held[0]
                found[row.line] = SHIFTED.format(
                    n=len(row.cells), column=" | ".join(columns[d - 1]),
                    printed=row.cells[d].strip(), rule=f"the {kind} of columns {a} and {b}",
                    j=join, k=join + 1, left=row.cells[join], right=row.cells[join + 1])
                break
    return found


Rule = tuple[int, int, str]  # operand columns a, b and the kind: difference | relative change


def _tallies(values: list[dict[int, Value]], d: int,
             operands: list[int]) -> dict[Rule, tuple[int, int]]:
    """{rule: (rows that follow it, rows that print its three cells)} over the whole table,
    counted once (a row's own part is taken out in ``_contradicted``, so the table is not
    walked again for every row)."""
    out = {}
    for a, b in itertools.permutations(operands, 2):
        checked = [v for v in values if {a, b, d} <= v.keys()]
        for kind in ("difference", "relative change"):
            out[(a, b, kind)] = (sum(_follows(v, a, b, d, kind) for v in checked), len(checked))
    return out


def _contradicted(row: dict[int, Value], tallies: dict[Rule, tuple[int, int]],
                  d: int) -> list[Rule]:
    """The rules column ``d`` follows on most other rows that print its cells, when this
    row prints them too and follows none of them; else []."""
    if d not in row:
        return []
    held = []
    for (a, b, kind), (n, m) in tallies.items():
        if {a, b} <= row.keys():  # then this row is one of the m: count the others only
            n -= _follows(row, a, b, d, kind)
            if n and 2 * n > m - 1:
                held.append((a, b, kind))
    return [] if any(_follows(row, *rule[:2], d, rule[2]) for rule in held) else held


def _follows(row: dict[int, Value], a: int, b: int, d: int, kind: str) -> bool:
    """|printed| within rounding of |b − a|, or of |(b − a) / a| in percent (either sign:
    the reports print deviations both ways)."""
    (va, ea), (vb, eb), (vd, ed) = row[a], row[b], row[d]
    slack = 2 * ed  # one printed unit: some reports cut rather than round
    if kind == "difference":
        return abs(abs(vb - va) - abs(vd)) <= slack + ea + eb
    if abs(va) <= ea:
        return False
    corners = [abs((y - x) / x * 100) for x in (va - ea, va + ea) for y in (vb - eb, vb + eb)]
    return min(corners) - slack <= abs(vd) <= max(corners) + slack


def _value(row: Row, j: int) -> Value | None:
    number = cell_number(row, j)
    return None if number is None else (number[0], Decimal(1).scaleb(-number[1]) / 2)


def _join(row: Row, d: int, held: list[Rule]) -> int | None:
    """The first value cell that, joined with the next one, reads as one number ('4' +
    '5,6 %', '45,6' + '%', '49' + '339') and so explains the contradiction: joined, the
    row prints no value in column ``d`` (a short row, as printed) or follows a rule the
    other rows follow. None when no join does: then the report's own figures disagree,
    which quality.csv's checks and the reader see, and the row is read as printed."""
    cells = row.cells
    for j in range(1, len(cells) - 1):
        left, right = cells[j].strip(), cells[j + 1].strip()
        glued = [left + glue + right for glue in ("", " ") if _one_number(left + glue + right)]
        if not (left and right and glued):
            continue
        joined = dataclasses.replace(row, cells=cells[:j] + glued[:1] + cells[j + 2:])
        values = {k: v for k in range(1, len(joined.cells)) if (v := _value(joined, k))}
        if d not in values or any({a, b} <= values.keys() and _follows(values, a, b, d, kind)
                                   for a, b, kind in held):
            return j
    return None


def _one_number(text: str) -> bool:
    try:
        return looks_numeric(text) and parse_number(text) is not None
    except NumberFormatError:
        return False
