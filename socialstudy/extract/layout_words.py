"""Layout reader, part 2: header words, glued header cells, titles, wrapped labels and
the tab-separated runs (the same rule as ``tables._runs``)."""

from __future__ import annotations

import re

from socialstudy.extract import layout_model as lm
from socialstudy.extract.tables import line_above

# ----------------------------------------------------------------------------- headers

COLWORDS = ("budget", "utfall", "avvikelse", "intäkter", "kostnader", "nettokostnad", "netto",
            "prognos", "bokslut", "resultat", "nämndbidrag", "kommunbidrag", "ram",
            "förändring", "helår", "period", "differens", "andel", "budgeterat", "totalt",
            "summa", "antal")
_PREP = {"mot", "av", "i", "för", "per", "och", "samt", "inkl", "inkl.", "exkl", "till"}
_GLUE = re.compile(r"(?<=(?:19|20)\d{2})(?=[^\d\s\-–/)])|(?<=\d{4}-\d{2}-\d{2})(?=\S)")
UNIT_CELL = re.compile(r"(?i)^\(?(belopp,?\s*)?(i\s*)?(mnkr|mkr|tkr|kr|miljoner kronor|"
                       r"tusen kronor)\)?$")


_FOUR_DIGITS = re.compile(r"\d{4}")  # both glue points follow four digits: most lines stop here


def split_glued(text: str) -> list[str]:
    """``Intäkter 2024Intäkter 2025`` -> two cells: a year glued to the next word."""
    if not _FOUR_DIGITS.search(text):
        return [text.strip()] if text.strip() else []
    return [p.strip() for p in _GLUE.split(text) if p.strip()]


_COLWORD = re.compile(r"(?i)^\(?(?:" + "|".join(COLWORDS)
                      + r"|(?:19|20)\d{2}(?:-\d{2}-\d{2})?\)?$)")


def _is_colword(tok: str) -> bool:
    """A word that starts a column heading (``Budget``, ``Utfall``), or a year or date."""
    return bool(_COLWORD.match(tok))


def vocab_split(text: str) -> list[str]:
    """Split a header whose spacing was lost (``Budget 2025 Utfall 2025 Avvikelse``) before
    each column word or year that does not follow a preposition or the column's own word."""
    toks = text.split()
    cells: list[list[str]] = []
    for tok in toks:
        prev = cells[-1][-1].lower() if cells else ""
        starts = _is_colword(tok) and prev not in _PREP
        year_after_word = lm.YEAR.fullmatch(tok) and cells and _COLWORD.match(cells[-1][0]) \
            and not (lm.YEAR.fullmatch(prev) or lm.DATE.fullmatch(prev))
        if cells and (not starts or year_after_word):
            cells[-1].append(tok)
        else:
            cells.append([tok])
    return [" ".join(c) for c in cells]


# ----------------------------------------------------------------------------- titles

def find_title(lines: list[str], first: int, lookback: int = 4) -> tuple[str, int | None]:
    """Nearest heading-like line above a block (1-based ``first``): short, not a sentence."""
    found = line_above(lines, first - 2, lookback)
    if found:
        label = lm.clean(found[0]).strip("*: ").strip()
        if 0 < len(label) <= 100 and not label.endswith(".") and not lm.NUM_CELL.match(label):
            return label, found[1] + 1
    return "", None


def column_year(own: str, spanning: str) -> int | None:
    """A column's year: a date in its own header, else a year in it, else the span's."""
    for text in (own, spanning):
        m = lm.DATE.search(text) or lm.YEAR.search(text)
        if m:
            return int(m.group(1))
    return None


# ----------------------------------------------------------------------------- labels

_INCOMPLETE = re.compile(r"(?:[-,]|\b(?:och|samt|för|av|i|inkl\.?|till|med))$", re.I)
_VARAV = re.compile(r"(?i)^(varav|därav)\b")
TOTAL = re.compile(r"(?i)\b(summa|totalt|total|s:a)\b")


def joins_forward(text: str, next_label: str) -> bool:
    """A label-only line continues onto the next row's label (``Individ- och`` / ``familj``)."""
    if _INCOMPLETE.search(text) or not next_label:
        return True
    return next_label[0].islower() and not _VARAV.match(next_label)


def joins_back(prev_label: str, text: str) -> bool:
    """A label-only line finishes the previous row's label."""
    if _INCOMPLETE.search(prev_label):
        return True
    return bool(text) and text[0].islower() and not _VARAV.match(text)


