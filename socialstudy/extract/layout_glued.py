"""Layout reader, part 7: tables whose cells were stored glued together, as a web table
copied without separators (``Socialnämnden11,80,0470,1248,6`` / ``-697,0`` / ``21,633,4``).

A row is a label with numbers glued to it, followed by lines of numbers only; its header
is the block of short text lines above the first row, one cell per capitalised line
(``Ingående`` / ``redovisat`` / ``resultat 1)`` is one cell).  The numbers are cut with
the rule *one decimal per value* (thousands spaces kept: ``-77,96 953,5`` is −77,9 and
6 953,5) into exactly the header's count of cells; every cut is then checked against the
table's own arithmetic (a relation ``c = ±a ± b (± d)`` that every row satisfies).  Where
the rule leaves several cuts, the arithmetic chooses, and the row says so; where it does
not decide, the row is a review item, never a guess.  Each cut is written into the row."""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import combinations, product

from socialstudy.extract import layout_model as lm
from socialstudy.extract.layout_words import column_year, find_title

_VALUE = re.compile(r"-?(?:\d{1,3}(?: \d{3})+|\d+),\d")
# a letter before the first digit, checked ahead: one lazy run, linear on a prose line
_GLUED_ROW = re.compile(r"^(?=[^\d\n]*[^\W\d_])(?P<label>[^\d\n]*?)(?P<nums>-?\d[\d ,\-]*,\d)$")
_NUMBERS = re.compile(r"^-?\d[\d ,\-]*,\d$")
_FOOTNOTE = re.compile(r"\s*\d\)$")
MAX_CUTS = 8
UNIT = Decimal("0.1")


def cuts(text: str) -> list[list[str]]:
    """Every cut of glued numbers into values of one decimal each (at most MAX_CUTS)."""
    found: list[list[str]] = []

    def walk(i: int, acc: list[str]) -> None:
        if len(found) >= MAX_CUTS:
            return
        if i == len(text):
            found.append(acc)
            return
        for m in (_VALUE.match(text, i, j) for j in range(i + 3, len(text) + 1)):
            if m and m.end() == m.endpos:
                walk(m.end(), acc + [m.group(0)])

    walk(0, [])
    return found


def _num(cell: str) -> Decimal:
    return Decimal(cell.replace(" ", "").replace(",", "."))


def relations(rows: list[list[str]], n: int) -> list[tuple[int, tuple[tuple[int, int], ...]]]:
    """(c, ((a, sign), …)) with cell c = Σ sign × cell a (two or three terms) in every row
    (at least three), within one unit of the last decimal per term."""
    vals = [[_num(c) for c in r] for r in rows if len(r) == n]
    if len(vals) < 3:
        return []
    found = []
    for c in range(n):
        others = [i for i in range(n) if i != c]
        for size in (2, 3):
            for terms in combinations(others, size):
                for signs in product((1, -1), repeat=size):
                    if signs[0] == -1:
                        continue
                    rel = (c, tuple(zip(terms, signs)))
                    if all(_holds(rel, r) for r in vals) and any(
                            all(r[a] for a in terms) for r in vals):
                        found.append(rel)
    return found


def _holds(rel: tuple[int, tuple[tuple[int, int], ...]], row: list[Decimal]) -> bool:
    c, terms = rel
    return abs(sum(s * row[a] for a, s in terms) - row[c]) <= UNIT * len(terms)


def _show(rel, cells: list[str], names: list[str]) -> str:
    c, terms = rel
    shown = [f"({x})" if x.startswith("-") else x for x in cells]
    text = " ".join(("+ " if s > 0 else "− ") + shown[a] for a, s in terms)[2:]
    what = " ".join(("+ " if s > 0 else "− ") + names[a] for a, s in terms)[2:]
    return f"{names[c]} = {what} ({cells[c]} = {text})"


def header_cells(lines: list[str], first: int, last: int) -> list[lm.HeaderCell]:
    """Header lines ``first``..``last`` (0-based) as cells: a capitalised line starts a
    cell, a lower-case line or one after ``av``/``och`` continues it."""
    cells: list[lm.HeaderCell] = []
    for i in range(first, last + 1):
        text = lines[i].strip()
        if not text:
            continue
        cont = cells and (text[0].islower() or re.search(r"\b(av|och|i|mot)$",
                                                          cells[-1].text))
        if cont and not _FOOTNOTE.search(cells[-1].text):
            cells[-1].text += " " + text
            cells[-1].lines.append(i + 1)
        else:
            cells.append(lm.HeaderCell(text, [i + 1]))
    return cells


def _row_groups(lines: list[str], start: int) -> tuple[list[tuple[int, str, list[int]]], int]:
    """(label line, label, number lines) of each glued row from ``start``; section rows
    (text only) have no number lines. Returns the groups and the index after the last."""
    groups: list[tuple[int, str, list[int]]] = []
    i = start
    while i < len(lines):
        text = lines[i].strip()
        m = _GLUED_ROW.match(text)
        if m:
            groups.append((i, m.group("label").strip(), [i]))
        elif _NUMBERS.match(text) and groups and groups[-1][2]:
            groups[-1][2].append(i)
        elif text and len(text) <= 60 and not text.endswith(".") and groups:
            groups.append((i, text, []))
        else:
            break
        i += 1
    while groups and not groups[-1][2]:
        groups.pop()
    return groups, (groups[-1][2][-1] + 1 if groups else start)


