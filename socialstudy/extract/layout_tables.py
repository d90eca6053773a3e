"""Tables of other shapes: the space-aligned and one-cell-per-line blocks that
``extract.layout`` finds (tab-separated runs stay with ``tables``, unchanged) become
``Table`` objects with provenance. A row is read only when it fits its header exactly; a
row that does not (cells missing, numbers glued to the label, a split with several
readings) is kept as a ``review`` row: a reject naming the decision left, never a guess."""

from __future__ import annotations

import re

from socialstudy.core.registry import Report
from socialstudy.extract.layout import segment
from socialstudy.extract.layout_model import Block, BlockRow
from socialstudy.extract.numbers import looks_numeric
from socialstudy.extract.tables import Row, Table, _unit

GLUED = re.compile(r"[^\W\d_]\S*?-?\d+,\d")  # a word with a number glued to it
NUMBER_IN_LABEL = re.compile(r"\d[,.]\d")  # decimals left in the label cell
WORD = re.compile(r"[^\W\d_]{2,}")


def layout_tables(report: Report, lines: list[str]) -> list[Table]:
    """Every non-tab table block of one report, as tables, in order of appearance."""
    return [block_table(report, block, lines) for block in segment(lines, tabs=False)]


def _columns(block: Block) -> list[str]:
    """The block's column labels, or none when a label holds no word (a row of numbers
    mistaken for a header): then every row is left for review."""
    labels = [c.label for c in block.columns]
    return labels if labels and all(WORD.search(x) for x in labels) else []


def block_table(report: Report, block: Block, lines: list[str]) -> Table:
    columns = _columns(block)
    corner = next((c.text for h in block.header for c in h.cells if c.corner), "")
    rows = []
    if columns:
        line = block.header[0].lines[0] if block.header else block.first_line
        rows.append(Row(line=line, cells=[corner] + columns, kind="header"))
    reviews = {v.line: v for v in block.reviews}
    for brow in block.rows:
        rows.append(_row(brow, len(columns), reviews.get(brow.line), block, lines))
    seen: set[int] = set()
    rows = [r for r in rows if not (r.line in seen or seen.add(r.line))]
    table = Table(doc_id=report.doc_id, title=block.title, title_line=block.title_line,
                  rows=rows)
    table.unit = _unit(table)
    return table


def _row(brow: BlockRow, n: int, review, block: Block, lines: list[str]) -> Row:
    cells = list(brow.cells)
    row = Row(line=brow.line, cells=cells, repaired=dict(brow.repaired))
    values = cells[1:]
    if review is not None:
        readings = " or ".join("[" + " | ".join(r) + "]" for r in review.readings)
        row.kind, row.review = "review", f"{review.reason}; readings: {readings}"
    elif _glued(cells):
        row.kind, row.review = "review", "numbers glued to the label or to each other; " \
                                         "split them by hand (no reading is certain)"
    elif not values:
        row.kind = "section"
    elif not n:
        row.kind, row.review = "review", "no header names the columns of this table"
    elif len(values) != n:
        row.kind, row.review = "review", (f"{len(values)} cells for {n} columns; which "
                                          "columns they belong to is not certain")
    if (block.kind == "cell_per_line" or brow.cell_lines) and row.kind == "body":
        row.cell_lines = brow.cell_lines or _cell_lines(brow, lines)
    return row


def _glued(cells: list[str]) -> bool:
    """Numbers glued to the label, left in the label cell, or a value that is no number."""
    return bool(GLUED.search(cells[0]) or NUMBER_IN_LABEL.search(cells[0])) or any(
        not looks_numeric(v) for v in cells[1:] if v.strip())


def _cell_lines(brow: BlockRow, lines: list[str]) -> list[int] | None:
    """Each cell's own raw line (1-based): the label's line, then the lines below it that
    hold the cells in order."""
    found, i = [brow.line], brow.line  # lines[i] is the line after the label
    for cell in brow.cells[1:]:
        while i < len(lines) and not lines[i].strip():
            i += 1
        if i >= len(lines) or lines[i].strip() != cell:
            return None
        found.append(i + 1)
        i += 1
    return found
