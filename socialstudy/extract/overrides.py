"""Judgements about whole tables (``crosswalks/table_overrides.csv``): a money unit the
table does not print, header cells the PDF extraction shifted, total rows to cross-foot.

A row is keyed by what a reader recognises: municipality, document type, the table's
title (optional) and its first row (cells joined by `` | ``), both wording templates with
``{year}``, ``{year-1}`` and ``{_}`` slots, so next year's table matches with no edit.
``match`` is ``one`` (the row must pick exactly one table of a report; two stop the run)
or ``every`` (a rule for every such table, e.g. all department tables of an interim
report are in tkr). Total rows are given relative to the table's first line:
``r9=r1-r8`` says row 9 (first line + 9) is the total of rows 1 to 8."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.crosswalks.wording import Wording, compile_wording, render_years
from socialstudy.errors import CrosswalkError, RawFileError
from socialstudy.extract.numbers import clean_label
from socialstudy.extract.tables import Table, read_lines

CROSSWALK = "socialstudy/crosswalks/table_overrides.csv"


@dataclass
class Overrides:
    unit: str = ""
    columns: list[str] = field(default_factory=list)
    totals: dict[int, list[int]] = field(default_factory=dict)  # total line -> part lines
    why: str = ""


def _fail(row, problem: str, fix: str | None = None) -> CrosswalkError:
    return CrosswalkError(problem, file=CROSSWALK, line=row.line, fix=fix)


def load_override_rows() -> tuple:
    """Crosswalk rows (``specs.yml`` refuses a repeated table key), checked: ``match`` is
    one or every and the wordings and totals compile (``compiled``)."""
    rows = read_crosswalk("table_overrides.csv")
    for row in rows:
        if row.match not in ("one", "every"):
            raise _fail(row, f"match must be 'one' or 'every', not {row.match!r}")
        compiled(row)
    return rows


@cache
def compiled(row) -> tuple[Wording | None, Wording, dict[int, list[int]]]:
    """A row's title wording (None where it has none), first-row wording and totals."""
    try:
        return (compile_wording(row.title, number_slot=False) if row.title else None,
                compile_wording(row.first_row, number_slot=False), _totals(row.totals))
    except ValueError as exc:
        raise _fail(row, str(exc)) from None


def _totals(spec: str) -> dict[int, list[int]]:
    totals: dict[int, list[int]] = {}
    for part in filter(None, spec.split(";")):
        total, _, parts = part.partition("=")
        totals[_offset(total)] = _offsets(parts)
    return totals


def _offset(text: str) -> int:
    if not text.startswith("r") or not text[1:].isdigit():
        raise ValueError(f"totals: {text!r} is not a row offset such as r9")
    return int(text[1:])


def _offsets(spec: str) -> list[int]:
    rows: list[int] = []
    for part in filter(None, spec.split("+")):
        lo, _, hi = part.partition("-")
        rows.extend(range(_offset(lo), _offset(hi or lo) + 1))
    return rows


def first_row_text(table: Table) -> str:
    """The table's first row as a reader sees it: cleaned cells joined by `` | ``."""
    cells = [clean_label(c) for c in table.rows[0].cells]
    while cells and not cells[-1]:
        cells.pop()
    return " | ".join(cells)


def _matches(row, table: Table, report: Report) -> bool:
    title, first_row, _ = compiled(row)
    if title is not None and not title.fullmatch(table.title,
                                                                 report.fiscal_year):
        return False
    return first_row.fullmatch(first_row_text(table), report.fiscal_year)


def _verify(row, table: Table, report: Report, found: dict[int, Overrides]) -> None:
    """The row fits the table it matched: one override per table, rows inside it."""
    where = f"the table at {report.file}:{table.first_line}"
    if table.first_line in found:
        raise _fail(row, f"a second override for {where}")
    offsets = [t for t, parts in compiled(row)[2].items() for t in [t, *parts]]
    if offsets and table.first_line + max(offsets) > table.last_line:
        if not _broken(report, table.last_line):
            raise _fail(row, f"totals name row r{max(offsets)} but {where} has rows r0-"
                             f"r{table.last_line - table.first_line}",
                        fix="count rows from the table's first line (r0)")
        raise RawFileError(
            f"the table that starts at line {table.first_line} ends at line "
            f"{table.last_line}, but {CROSSWALK}:{row.line} counts its rows to "
            f"r{max(offsets)} (line {table.first_line + max(offsets)}): this line is not a "
            "row of it (a label or number wrapped onto a line of its own?)",
            file=str(report.path), line=table.last_line + 1,
            fix="join the wrapped text back into its row and register the file's new hash; "
                f"if the report's table really has fewer rows, correct {CROSSWALK}:{row.line}")


def _broken(report: Report, last: int) -> bool:
    """The line after a table's last row is text without a tab and the next one is a row
    again: a label or number wrapped onto a line of its own cut the table short (the fault
    is in the report, not in the override that counts its rows)."""
    lines = read_lines(report.path)
    return (last + 1 < len(lines) and lines[last].strip() != "" and "\t" not in lines[last]
            and "\t" in lines[last + 1])


def match_overrides(report: Report, tables: list[Table], rows: list
                    ) -> tuple[dict[int, Overrides], list]:
    """({first line: Overrides}, unmatched crosswalk rows) for one report's tables."""
    found: dict[int, Overrides] = {}
    unmatched = []
    for row in rows:
        if (row.municipality, row.document_type) != (report.municipality,
                                                           report.document_type):
            continue
        hits = [t for t in tables if t.kind != "toc" and _matches(row, t, report)]
        if not hits:
            unmatched.append(row)
        if row.match == "one" and len(hits) > 1:
            raise _fail(row, f"matches {len(hits)} tables of {report.file} (lines "
                        f"{', '.join(str(t.first_line) for t in hits)})",
                        fix="add the table's title, or use match=every if the rule holds "
                            "for all of them")
        for table in hits:
            _verify(row, table, report, found)
            first = table.first_line
            found[first] = Overrides(
                unit=row.unit, why=row.why,
                columns=[render_years(c, report.fiscal_year)
                         for c in row.columns.split("|") if c],
                totals={first + t: [first + p for p in parts]
                        for t, parts in compiled(row)[2].items()})
    return found, unmatched
