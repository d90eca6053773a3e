"""Layout reader, part 8: indicator tables whose cells were stored glued together, as a
web goal page copied without separators (Helsingborg: header ``Utfall 2014Utfall
2015Utfall 2016Målvärde`` / ``2016``, rows ``…akutboende (Fenix)-59 %58 %Minst 60 %``).

Money tables glued at one decimal per value are ``layout_glued``'s; here the cells are
percentages, dashes and targets, and the table's own structure cuts them: every value of
a row carries its unit (``%``) or is a dash (no value), a target may carry a bound
(``Minst 60 %``), the label ends where the header's count of cells begins, and a label
never ends in a digit. A row is read only when exactly one cut gives the header's
number of cells; digits glued with no unit between them (``787779``) cut in several ways
and become a review item with their line, never a guess. A lower-bound target is read as
its number, and the row says how it was printed."""

from __future__ import annotations

import re

from socialstudy.extract import layout_model as lm
from socialstudy.extract.layout_words import column_year, find_title

NUM = r"(?:0|[1-9]\d*)(?:,\d+)?"
CELL = re.compile(rf"\s*(?:(?P<dash>[-–])|(?P<bound>(?:Minst|Högst|Lägst|Max|Min)\s+"
                  rf"(?:[A-ZÅÄÖ]{{2,}}\s+)?)?(?P<num>{NUM})(?P<pct>\s?%)?)")
HEAD_PIECE = re.compile(r"(?<=\S)(?=[A-ZÅÄÖ][a-zåäö])")
MAX_READINGS = 12


def header(lines: list[str], i: int) -> tuple[list[lm.HeaderCell], int] | None:
    """Glued header cells on line ``i`` (0-based), a year-only next line completing its
    last cell; (cells, index after the header) or None."""
    text = lines[i].strip()
    # cheap tests first: a piece's year is a year of the line, so two are needed there
    if "%" in text or text.endswith(".") or len(text) > 120 or len(lm.YEAR.findall(text)) < 2:
        return None
    pieces = [p.strip() for p in HEAD_PIECE.split(text)]
    if len(pieces) < 2 or len([p for p in pieces if lm.YEAR.search(p)]) < 2 \
            or not all(re.match(r"[A-ZÅÄÖ][a-zåäö]", p) for p in pieces):
        return None
    cells = [lm.HeaderCell(p, [i + 1]) for p in pieces]
    nxt = i + 1
    if nxt < len(lines) and lm.YEAR.fullmatch(lines[nxt].strip()) \
            and not lm.YEAR.search(pieces[-1]):
        cells[-1].text += " " + lines[nxt].strip()
        cells[-1].lines.append(nxt + 1)
        nxt += 1
    return cells, nxt


def cuts(tail: str, n: int) -> list[list[re.Match]]:
    """Every cut of ``tail`` into exactly ``n`` cells (at most MAX_READINGS)."""
    found: list[list[re.Match]] = []

    def walk(at: int, acc: list[re.Match]) -> None:
        if len(found) >= MAX_READINGS or len(acc) > n:
            return
        if at == len(tail) and len(acc) == n:
            found.append(acc)
            return
        for end in range(len(tail), at, -1):
            m = CELL.fullmatch(tail, at, end)
            if m:
                walk(end, acc + [m])

    walk(0, [])
    return [c for c in found if _one_kind(c)]


def _one_kind(cells: list[re.Match]) -> bool:
    """A row's values carry their unit or none: a bare number among percentages is a
    piece of a glued neighbour, not a value."""
    pct = [bool(m.group("pct")) for m in cells if m.group("num")]
    return all(pct) or not any(pct)


def readings(text: str, n: int) -> list[tuple[str, list[re.Match]]]:
    """(label, cells) of every way ``text`` is a label followed by ``n`` glued cells."""
    out = []
    for k in range(1, len(text)):
        label = text[:k].rstrip()
        if not re.search(r"[^\W\d_]", label) or label[-1].isdigit() or label[-1] in "-–%":
            continue
        if not text[k].isspace() and CELL.match(text, k):
            out += [(label, c) for c in cuts(text[k:], n)]
    return out[:MAX_READINGS]


def _row(line: int, text: str, n: int, reviews: list[lm.Review]) -> lm.BlockRow | None:
    """The row on 1-based ``line``: read, a section (goal text), a review item, or None
    (not a row of this table)."""
    found = readings(text, n)
    if len(found) == 1:
        label, cells = found[0]
        notes = {j: "glued cells cut at each value's unit ('%') or dash" + (
            f"; printed '{m.group(0).strip()}': a bound, read as its number"
            if m.group("bound") else "") for j, m in enumerate(cells, 1)}
        values = [m.group("dash") or m.group("num") + (" %" if m.group("pct") else "")
                  for m in cells]
        return lm.BlockRow(line, [label] + values, [line], notes)
    if found:
        shown = [[m.group(0).strip() for m in cells] for _, cells in found]
        reviews.append(lm.Review(line, text, shown, f"the glued cells cut into {n} values in "
                              f"{len(found)}{'+' if len(found) >= MAX_READINGS else ''} ways "
                              "(no unit, decimal or dash between the digits)"))
        return lm.BlockRow(line, [text], [line])
    if not text.endswith(".") and len(text) <= 200 and re.search(r"\d\s?%", text):
        reviews.append(lm.Review(line, text, [], f"the glued cells cut into {n} values in no "
                                 "way (a value missing, extra or without its '%')"))
        return lm.BlockRow(line, [text], [line])  # never the table's end: its rows stay
    if not re.search(r"\d", text) and not text.endswith(".") and len(text) <= 200:
        return lm.BlockRow(line, [text], [line])
    return None


def indicator_blocks(lines: list[str], used: list[bool]) -> list[lm.Block]:
    """Every glued indicator table among lines no other reader took."""
    blocks = []
    for i in range(len(lines)):
        head = None if used[i] else header(lines, i)
        if head is None:
            continue
        cells, at = head
        rows: list[lm.BlockRow] = []
        reviews: list[lm.Review] = []
        while at < len(lines) and lines[at].strip() and not used[at]:
            row = _row(at + 1, lines[at].strip(), len(cells), reviews)
            if row is None:
                break
            rows.append(row)
            at += 1
        if sum(len(r.cells) > 1 for r in rows) + len(reviews) < 2:
            continue
        title, tline = find_title(lines, i + 1)
        blocks.append(lm.Block("glued", i + 1, rows[-1].line, title, tline, [lm.HeaderRow(
            sorted({ln for c in cells for ln in c.lines}),
            [lm.HeaderCell("", [i + 1], corner=True)] + cells)], rows, reviews,
            [lm.Column(c.text, column_year(c.text, "")) for c in cells]))
    return blocks
