"""Staffing figures a report states only indirectly, derived and marked ``derived``: a
prior-year turnover from "11,9 procent … en ökning med 2,7 procentenheter", a short-term
share from two figures on one line, or on two (``630;632``: the lines are joined in the
order given, and the pattern may span them). Each row of ``crosswalks/staffing_derived.csv``
names the line(s) and a pattern whose named numbers (``a``, ``b``) must stand on them, and
the formula (``a - b``, ``a + b`` or ``100 * a / b``); the value is computed from the
report's text, never typed in, and every line used is cited."""

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
    used = [int(x) for x in entry.report_line.split(";")]
    line, lines = used[0], read_lines(report.path)
    text = ("\n".join(lines[x - 1] for x in used)
            if all(0 < x <= len(lines) for x in used) else None)
    found = re.search(entry.pattern, text, re.DOTALL) if text is not None else None
    if found is None or entry.formula not in FORMULAS:
        raise CrosswalkError(f"the pattern for {entry.variable} does not match line(s) "
                             f"{entry.report_line} of {report.file} (or the formula is unknown)",
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
            "definition": f"{entry.definition} ({_shown(entry.formula, found)}"
                          + (f"; lines {', '.join(map(str, used))})" if len(used) > 1 else ")"),
            "reason": "", "source_kind": "prose", "source_file": report.file,
            "source_line": line, "raw": found.group(0).replace("\n", " … ")}


def _shown(formula: str, found: re.Match) -> str:
    """'11,9 − 2,7': the formula with the report's own numbers in it."""
    return (formula.replace("a", found.group("a")).replace("b", found.group("b"))
            .replace(" - ", " − ").replace("*", "×"))