def join_label(a: str, b: str) -> str:
    """Join a wrapped label; ``familje-`` + ``omsorg`` loses its hyphen, ``Barn-`` + ``och``
    keeps it (Swedish compound elision)."""
    a, b = a.strip(), b.strip()
    if not a or not b:
        return a or b
    if a.endswith("-") and a[-2:-1].isalpha() and b[0].islower() and \
            b.split()[0] not in {"och", "eller", "samt"}:
        return a[:-1] + b
    return f"{a} {b}"


def fold_labels(items: list[tuple[str, int, list[str]]]) -> list[lm.BlockRow]:
    """Turn (kind, line, cells) items, kind 'row' or 'text', into rows: a text line joins the
    next row's label, or the previous row's, or stands alone as a section row."""
    rows: list[lm.BlockRow] = []
    pending: list[tuple[int, str]] = []  # text lines waiting for the next row
    for idx, (kind, line, cells) in enumerate(items):
        if kind == "row":
            label, lines_ = cells[0], []
            if pending and joins_forward(pending[-1][1], label):
                label = join_label(pending[-1][1], label)
                lines_ = [pending[-1][0], line]
                pending.pop()
            rows.extend(lm.BlockRow(ln, [t], [ln]) for ln, t in pending)
            pending = []
            rows.append(lm.BlockRow(line, [label] + cells[1:], lines_ or [line]))
            continue
        text = cells[0]
        prev = rows[-1] if rows and not pending else None
        nxt = next((it for it in items[idx + 1:] if it[0] == "row"), None)
        fwd = nxt is not None and items[idx + 1][0] == "row" and joins_forward(text, nxt[2][0])
        if prev is not None and len(prev.cells) > 1 and joins_back(prev.cells[0], text) \
                and not (fwd and not text[0].islower()):
            prev.cells[0] = join_label(prev.cells[0], text)
            prev.label_lines.append(line)
        else:
            pending.append((line, text))
    rows.extend(lm.BlockRow(ln, [t], [ln]) for ln, t in pending)
    return rows


# ----------------------------------------------------------------------------- tab

def _has_quantity(cells: list[str]) -> bool:
    """A numeric cell that is not a bare year (as socialstudy.extract decides)."""
    return any(c.strip() and not lm._YEARISH.fullmatch(lm.clean(c).rstrip("*").strip())
               and lm.looks_numeric(c) for c in cells)


def _tab_header_count(cells_rows: list[list[str]]) -> int:
    """Leading rows without quantities are header rows (a label-only row after the first
    is a section row instead)."""
    count = 0
    for idx, cells in enumerate(cells_rows):
        if _has_quantity(cells[1:]):
            break
        if idx > 0 and cells[0].strip() and not any(c.strip() for c in cells[1:]):
            break
        count += 1
    return count if count < len(cells_rows) else min(count, 1)


def spanning_columns(rows: list[list[str]], width: int) -> list[lm.Column]:
    """Columns of a grid header: an upper cell spans rightwards over empty cells."""
    cols = []
    for c in range(1, width):
        parts = []
        for r, cells in enumerate(rows):
            filled = [cells[k] for k in range(1, min(c, len(cells) - 1) + 1) if cells[k].strip()]
            own = cells[c].strip() if c < len(cells) else ""
            if own:
                parts.append(lm.clean(own))
            elif r < len(rows) - 1 and filled:
                parts.append(lm.clean(filled[-1]))
        own = lm.clean(rows[-1][c]) if rows and c < len(rows[-1]) else ""
        cols.append(lm.Column(" ".join(parts), column_year(own, " ".join(parts))))
    return cols


def tab_block(lines: list[str], run: list[int]) -> lm.Block:
    """One tab-separated run: header rows, folded body rows, columns with their years."""
    grid = [lines[i].split("\t") for i in run]
    nh = _tab_header_count(grid)
    header = [lm.HeaderRow([run[r] + 1], [lm.HeaderCell(c, [run[r] + 1]) for c in grid[r]])
              for r in range(nh)]
    for hr in header:
        if hr.cells:
            hr.cells[0].corner = True
    items = []
    for r in range(nh, len(grid)):
        cells = grid[r]
        if all(re.fullmatch(r"\s*-*\s*", c) for c in cells) and any("-" in c for c in cells):
            continue  # a rule line
        kind = "text" if not any(c.strip() for c in cells[1:]) and cells[0].strip() else "row"
        items.append((kind, run[r] + 1, cells))
    title, tline = find_title(lines, run[0] + 1)
    width = max(len(c) for c in grid)
    cols = spanning_columns(grid[:nh], width) if nh else []
    return lm.Block("tab", run[0] + 1, run[-1] + 1, title, tline, header, fold_labels(items),
                    [], cols)
