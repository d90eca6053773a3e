"""Cross-footing: where a table has a total row, its parts must sum to it within rounding.
Every check is listed in ``quality.csv`` with its status, so the reports' own
inconsistencies are visible rather than hidden."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from socialstudy.core.registry import Report
from socialstudy.extract.clean import issue
from socialstudy.extract.numbers import format_decimal
from socialstudy.extract.overrides import Overrides
from socialstudy.extract.rows import Fact, Issue
from socialstudy.extract.tables import Table

TOTAL_LABEL = re.compile(r"^(totalt?|summa\b.*|.*\btotalt$)", re.I)
NON_ADDITIVE = re.compile(r"medelålder|genomsnitt|snitt|index", re.I)
ADDITIVE = {"actual", "budget", "deviation", "change", "forecast"}


def total_rows(table: Table, override: Overrides | None) -> dict[int, list[int]]:
    """Total line -> part lines. Explicit in table_overrides.csv, else bold or 'Totalt'/
    'Summa' rows, whose parts are the rows since the previous total (or, if none, the
    earlier subtotals: Intäkter + Kostnader = Nettoresultat)."""
    if override and override.totals:
        return override.totals
    totals: dict[int, list[int]] = {}
    parts: list[int] = []
    subtotals: list[int] = []
    for row in table.body:
        if row.kind != "body":
            if row.kind == "section":
                parts = []
            continue
        raw_label = row.cells[0].strip()
        bold = raw_label.startswith("<b>") or raw_label.startswith("**")
        if (bold or TOTAL_LABEL.match(row.label)) and (parts or subtotals):
            totals[row.line] = parts if parts else list(subtotals)
            subtotals.append(row.line)
            parts = []
        else:
            parts.append(row.line)
    return totals


def crossfoot(table: Table, report: Report, override: Overrides | None,
              facts: list[Fact]) -> list[Issue]:
    """One check per total cell of an additive measure: parts vs printed total."""
    totals = total_rows(table, override)
    if not totals:
        return []
    by_line: dict[int, dict[int, Fact]] = defaultdict(dict)
    for fact in facts:
        by_line[fact.source_line][fact.source_col] = fact
    issues = []
    for total_line, part_lines in sorted(totals.items()):
        if not part_lines:
            continue
        for col, total in sorted(by_line[total_line].items()):
            if (total.measure not in ADDITIVE or total.unit == "percent"
                    or NON_ADDITIVE.search(total.column_label)):
                continue
            parts = [by_line[line].get(col) for line in part_lines]
            present = [p for p in parts if p is not None]
            if present:
                issues.append(_check(table, report, total, part_lines, parts, present))
    return issues


def _check(table: Table, report: Report, total: Fact, part_lines: list[int],
           parts: list[Fact | None], present: list[Fact]) -> Issue:
    decimals = max([total.decimals] + [p.decimals for p in present])
    scale = Decimal(1000) if total.unit == "tkr" and total.printed_unit in (
        "mnkr", "mkr") else Decimal(1)
    step = Decimal(1).scaleb(-decimals) * scale
    tolerance = step / 2 * (len(present) + 1)
    expected = sum(Decimal(p.value) for p in present)
    actual = Decimal(total.value)
    diff = actual - expected
    note = f"sum of lines {_ranges(part_lines)}"
    missing = len(parts) - len(present)
    if missing:
        note += f"; {missing} part(s) have no number in this column"
    return issue("crossfoot", report, table, total.source_line, total.row_label,
                 total.column_label, expected=format_decimal(expected),
                 actual=format_decimal(actual), difference=format_decimal(diff),
                 tolerance=format_decimal(tolerance),
                 status="ok" if abs(diff) <= tolerance else "mismatch", note=note)


def _ranges(lines: list[int]) -> str:
    out, start, prev = [], None, None
    for line in lines:
        if start is None:
            start = prev = line
        elif line == prev + 1:
            prev = line
        else:
            out.append(f"{start}-{prev}" if start != prev else str(start))
            start = prev = line
    if start is not None:
        out.append(f"{start}-{prev}" if start != prev else str(start))
    return ",".join(out)
