"""Layout reader, part 6: one-cell-per-line tables whose text changes shape mid-table.

A web page copied as text may put a row's first cells one per line and the rest on one
line separated by spaces (``228,6  -1133,1  -1179,0  -950,3  -964,6 14,3``), or a whole
row on its label's line with fewer cells than the header has columns.  A group of number
lines is split into exactly the header's count of cells (``readings``: thousands groups
never joined across a wide gap); more than one split is a review, never a guess.  A short
row is placed in the columns where the table's own arithmetic holds – a relation
``c = a ± b`` that every complete row of the block satisfies – and only when exactly one
placement passes a check; the placement and the check are written into the row."""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import permutations

from socialstudy.extract.layout_model import (
    DASH,
    NUM_CELL,
    Review,
    decimals,
    readings,
    value,
)

_NUMTOK = re.compile(r"^[-\u2013\u2212+]?\d+(?:[.,]\d+)?%?$")
# the letter is checked ahead (a letter cannot stand in the numbers): two lazy runs in the
# label made a prose line cost quadratic time, the same matches linear
_INLINE = re.compile(r"^(?=\S.*?[^\W\d_])(?P<label>\S.*?)\s{2,}"
                     r"(?P<nums>[-\u2013\u2212+\d][\d\s,.\-\u2013\u2212+%]*)$")
_NUM_END = ",.-\u2013\u2212+%"  # besides a digit, what the numbers of an inline row end in
MAX_READINGS = 6