def _header_above(lines: list[str], first_row: int, n: int) -> list[lm.HeaderCell]:
    """The header's ``n`` cells from the short text lines above the first row, up to a
    line that holds a year or a digit (the title); none when they do not make ``n``."""
    top = first_row
    while top > 0:
        text = lines[top - 1].strip()
        if text and (re.search(r"\d{2}", text) or text.endswith(".") or len(text) > 40):
            break
        top -= 1
    cells = header_cells(lines, top, first_row - 1)
    return cells if len(cells) == n else []


def _group_cuts(lines: list[str], nums: list[int], label: str) -> list[list[tuple[str, int]]]:
    """Every cut of a row's glued numbers (label line first, then number lines) into
    (value, line) cells; each line is cut on its own (a line break is always a cell end)."""
    options = []
    for k, i in enumerate(nums):
        text = lines[i].strip()
        text = text[len(label):] if k == 0 else text
        options.append([[(v, i + 1) for v in cut] for cut in cuts(text)])
    return [sum(combo, []) for combo in product(*options)][:MAX_CUTS]


def glued_block(lines: list[str], groups: list[tuple[int, str, list[int]]]) -> lm.Block | None:
    """One glued table: rows cut, the width the rows agree on, header, checks."""
    cut = {g[0]: _group_cuts(lines, g[2], _label_text(lines, g)) for g in groups if g[2]}
    widths = [len(c[0]) for c in cut.values() if len(c) == 1]
    if len(widths) < 2:
        return None
    n = max(set(widths), key=widths.count)
    sure = [[v for v, _ in c[0]] for c in cut.values() if len(c) == 1 and len(c[0]) == n]
    rels = relations(sure, n)
    head = _header_above(lines, groups[0][0], n)
    names = [h.text for h in head] or [f"column {j + 1}" for j in range(n)]
    rows, reviews = [], []
    for line, label, nums in groups:
        rows.append(_glued_row(line, label, cut.get(line, []), n, rels, names, reviews))
    first = head[0].lines[0] if head else groups[0][0] + 1
    title, tline = find_title(lines, first)
    header = [lm.HeaderRow(sorted({ln for c in head for ln in c.lines}),
                           [lm.HeaderCell("", [first], corner=True)] + head)] if head else []
    cols = [lm.Column(c.text, column_year(c.text, "")) for c in head]
    return lm.Block("glued", first, groups[-1][2][-1] + 1, title, tline, header, rows, reviews,
                    cols)


def _label_text(lines: list[str], group: tuple[int, str, list[int]]) -> str:
    m = _GLUED_ROW.match(lines[group[0]].strip())
    return m.group("label") if m else ""


def _glued_row(line: int, label: str, options: list[list[tuple[str, int]]], n: int,
               rels: list, names: list[str], reviews: list[lm.Review]) -> lm.BlockRow:
    """A row cut in its one reading (said how, and the check), or a review."""
    if not options:
        return lm.BlockRow(line + 1, [label], [line + 1])
    fits = [o for o in options if len(o) == n]
    how = "glued cells cut at one decimal per value"
    if len(fits) > 1 and rels:
        fits = [o for o in fits if all(_holds(r, [_num(v) for v, _ in o]) for r in rels)]
        how += "; of several cuts only this one satisfies the table's own arithmetic"
    if len(fits) != 1:
        text = " | ".join(v for v, _ in options[0])
        reviews.append(lm.Review(line + 1, text, [[v for v, _ in o] for o in options],
                                 f"the glued numbers cut into {n} values in {len(fits)} ways"
                                 if fits else f"the glued numbers make no {n} values"))
        return lm.BlockRow(line + 1, [label, text], [line + 1])
    cells = [v for v, _ in fits[0]]
    checks = [_show(r, cells, names) for r in rels[:1]]
    note = how + (f"; checked: {checks[0]}" if checks else "; no arithmetic check in this "
                  "table")
    return lm.BlockRow(line + 1, [label] + cells, [line + 1], {j: note for j in range(1, n + 1)},
                       [line + 1] + [ln for _, ln in fits[0]])


def glued_blocks(lines: list[str], used: list[bool]) -> list[lm.Block]:
    """Every glued table among lines no other reader took."""

    def read(i: int) -> tuple[int, lm.Block | None]:
        groups, end = _row_groups(lines, i)
        if any(used[g[0]] for g in groups):
            groups = []
        return end, glued_block(lines, groups) if len(groups) >= 2 else None

    def starts(i: int) -> bool:  # a glued row ends in ",<digit>": most lines stop there
        text = lines[i].rstrip()
        return not used[i] and text[-2:-1] == "," and text[-1].isdecimal() \
            and bool(_GLUED_ROW.match(text.strip()))

    return lm.walk(len(lines), read=read, starts=starts)
