"""Layout reader, part 1: the blocks it returns (``Block``, rows, header cells, columns,
review items) and the Swedish number tokens it splits (valid thousands groupings)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from socialstudy.extract.numbers import _BOLD, _DIGIT, _TAG, _WORD, MINUS_SIGNS

# ----------------------------------------------------------------------------- data


@dataclass
class HeaderCell:
    text: str
    lines: list[int]
    start: int = -1  # character column (space_aligned only), else -1
    end: int = -1
    corner: bool = False  # the cell above the label column ("mnkr"), not a data column


@dataclass
class HeaderRow:
    lines: list[int]
    cells: list[HeaderCell]

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class Column:
    label: str  # spanning header text + own header text, e.g. "KOMMUNEN 2024-12-31"
    year: int | None  # the column's own year (a date header gives each column its year)


@dataclass
class BlockRow:
    line: int  # the line that carries the row's numbers
    cells: list[str]  # cells[0] is the label
    label_lines: list[int] = field(default_factory=list)
    repaired: dict[int, str] = field(default_factory=dict)
    cell_lines: list[int] | None = None  # each cell's own line, where known

    @property
    def label(self) -> str:
        return self.cells[0] if self.cells else ""


@dataclass
class Review:
    line: int
    text: str
    readings: list[list[str]]
    reason: str


@dataclass
class Block:
    kind: str  # tab | space_aligned | cell_per_line
    first_line: int
    last_line: int
    title: str = ""
    title_line: int | None = None
    header: list[HeaderRow] = field(default_factory=list)
    rows: list[BlockRow] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)

    @property
    def years(self) -> list[int | None]:
        return [c.year for c in self.columns]


def walk(count: int, starts: Callable[[int], bool],
         read: Callable[[int], tuple[int, Block | None]]) -> list[Block]:
    """The blocks of one reader: at each line ``i`` where ``starts(i)``, ``read(i)`` gives
    the line after what it looked at and the block found there, if any; the walk goes on
    from that line (always forward)."""
    blocks, i = [], 0
    while i < count:
        if not starts(i):
            i += 1
            continue
        end, block = read(i)
        if block:
            blocks.append(block)
        i = max(end, i + 1)
    return blocks


# ----------------------------------------------------------------------------- numbers
# Markup and character classes are those of extract/numbers.py; the tokens are the layout's.

DASH = re.compile(r"^[-\u2013\u2014\u2212]{1,3}$")
NUM_CELL = re.compile(r"^[●•]?\s*[-\u2013\u2212+]?(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d+)?"
                      r"\s*%?\s*\**$")
TOKEN = re.compile(r"^[-\u2013\u2212+]?\d+(?:[.,]\d+)?%?\**$")
_FIRST = re.compile(r"^[-\u2013\u2212+]?[1-9]\d{0,2}$")
_MID = re.compile(r"^\d{3}$")
_LAST = re.compile(r"^\d{3}(?:[.,]\d+)?%?\**$")
_SINGLE = re.compile(r"^[-\u2013\u2212+]?(?:0|[1-9]\d*)(?:[.,]\d+)?%?\**$")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})-\d{2}-\d{2}(?!\d)")
_YEARISH = re.compile(r"(?:19|20)\d{2}(?:\d{2}\s*-\s*(?:19|20)\d{4})?")


def clean(text: str) -> str:
    """Cell text without extraction markup (``<b>``, ``**``) and with collapsed spaces."""
    if "<" in text:
        text = _TAG.sub("", text)
    if "**" in text:
        text = _BOLD.sub(r"\1", text)
    return " ".join(text.replace("#", " ").split()) if text.startswith("#") else \
        " ".join(text.split())


def looks_numeric(raw: str) -> bool:
    """Same test as socialstudy.numbers.looks_numeric: digits and no three-letter word."""
    text = clean(raw)
    if text in {"-", "–", "—", "−", "--", "---"}:
        return True
    if not _DIGIT.search(text):
        return False
    text = re.sub(r"\s*\b(procent|mnkr|mkr|tkr|kr)\.?$", "", text, flags=re.I)
    return not _WORD.search(text) and len(text) <= 40


@lru_cache(maxsize=1 << 16)
def value(cell: str) -> Decimal | None:
    """The number a cell prints, or None (dash, empty, not a number)."""
    t = clean(cell).rstrip("*").strip().lstrip("●•").strip().rstrip("%").strip()
    if not t or DASH.match(t):
        return None
    t = t.replace(" ", "")
    sign = -1 if t[0] in MINUS_SIGNS else 1
    t = t[1:] if t[0] in MINUS_SIGNS + "+" else t
    try:
        return sign * Decimal(t.replace(",", "."))
    except InvalidOperation:
        return None


@lru_cache(maxsize=1 << 16)
def decimals(cell: str) -> int:
    """Digits after the decimal mark: the rounding unit of an arithmetic check."""
    m = re.search(r"[.,](\d+)", cell)
    return len(m.group(1)) if m else 0


@lru_cache(maxsize=1 << 16)
def valid_group(toks: tuple[str, ...]) -> bool:
    """One Swedish number: ``-3 400`` (1–3 digits, then groups of exactly 3) or one token."""
    if len(toks) == 1:
        return bool(_SINGLE.match(toks[0]) or DASH.match(toks[0]))
    return bool(_FIRST.match(toks[0]) and all(_MID.match(t) for t in toks[1:-1])
                and _LAST.match(toks[-1]))


def readings(toks: tuple[str, ...], hard: tuple[bool, ...], k: int,
             cap: int = 200) -> list[list[tuple[int, int]]]:
    """Every cut of ``toks`` into ``k`` valid numbers, as (start, end) token spans, never
    joining across a hard gap (2+ spaces).  Memoised feasibility keeps it polynomial."""
    n = len(toks)

    @cache
    def ends(i: int) -> tuple[int, ...]:
        out = []
        for j in range(i + 1, n + 1):
            if j - 1 > i and hard[j - 2]:
                break
            if valid_group(toks[i:j]):
                out.append(j)
        return tuple(out)

    @cache
    def feasible(i: int, left: int) -> bool:
        if left == 0:
            return i == n
        return any(feasible(j, left - 1) for j in ends(i))

    found: list[list[tuple[int, int]]] = []

    def walk(i: int, left: int, acc: list[tuple[int, int]]) -> None:
        if len(found) >= cap:
            return
        if left == 0:
            found.append(acc)
            return
        for j in ends(i):
            if feasible(j, left - 1):
                walk(j, left - 1, acc + [(i, j)])

    if feasible(0, k):
        walk(0, k, [])
    return found
