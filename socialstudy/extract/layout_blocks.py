"""Layout reader, part 5: one-cell-per-line blocks and space-aligned blocks assembled."""

from __future__ import annotations

import re
from statistics import mode

from socialstudy.extract import layout_model as lm
from socialstudy.extract.layout_groups import (
    cpl_items,
    group_readings,
    inline_row,
    is_number_line,
    line_splits,
)
from socialstudy.extract.layout_space import (
    _TAIL_END,
    _Line,
    classify,
    grow,
    header_rows,
    mark_corners,
    space_columns,
)
from socialstudy.extract.layout_split import _fields, _Row, anchors, resolve, settle
from socialstudy.extract.layout_words import (
    UNIT_CELL,
    column_year,
    find_title,
    fold_labels,
    split_glued,
)

# ----------------------------------------------------------------------------- cell per line

def _cpl_kind(line: str) -> str:
    """'num' (one number or a dash), 'text' (a short cell), 'blank' or 'brk' (prose, tabs)."""
    s = line.strip()
    if not s:
        return "blank"
    if "\t" in line:
        return "brk"
    if is_number_line(s):
        return "num"
    if inline_row(s):
        return "inline"
    if (s.endswith(".") and len(s.split()) > 6) or (len(s) > 80 and len(split_glued(s)) < 3):
        return "brk"
    return "text"


def cpl_runs(lines: list[str], used: list[bool]) -> list[tuple[str, list[int]]]:
    """Consecutive non-blank lines of one kind, blanks transparent: [(kind, [0-based])]."""
    runs: list[tuple[str, list[int]]] = []
    for i, line in enumerate(lines):
        kind = "brk" if used[i] else _cpl_kind(line)
        if kind == "blank":
            continue
        if runs and runs[-1][0] == kind and kind != "brk":
            runs[-1][1].append(i)
        else:
            runs.append((kind, [i]))
    return runs


_UNIT_PREFIX = re.compile(r"(?i)^(mnkr|mkr|tkr|kr)\s+(\S.*)$")


def _unit_prefix(parts: list[str]) -> tuple[str, list[str]]:
    """``mnkr Intäkter 2019`` as the first glued header cell: the unit is the corner."""
    m = _UNIT_PREFIX.match(parts[0]) if parts else None
    return (m.group(1), [m.group(2)] + parts[1:]) if m else ("", parts)


def _cpl_header(lines: list[str], texts: list[int], m: int) -> tuple[list[lm.HeaderCell], int]:
    """Header cells read upwards from the first label: m cells (glued ones split), plus a
    unit corner cell such as ``mnkr``.  Returns the cells and how many lines they used."""
    cells: list[lm.HeaderCell] = []
    used = 0
    for i in reversed(texts[:-1]):
        corner, parts = _unit_prefix(split_glued(lines[i].strip()))
        if len(cells) + len(parts) > m:
            break
        cells = [lm.HeaderCell(p, [i + 1]) for p in parts] + cells
        used += 1
        if len(cells) == m:
            if corner:
                return [lm.HeaderCell(corner, [i + 1], corner=True)] + cells, used
            break
    if len(cells) == m and len(texts) - 1 > used:
        above = texts[-2 - used]
        if UNIT_CELL.match(lines[above].strip()):
            cells.insert(0, lm.HeaderCell(lines[above].strip(), [above + 1], corner=True))
            used += 1
    return (cells, used) if len(cells) >= m else ([], 0)


def _first_width(lines: list[str], nums: list[int]) -> int:
    """Cells of the first row: one per line, or the one split of its number lines."""
    splits = [line_splits(lines[n]) for n in nums]
    return sum(len(s[0]) for s in splits) if all(len(s) == 1 for s in splits) else 0


def _cpl_chain(lines: list[str], runs: list[tuple[str, list[int]]], idx: int
               ) -> list[tuple[int, ...]]:
    """The rows that follow from runs[idx]: (label run, number run) for a row whose
    numbers split into the first row's count of cells, (run,) for label-and-numbers lines
    between them."""
    m, steps, p = _first_width(lines, runs[idx + 1][1]), [], idx
    while p < len(runs):
        if runs[p][0] == "inline" and steps:
            steps.append((p,))
            p += 1
            continue
        if not (p + 1 < len(runs) and runs[p][0] == "text" and runs[p + 1][0] == "num"
                and (p == idx or len(runs[p][1]) <= 2) and m
                and group_readings([(n + 1, lines[n]) for n in runs[p + 1][1]], m)):
            break
        steps.append((p, p + 1))
        p += 2
    return steps


def cpl_block(lines: list[str], runs: list[tuple[str, list[int]]], idx: int,
              steps: list[tuple[int, ...]]) -> lm.Block | None:
    """Build one cell-per-line block from the rows ``steps`` starting at runs[idx]."""
    m = _first_width(lines, runs[idx + 1][1])
    head, nhead = _cpl_header(lines, runs[idx][1], m)
    count = sum(len(s) == 2 for s in steps)
    if not ((count >= 2 and m >= 2) or count >= 3 or (head and m >= 2)):
        return None
    items, reviews, placed = cpl_items(lines, runs, steps, m,
                                       [c.text for c in head if not c.corner])
    rows = fold_labels(items)
    for row in rows:
        row.cell_lines, row.repaired = placed.get(row.line, (None, {}))
    first = runs[idx][1][-1 - nhead] + 1
    title, tline = find_title(lines, first)
    header = [lm.HeaderRow(sorted({c.lines[0] for c in head}), head)] if head else []
    cols = [lm.Column(c.text, column_year(c.text, "")) for c in head if not c.corner]
    return lm.Block("cell_per_line", first, runs[steps[-1][-1]][1][-1] + 1, title, tline,
                    header, rows, reviews, cols)


