"""Staffing figures a report states only indirectly, derived and marked ``derived``: a
prior-year turnover from "11,9 procent … en ökning med 2,7 procentenheter", a short-term
share from two figures on one line. Each row of ``crosswalks/staffing_derived.csv`` names
the line and a pattern whose named numbers (``a``, ``b``) must stand on it, and the formula
(``a - b``, ``a + b`` or ``100 * a / b``); the value is computed from the report's text,
never typed in."""

from __future__ import annotations

import re

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import rows_by_report
from socialstudy.crosswalks.specs import Row
from socialstudy.errors import CrosswalkError
from socialstudy.extract.tables import read_lines
from socialstudy.measures.tabular import fmt

DERIVED = "derived"
FORMULAS = {"a - b": lambda a, b: a - b, "a + b": lambda a, b: a + b,
            "100 * a / b": lambda a, b: 100 * a / b}


def derived_staffing(reports: list[Report]) -> list[dict]:
    """Rows in the staffing table's columns with status 'derived' and the line used."""
    return [_row(report, entry)
            for entry, report in rows_by_report("staffing_derived.csv", reports)]


def _row(report: Report, entry: Row) -> dict:
    line = int(entry.report_line)
    lines = read_lines(report.path)
    found = re.search(entry.pattern, lines[line - 1]) if 0 < line <= len(lines) else None
    if found is None or entry.formula not in FORMULAS:
        raise CrosswalkError(f"the pattern for {entry.variable} does not match line {line} "
                             f"of {report.file} (or the formula is unknown)",
                             file="socialstudy/crosswalks/staffing_derived.csv",
                             line=entry.line,
                             fix=f"quote the line's numbers as (?P<a>…), (?P<b>…); formulas: "
                                 f"{', '.join(FORMULAS)}")
    a, b = (float(found.group(k).replace(",", ".")) for k in ("a", "b"))
    value = FORMULAS[entry.formula](a, b)
    return {"municipality": report.municipality, "doc_id": report.doc_id,
            "fiscal_year": int(entry.fiscal_year), "period": entry.period,
            "variable": entry.variable, "value": fmt(value, 1), "unit": "percent",
            "status": DERIVED, "scope": entry.scope,
            "definition": f"{entry.definition} ({_shown(entry.formula, found)})",
            "reason": "", "source_kind": "prose", "source_file": report.file,
            "source_line": line, "raw": found.group(0)}


def _shown(formula: str, found: re.Match) -> str:
    """'11,9 − 2,7': the formula with the report's own numbers in it."""
    return (formula.replace("a", found.group("a")).replace("b", found.group("b"))
            .replace(" - ", " − ").replace("*", "×"))