def _tokens(text: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """Whitespace tokens of a number line and, after each, whether the gap is wide (2+)."""
    parts = re.split(r"(\s+)", text.strip())
    toks = tuple(parts[0::2])
    hard = tuple(len(g) >= 2 for g in parts[1::2])
    return toks, hard


# a character no number cell, dash or number token holds: most lines (prose) stop here
_NOT_IN_NUMBERS = re.compile("[^\\d\\s%*+,.\u2212\u2013\u2014\u25cf\u2022-]")


def is_number_line(text: str) -> bool:
    """One number (a cell) or several numbers separated by spaces, nothing else."""
    s = text.strip()
    if not s or _NOT_IN_NUMBERS.search(s):
        return False
    if NUM_CELL.match(s) or DASH.match(s):
        return True
    toks, _ = _tokens(s)
    return len(toks) >= 2 and all(_NUMTOK.match(t) or DASH.match(t) for t in toks)


def inline_row(text: str) -> tuple[str, str] | None:
    """(label, numbers) of a line holding a label and two or more numbers after a wide
    gap (``Uttag ur resultatutjämningsfond   0,0   0,0   -8,7 8,7``), else None."""
    text = text.strip()
    if not text or not (text[-1].isdecimal() or text[-1] in _NUM_END):
        return None  # most lines (prose) stop here
    m = _INLINE.match(text)
    if not m or not is_number_line(m.group("nums")) or len(_tokens(m.group("nums"))[0]) < 2:
        return None
    return m.group("label").strip(), m.group("nums").strip()


def line_splits(text: str, cap: int = MAX_READINGS) -> list[list[str]]:
    """Every way one number line splits into cells: a line that is one Swedish number
    (``-1 133,1``) is one cell; several numbers are cut by ``readings``."""
    s = text.strip()
    if NUM_CELL.match(s) or DASH.match(s):
        return [[s]]
    toks, hard = _tokens(s)
    out = []
    for k in range(1, len(toks) + 1):
        for rd in readings(toks, hard, k, cap):
            out.append([" ".join(toks[i:j]) for i, j in rd])
    return out


def group_readings(texts: list[tuple[int, str]], m: int) -> list[list[tuple[str, int]]]:
    """Every split of a row's number lines ((line, text) pairs) into exactly ``m`` cells,
    each cell with its own line; at most MAX_READINGS + 1 (enough to say 'several')."""
    options = [(no, line_splits(text)) for no, text in texts]
    found: list[list[tuple[str, int]]] = []

    def walk(i: int, acc: list[tuple[str, int]]) -> None:
        if len(found) > MAX_READINGS or len(acc) > m:
            return
        if i == len(options):
            if len(acc) == m:
                found.append(acc)
            return
        no, splits = options[i]
        for cells in splits:
            walk(i + 1, acc + [(c, no) for c in cells])

    walk(0, [])
    return found


def relations(rows: list[list[str]], m: int) -> list[tuple[int, int, int, int]]:
    """(a, b, c, sign) with cell c = cell a + sign × cell b in every complete row (at least
    three), within one unit of the last printed decimal: the table's own arithmetic."""
    full = [[value(c) for c in r] for r in rows if len(r) == m]
    full = [r for r in full if None not in r]
    if len(full) < 3:
        return []
    unit = Decimal(1).scaleb(-max((decimals(c) for r in rows for c in r), default=0))
    found = []
    for a, b, c in permutations(range(m), 3):
        for sign in (1, -1):
            if a > b and sign == 1:
                continue  # a + b = b + a
            if all(abs(r[a] + sign * r[b] - r[c]) <= unit for r in full) and any(
                    r[a] and r[b] for r in full):
                found.append((a, b, c, sign))
    return found


def _holds(rel: tuple[int, int, int, int], cells: dict[int, Decimal], unit: Decimal) -> bool:
    a, b, c, sign = rel
    return abs(cells[a] + sign * cells[b] - cells[c]) <= unit


def place_short(cells: list[str], m: int, rels: list[tuple[int, int, int, int]],
                names: list[str]) -> tuple[list[str], str] | None:
    """Place ``k < m`` consecutive cells in the one run of columns where at least one
    relation of the table can be checked and every checkable one holds; None when no
    run or several pass (then a person decides)."""
    k = len(cells)
    nums = [value(c) for c in cells]
    if None in nums or not rels:
        return None
    unit = Decimal(1).scaleb(-max(decimals(c) for c in cells))
    passing = []
    for off in range(m - k + 1):
        placed = {off + i: v for i, v in enumerate(nums)}
        checkable = [r for r in rels if all(x in placed for x in r[:3])]
        if checkable and all(_holds(r, placed, unit) for r in checkable):
            passing.append((off, checkable[0]))
    if len(passing) != 1:
        return None
    off, (a, b, c, sign) = passing[0]
    out = [""] * off + list(cells) + [""] * (m - k - off)
    op = "+" if sign == 1 else "−"
    show = [f"({c})" if c.startswith(("-", "−")) else c for c in out]
    why = (f"{k} cells for {m} columns, placed in columns {off + 1}–{off + k} by the "
           f"table's own arithmetic: {names[c]} = {names[a]} {op} {names[b]} "
           f"({show[c]} = {show[a]} {op} {show[b]}) holds in every full row and here, and in "
           "no other placement")
    return out, why


def cpl_items(lines: list[str], runs: list[tuple[str, list[int]]],
              steps: list[tuple[int, ...]], m: int, names: list[str]
              ) -> tuple[list[tuple[str, int, list[str]]], list[Review],
                         dict[int, tuple[list[int], dict[int, str]]]]:
    """Items for ``fold_labels``, the reviews left, and per row line its cells' lines and
    the repairs made ({cell: how it was placed})."""
    items, reviews, placed, full, short = [], [], {}, [], []
    for g, step in enumerate(steps):
        if len(step) == 1:
            for n in runs[step[0]][1]:
                label, nums = inline_row(lines[n])
                short.append((n + 1, nums))
                items.append(("row", n + 1, [label, nums]))
            continue
        texts, nums = runs[step[0]][1], runs[step[1]][1]
        labels = texts[-1:] if g == 0 else texts
        items += [("text", t + 1, [lines[t].strip()]) for t in labels[:-1]]
        line, found = labels[-1] + 1, group_readings([(n + 1, lines[n]) for n in nums], m)
        if len(found) == 1:
            full.append([c for c, _ in found[0]])
            placed[line] = ([line] + [no for _, no in found[0]], {})
            items.append(("row", line, [lines[labels[-1]].strip()] + full[-1]))
            continue
        text = "  ".join(lines[n].strip() for n in nums)
        reviews.append(Review(line, text, [[c for c, _ in r] for r in found],
                              f"the number lines split into {m} cells in several ways"))
        items.append(("row", line, [lines[labels[-1]].strip(), text]))
    rels = relations(full, m)
    names = names if len(names) == m else [f"column {j + 1}" for j in range(m)]
    for line, nums in short:
        cells, why, review = _short_row(nums, m, rels, names)
        at = next(j for j, it in enumerate(items) if it[1] == line)
        items[at] = ("row", line, [items[at][2][0]] + cells)
        if review:
            reviews.append(Review(line, nums, [], review))
        else:
            placed[line] = ([line] * (m + 1), {j + 1: why for j, c in enumerate(cells)
                                                if c and why})
    return items, reviews, placed




def _short_row(nums: str, m: int, rels: list[tuple[int, int, int, int]], names: list[str]
               ) -> tuple[list[str], str, str]:
    """(cells, how they were placed, why a person must decide) of a label-and-numbers line."""
    splits = line_splits(nums)
    if len(splits) != 1:
        return [nums], "", (f"'{nums}' splits into cells in {len(splits)} ways; which is "
                            "meant is not certain")
    cells = splits[0]
    if len(cells) == m:
        return cells, "", ""
    if len(cells) > m:
        return [nums], "", f"{len(cells)} cells for {m} columns"
    got = place_short(cells, m, rels, names)
    if got is None:
        return [nums], "", (f"{len(cells)} cells for {m} columns; the table's own "
                            "arithmetic places them in no column run, or in several")
    return got[0], got[1], ""