def cpl_blocks(lines: list[str], used: list[bool]) -> list[lm.Block]:
    """Every cell-per-line table: label line then its number lines, repeated."""
    runs, blocks, idx = cpl_runs(lines, used), [], 0
    while idx + 1 < len(runs):
        if runs[idx][0] == "text" and runs[idx + 1][0] == "num":
            steps = _cpl_chain(lines, runs, idx)
            block = cpl_block(lines, runs, idx, steps) if steps else None
            if block:
                blocks.append(block)
                idx = steps[-1][-1] + 1
                continue
        idx += 1
    return blocks


# ----------------------------------------------------------------------------- space blocks

def _count(rows: list[_Line], aligned: bool) -> int:
    """Numeric cells most rows have: aligned cells, or tokens when spacing is lost."""
    fields = [len(_fields(r)) if aligned else len(r.toks) for r in rows]
    return max(mode(fields), 1) if fields else 1


def _valid(hrows: list[lm.HeaderRow], recs: list[_Row], aligned: bool) -> bool:
    """Not prose: a header, or two consecutive rows with the same count of numeric cells
    (aligned, or at least two numbers each)."""
    if hrows and any(not c.corner for c in hrows[-1].cells):
        return True
    counts = [sum(1 for c in r.cells if c) if r.cells is not None and not r.review else -1
              for r in recs]
    return any(a == b and a >= 1 and (aligned or a >= 2) for a, b in zip(counts, counts[1:]))


def space_block(lines: list[str], heads: list[_Line], body: list[_Line]) -> lm.Block | None:
    """Build, split and check one space-aligned (or spacing-lost) block."""
    rows = [b for b in body if b.kind == "row"]
    if not rows:
        return None
    aligned = any(r.gap >= 2 or any(r.hard) for r in rows) or any(
        h.head and h.text.strip().count("  ") for h in heads)
    hrows = header_rows(heads, aligned)
    starts = [r.ends[0] - len(r.toks[0]) for r in rows if r.gap >= 2 and r.label]
    n_tok = _count(rows, aligned)
    mark_corners(hrows, min(starts) if starts and aligned else None, n_tok)
    cols = space_columns(hrows, aligned)
    n = max(len(cols), n_tok if aligned or not cols else 0) or n_tok
    cols += [lm.Column("", None) for _ in range(n - len(cols))]
    spans = anchors(rows, n, hrows[-1].cells if hrows else []) if aligned else None
    recs = [resolve(r, n, spans) for r in rows]
    settle(recs, cols, n)
    if not _valid(hrows, recs, aligned):
        return None
    return _assemble(lines, heads, body, hrows, recs, cols)


def _assemble(lines: list[str], heads: list[_Line], body: list[_Line], hrows: list[lm.HeaderRow],
              recs: list[_Row], cols: list[lm.Column]) -> lm.Block:
    """Rows, labels folded, repairs and reviews recorded."""
    by_line = {r.info.no: r for r in recs}
    items, reviews = [], []
    for b in body:
        if b.kind == "text":
            items.append(("text", b.no, [b.label]))
        elif b.kind == "row":
            rec = by_line[b.no]
            undecided = rec.cells is None
            items.append(("row", b.no, [b.label] + ([" ".join(b.toks)] if undecided
                                                    else rec.cells)))
            if undecided or rec.review:
                reviews.append(lm.Review(b.no, b.text.strip(), [rec.cells_of(*c, len(cols))
                                                                for c in rec.cands], rec.review))
    rows = fold_labels(items)
    for row in rows:
        rec = by_line.get(row.line)
        if rec and rec.reason:
            row.repaired = {c + 1: rec.reason for c in (rec.split or range(len(rec.cells)))}
    first = (heads or body)[0].no
    title, tline = find_title(lines, first)
    return lm.Block("space_aligned", first, body[-1].no, title, tline, hrows, rows, reviews, cols)


# A row ends in a number (or in markup after it: ``<b>-97,4</b>``) and a header line has
# one within three lines below it; ``grow`` looks at most a few lines past either. A line
# further than this from every such line can only end a block, as an unreadable line
# does, so it is not classified.
REACH = 8
_MAY_END_ROW = _TAIL_END + (">",)
_OUT = _Line(0, "", "other")  # a line taken by another reader, or out of reach


def space_blocks(lines: list[str], used: list[bool], reach: int | None = REACH
                 ) -> list[lm.Block]:
    """Every space-aligned block among lines that no other reader took (``reach=None``:
    every line classified, the same blocks more slowly)."""
    ends = [ln.rstrip() for ln in lines]
    ends_num = [e.endswith(_TAIL_END) for e in ends] + [False] * 3
    near = [True] * len(lines) if reach is None else [False] * len(lines)
    for i in (i for i, e in enumerate(ends) if reach is not None and e.endswith(_MAY_END_ROW)):
        near[max(0, i - reach): i + reach + 1] = [True] * (min(i + reach + 1, len(lines))
                                                         - max(0, i - reach))
    infos = [classify(i + 1, line, any(ends_num[i + 1:i + 4])) if near[i] and not used[i]
             else _OUT for i, line in enumerate(lines)]

    def read(i: int) -> tuple[int, lm.Block | None]:
        k, heads, body = grow(infos, i)
        return k, space_block(lines, heads, body) if body else None

    return lm.walk(len(infos), lambda i: infos[i].kind in ("header", "row"), read)
