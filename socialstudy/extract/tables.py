"""Text -> tables. A table is a run of tab-separated lines; it keeps its title line, its
(possibly multi-line, spanning) header and its body rows, every cell with its raw line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from socialstudy.core import filecache
from socialstudy.core.registry import Report
from socialstudy.errors import RawFileError
from socialstudy.extract.numbers import clean_label, looks_numeric

if TYPE_CHECKING:
    import pandas as pd

YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
UNIT_PATTERNS = (
    ("mnkr", re.compile(r"\bmn?kr\b|miljoner kronor", re.I)),
    ("tkr", re.compile(r"\btkr\b|tusen kronor", re.I)),
)
TITLE_LOOKBACK = 4
_RULE = re.compile(r"\s*-*\s*")
_YEARISH = re.compile(r"(?:19|20)\d{2}(?:\d{2}\s*-\s*(?:19|20)\d{4})?")
_GROUP, _LEAD = re.compile(r"\d{3}"), re.compile(r"-?\d{1,3}")  # 10 / 337: one number
_LEADER_DOTS = re.compile(r"\.{4,}")
MAX_TITLE_CHARS = 160


@dataclass
class Row:
    line: int
    cells: list[str]
    kind: str = "body"  # header | body | section | rule | continuation | review
    cell_lines: list[int] | None = None  # one cell per line: each cell's own raw line
    repaired: dict[int, str] = field(default_factory=dict)  # cell -> how it was split
    review: str = ""  # why a person must decide this row (no facts are read from it)

    @cached_property
    def label(self) -> str:
        return clean_label(self.cells[0]) if self.cells else ""


@dataclass
class Table:
    doc_id: str
    title: str
    title_line: int | None
    rows: list[Row] = field(default_factory=list)
    kind: str = "data"  # data | toc
    unit: str = ""

    @property
    def first_line(self) -> int:
        return self.rows[0].line

    @property
    def last_line(self) -> int:
        return self.rows[-1].line

    @cached_property
    def table_id(self) -> str:
        return f"{self.doc_id}:L{self.first_line:04d}"

    @property
    def n_cols(self) -> int:
        return max(len(r.cells) for r in self.rows)

    @property
    def header(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "header"]

    @property
    def body(self) -> list[Row]:
        return [r for r in self.rows if r.kind != "header"]


def read_lines(path: Path) -> list[str]:
    """Read a raw report strictly: UTF-8 without BOM, LF line endings, Unicode normal
    form C (composed letters), not empty. Checked again only when the file changed."""
    return list(_read_lines(path, filecache.state(path)))


@lru_cache(maxsize=64)
def _read_lines(path: Path, known: tuple[int, ...] | bytes) -> tuple[str, ...]:
    data = filecache.data(path, known)
    if not data.strip():
        raise RawFileError("the report is empty", file=str(path),
                           fix="re-extract the text from the PDF; an empty file has no tables")
    if data.startswith(b"\xef\xbb\xbf"):
        raise RawFileError("starts with a UTF-8 byte-order mark", file=str(path), line=1,
                           fix="save the text as UTF-8 without BOM and register its new hash")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RawFileError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); probably Latin-1",
                           file=str(path), line=line,
                           fix="convert the file to UTF-8 (iconv -f latin1 -t utf-8) and "
                               "register its new hash") from None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise RawFileError("has CR (Windows or old Mac) line endings", file=str(path), line=line,
                           fix="convert line endings to LF (dos2unix) and register the new hash")
    lines = text.split("\n")
    if not unicodedata.is_normalized("NFC", text):  # its labels would match no crosswalk row
        line = next(n for n, s in enumerate(lines, 1) if not unicodedata.is_normalized("NFC", s))
        raise RawFileError("has decomposed letters (Unicode NFD: 'a' and a combining ring for "
                           "'å'), so its labels match no crosswalk row", file=str(path),
                           line=line, fix="recompose the text (uconv -x NFC, or Python's "
                           "unicodedata.normalize('NFC', text)) and register its new hash")
    return lines


def _is_rule(cells: list[str]) -> bool:
    return all(_RULE.fullmatch(c) for c in cells) and any("-" in c for c in cells)


def _is_yearish(cell: str) -> bool:
    text = clean_label(cell).rstrip("*").strip()
    return bool(_YEARISH.fullmatch(text))


def _has_quantity(cells: list[str]) -> bool:
    """A body row carries at least one numeric cell that is not a bare year."""
    for cell in cells:
        if not cell.strip() or _is_yearish(cell) or not looks_numeric(cell):
            continue
        return True
    return False


def _header_like(row_cells: list[str]) -> bool:
    """A row that announces columns: years or words, but no quantity."""
    values = [c for c in row_cells[1:] if c.strip()]
    return bool(values) and not _has_quantity(row_cells[1:])


def tab_runs(lines: list[str]) -> list[list[int]]:
    """Group tab lines (0-based) into runs; one blank line inside a run is allowed unless the next
    line starts a new header (then it is a new table)."""
    runs, current, i = [], [], 0
    while i < len(lines):
        if "\t" in lines[i]:
            current.append(i)
            i += 1
            continue
        blank = not lines[i].strip()
        nxt = i + 1
        if (current and blank and nxt < len(lines) and "\t" in lines[nxt]
                and not _header_like(lines[nxt].split("\t"))):
            i += 1
            continue
        if current:
            runs.append(current)
            current = []
        i += 1
    if current:
        runs.append(current)
    return runs


def line_above(lines: list[str], start: int, lookback: int) -> tuple[str, int] | None:
    """The nearest non-blank line at or above index ``start``, looking ``lookback`` lines
    up, stripped and with its index: the candidate title of a table below it. None when
    there is none, or when it is itself a tab-separated row (a table, not a heading)."""
    for j in range(start, max(start - lookback, -1), -1):
        text = lines[j].strip()
        if text:
            return None if "\t" in text else (text, j)
    return None


def _title(lines: list[str], first: int) -> tuple[str, int | None]:
    found = line_above(lines, first - 1, TITLE_LOOKBACK)
    if found:
        label = clean_label(found[0])
        if len(label) <= MAX_TITLE_CHARS and not label.startswith("---"):
            return label, found[1] + 1
    return "", None


def _classify(table: Table) -> None:
    """Mark header rows (leading rows without quantities), rules, sections and wrapped
    continuation rows (``10`` / ``337`` meaning 10 337)."""
    in_header = True
    for idx, row in enumerate(table.rows):
        if _is_rule(row.cells):
            row.kind = "rule"
            continue
        if in_header and not _has_quantity(row.cells[1:]) and not (
                idx > 0 and row.cells[0].strip() and not any(c.strip() for c in row.cells[1:])):
            row.kind = "header"
            continue
        in_header = False
        if not any(c.strip() for c in row.cells[1:]):
            row.kind = "section"
        elif _is_continuation(row, table.rows[idx - 1] if idx else None):
            row.kind = "continuation"
        else:
            row.kind = "body"
    if all(r.kind == "header" for r in table.rows) and len(table.rows) > 1:
        for row in table.rows[1:]:
            row.kind = "body"


def _is_continuation(row: Row, prev: Row | None) -> bool:
    if prev is None or row.cells[0].strip() or prev.kind != "body":
        return False
    pairs = [(c, prev.cells[j + 1] if j + 1 < len(prev.cells) else "")
             for j, c in enumerate(row.cells[1:]) if c.strip()]
    return bool(pairs) and all(
        _GROUP.fullmatch(clean_label(c)) and _LEAD.fullmatch(clean_label(p))
        for c, p in pairs)


def _unit(table: Table) -> str:
    text = " ".join([table.title] + [c for r in table.header for c in r.cells]
                    + [r.cells[0] for r in table.rows if r.kind == "section"])
    for unit, pattern in UNIT_PATTERNS:
        if pattern.search(text):
            return unit
    return ""


def _is_toc(table: Table) -> bool:
    """A table of contents: dotted leaders or an "Innehåll…" title; its numbers are pages."""
    if re.match(r"innehåll", table.title, re.I):
        return True
    dotted = sum(bool(_LEADER_DOTS.search(r.cells[0])) for r in table.rows)
    return dotted >= max(1, len(table.rows) // 2)


def extract_tables(report: Report, lines: list[str] | None = None) -> list[Table]:
    """Every tab-separated table of one report, in order of appearance."""
    lines = read_lines(report.path) if lines is None else lines
    tables = []
    for run in tab_runs(lines):
        title, title_line = _title(lines, run[0])
        table = Table(doc_id=report.doc_id, title=title, title_line=title_line,
                      rows=[Row(line=i + 1, cells=lines[i].split("\t")) for i in run])
        if _is_toc(table):
            table.kind = "toc"
            for row in table.rows:
                row.kind = "body"
        else:
            _classify(table)
        table.unit = _unit(table)
        tables.append(table)
    return tables


SPACED = re.compile(r"\S(?: {2,}|\u00a0{2,})\S")
MIN_SPACED_ROWS = 2


def _spaced_row(line: str) -> bool:
    """A line without tabs whose fields, split at runs of 2+ spaces, are a label and
    numbers (``Intäkter   100   120``)."""
    if "\t" in line or ("  " not in line and "\u00a0\u00a0" not in line) \
            or not SPACED.search(line):
        return False
    fields = [f for f in re.split(r" {2,}|\u00a0{2,}", line.strip()) if f]
    return len(fields) >= 2 and sum(looks_numeric(f) for f in fields[1:]) >= 1 and all(
        looks_numeric(f) for f in fields[1:] if f.strip())


def spaced_columns(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line of each run of space-separated table rows: text the tab-based
    reader cannot split, reported so that it is not silently ignored."""
    runs, start = [], None
    for i, line in enumerate(lines + [""], start=1):
        if _spaced_row(line):
            start = i if start is None else start
            continue
        if start is not None and i - start >= MIN_SPACED_ROWS:
            runs.append((start, i - 1))
        start = None
    return runs


def excerpt(report: Report, first: int, last: int) -> pd.DataFrame:
    """Raw lines ``first``..``last`` of a report, tabs shown as ``⇥``, for the notebooks."""
    import pandas as pd
    lines = read_lines(report.path)
    return pd.DataFrame({"line": range(first, last + 1),
                         "raw text (⇥ = tab)": [lines[i - 1].replace("\t", " ⇥ ")
                                                for i in range(first, last + 1)]}
                        ).set_index("line")
