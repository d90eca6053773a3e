"""Crosswalk rows that cite a report: each row's quote is checked to stand on its cited
line before a measure uses it, so a line number typed wrong stops the run at the row
instead of citing a line that says nothing of the claim."""

from __future__ import annotations

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import check_quote, rows_by_report
from socialstudy.extract.tables import read_lines


def quoted_rows(name: str, reports: list[Report], line: str = "quote_line",
                quote: str = "quote") -> list[tuple]:
    """(row, report, the report's lines) for each row of crosswalk ``name`` whose report is
    among ``reports``; the row's ``quote`` column stands on its ``line`` column's line."""
    out = []
    for row, report in rows_by_report(name, reports):
        lines = read_lines(report.path)
        check_quote(row, name, report, lines, int(getattr(row, line)), getattr(row, quote))
        out.append((row, report, lines))
    return out
