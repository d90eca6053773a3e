"""Remit per report: does the committee, as this report describes it, run each activity?

A committee's remit changes with its organisation (Haninge's 2020 interim report has a
purchaser department for disability *and elderly care*, its 2024 annual report none), so the
judgement is made per report (``crosswalks/remit_reports.csv``, keyed by doc_id), each row
quoting the report at a cited line. A report without rows there falls back on its
municipality's rows in ``crosswalks/remit.csv`` (marked so in ``basis``), and a committee in
neither is ``unknown``. A fallback row stands beside reports whose lines it never saw, so
its note names the report of every line it cites (``haninge_2024_ar line 370``): a bare
"line 370" would point a reader of next year's report at a wrong line, and is refused.
"""

from __future__ import annotations

import re

import pandas as pd

from socialstudy.core.registry import Report, load_registry
from socialstudy.crosswalks.loader import check_quote, read_crosswalk
from socialstudy.crosswalks.specs import Row
from socialstudy.errors import CrosswalkError
from socialstudy.extract.tables import read_lines

REMIT_COLUMNS = ["municipality", "doc_id", "fiscal_year", "category", "in_remit", "evidence",
                 "source_file", "source_line", "cost_lines", "note", "basis"]
BY_REPORT = "this report (crosswalks/remit_reports.csv)"
BY_MUNICIPALITY = "the municipality's rows (crosswalks/remit.csv), not checked for this report"
# "line 370" / "lines 365-372", and the cited report's doc_id that must stand right before it
CITED = re.compile(r"\blines?\s+\d+", re.I)
DOC_ID_BEFORE = re.compile(r"(?<!\w)[a-z0-9]+(?:_[a-z0-9]+)+\s+$")


def remit_by_report(reports: list[Report] | None = None) -> pd.DataFrame:
    """One row per report and activity category: yes / partial / no, the evidence and its
    raw line. Every quote is checked to stand on its cited line."""
    reports = load_registry() if reports is None else reports
    rows = []
    for report in reports:  # the crosswalks are read once (loader), not once a report
        mine = [r for r in read_crosswalk("remit_reports.csv") if r.doc_id == report.doc_id]
        if mine:
            rows += [_own_row(report, r, read_lines(report.path)) for r in mine]
        else:
            rows += [_fallback_row(report, r) for r in read_crosswalk("remit.csv")
                     if r.municipality == report.municipality]
    frame = pd.DataFrame(rows, columns=REMIT_COLUMNS)
    return frame.sort_values(["municipality", "doc_id", "category"],
                             kind="mergesort").reset_index(drop=True)


def _base(report: Report, row: Row) -> dict:
    return {"municipality": report.municipality, "doc_id": report.doc_id,
            "fiscal_year": report.fiscal_year, "category": row.category,
            "in_remit": row.in_remit, "evidence": row.evidence,
            "source_file": report.file, "note": row.note}


def _own_row(report: Report, row: Row, lines: list[str]) -> dict:
    line = int(row.evidence_line)
    check_quote(row, "remit_reports.csv", report, lines, line, row.evidence, "evidence")
    return {**_base(report, row), "source_line": line, "cost_lines": row.cost_lines,
            "basis": BY_REPORT}


def _fallback_row(report: Report, row: Row) -> dict:
    bare = [m.group(0) for m in CITED.finditer(row.note)
            if not DOC_ID_BEFORE.search(row.note[:m.start()])]
    if bare:
        raise CrosswalkError(f"note cites {', '.join(bare)} without the report they are in; "
                             f"the row stands beside every {row.municipality} report without "
                             "remit rows of its own", file="socialstudy/crosswalks/remit.csv",
                             line=row.line, fix="write the doc_id before each "
                             "('haninge_2024_ar line 370') or drop the line reference")
    return {**_base(report, row), "source_line": "", "cost_lines": "", "basis": BY_MUNICIPALITY}


def remit_of(remit: pd.DataFrame, doc_id: str) -> dict[str, str]:
    """{category: yes/partial/no} of one report ('unknown' categories left out)."""
    mine = remit[remit.doc_id == doc_id]
    return dict(zip(mine.category, mine.in_remit))


def matrix(remit: pd.DataFrame, doc_ids: list[str], label=None) -> pd.DataFrame:
    """Category × report (columns named by ``label(doc_id)``), 'unknown' where no row."""
    label = label or (lambda d: d)
    table = {label(d): remit_of(remit, d) for d in doc_ids}
    frame = pd.DataFrame(table)
    return frame.reindex(sorted(frame.index)).fillna("unknown")
