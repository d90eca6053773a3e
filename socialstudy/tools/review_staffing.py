"""The review's staffing decisions: a table row under a known label or a known prose
wording that stands once in the report."""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import as_dict, no_rows, read_crosswalk
from socialstudy.crosswalks.wording import LineIndex
from socialstudy.errors import CrosswalkError
from socialstudy.extract import prose
from socialstudy.extract.tables import read_lines
from socialstudy.measures import staffing
from socialstudy.measures.tabular import NOT_MAPPED
from socialstudy.tools.review_common import (
    ABSENT,
    DECIDE,
    FOUND,
    Item,
    closest,
    csv_row,
    not_mapped,
)


def staffing_items(report: Report, facts: pd.DataFrame, had: dict[str, str]) -> list[Item]:
    staff = staffing.staffing(facts, [report])
    own = staff[staff.fiscal_year == report.fiscal_year]
    rows = read_crosswalk("staffing_map.csv")
    table = facts[(facts.source_kind == "table") & (facts.measure == "actual")]
    items = []
    for variable in staffing.STAFFING_VARIABLES:
        got = own[(own.variable == variable) & (own.status == "reported")]
        if not got.empty:
            r = got.iloc[0]
            items.append(Item(variable, FOUND, f"{r.value} {r.unit} ({r.source_kind}, line "
                              f"{r.source_line}, scope: {r.scope})"))
            continue
        proposal = (_staffing_proposal(report, variable, rows, table)
                    or _prose_proposal(report, variable))
        if proposal:
            items.append(proposal)
        elif variable in had:
            items.append(Item(variable, DECIDE, had[variable]))
        else:
            items.append(_missing(variable, own[own.variable == variable], report))
    return items


def _missing(variable: str, rows: pd.DataFrame, report: Report) -> Item:
    """A variable the run has no figure for: not mapped yet (no staffing row covers the
    committee, so whether the report gives it is not known), else not in the report."""
    if rows.empty:
        return Item(variable, ABSENT, "not found in the report's text or tables")
    if rows.status.iloc[0] != NOT_MAPPED:
        return Item(variable, ABSENT, rows.reason.iloc[0])
    return not_mapped(variable, no_rows(report.municipality, *staffing.CROSSWALKS), report)


def _staffing_proposal(report, variable, rows, table) -> Item | None:
    """The same committee's row under a similar label, else another committee's row with
    the same label – only if it would pick figures in this report."""
    candidates = [r for r in rows if r.variable == variable]
    mine = [r for r in candidates if r.municipality == report.municipality]
    for row in mine + [r for r in candidates if r not in mine]:
        hits = table[table.column_label.str.contains(row.column_pattern, regex=True)]
        labels = sorted(set(hits.row_label))
        label = row.row_label if row.row_label in labels else None
        if label is None and row in mine:
            close = closest(row.row_label, labels)
            label = close[0] if close else None
        if label is not None:
            values = [report.municipality, label] + [getattr(row, c) for c in (
                "column_pattern", "variable", "scope", "definition", "period")]
            return Item(variable, DECIDE, f"table row '{label}' looks like "
                        f"{row.municipality}'s '{row.row_label}'", "staffing_map.csv",
                        csv_row(values))
    return None


def _prose_proposal(report: Report, variable: str) -> Item | None:
    """Another committee's prose wording for ``variable`` that stands once in this report's
    text (a new committee's report often repeats the wording of a known one)."""
    index = None
    for row in prose.load_prose_rows():
        if (row.variable != variable or row.municipality == report.municipality
                or row.document_type != report.document_type):
            continue
        index = index or LineIndex(read_lines(report.path))
        try:
            found = prose._find(row, index, report)
        except CrosswalkError:  # stands more than once here: not a safe proposal
            continue
        if found:
            values = [report.municipality] + list(as_dict(row).values())[1:]
            return Item(variable, DECIDE, f"the text at line {found[2]} has "
                        f"{row.municipality}'s wording '{row.wording[:60]}'",
                        "prose_facts.csv", csv_row(values))
    return None
