"""The review's finance decisions: finance tables, finance prose and staffing detail.
*Found automatically* is what the run's own functions (``measures.finance_anchors``,
``measures.staffing_detail``) find, so the review and the run cannot disagree. For a
committee with no row of its own in a crosswalk, another committee's label or wording
that stands once in the report is proposed, saying whose row it copies; the other
committee's definition or scope text is not copied (it describes that report)."""

from __future__ import annotations

import dataclasses

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import as_dict, no_rows, read_crosswalk
from socialstudy.errors import CrosswalkError
from socialstudy.extract.tables import read_lines
from socialstudy.measures import finance_anchors as anchors
from socialstudy.measures.staffing_detail import staffing_detail
from socialstudy.tools.review_common import DECIDE, FOUND, Item, csv_row, not_mapped

DETAIL = "staffing_detail.csv"


def _copied(row) -> str:
    return (f"copied from {row.municipality}'s row by review: the same "
            f"{'wording' if hasattr(row, 'template') else 'label'} stands once in this report; "
            "write what it covers here")


def finance_items(report: Report, facts: pd.DataFrame) -> list[Item]:
    """Finance-table, finance-prose and staffing-detail items of ``report``; for a
    committee none of these crosswalks covers, every measure neither found nor proposed
    is listed as not mapped yet."""
    items = _table_items(report, facts) + _prose_items(report) + _detail_items(report, facts)
    return items + _not_mapped(report, items)


def _not_mapped(report: Report, items: list[Item]) -> list[Item]:
    listed = {i.measure.split(": ")[0] for i in items}  # a prose topic: any of its items
    declared = {
        anchors.TABLES: [f"finance {r.measure}" for r in read_crosswalk(anchors.TABLES)],
        anchors.PROSE: [f"finance {r.topic}" for r in read_crosswalk(anchors.PROSE)],
        DETAIL: [f"staffing detail {r.variable} ({r.breakdown})"
                 for r in read_crosswalk(DETAIL)]}
    out = []
    for name, measures in declared.items():
        missing = no_rows(report.municipality, name)
        if missing is not None:
            out += [not_mapped(m, missing, report)
                    for m in sorted(set(measures) - listed)]
    return out


def _table_items(report: Report, facts: pd.DataFrame) -> list[Item]:
    rows = read_crosswalk(anchors.TABLES)
    new = not any(r.municipality == report.municipality for r in rows)
    table = facts[facts.source_kind == "table"]
    items = []
    for measure in sorted({r.measure for r in rows}):
        got = anchors.table_rows(facts, [report], measure)
        if not got.empty:
            first = got.iloc[0]
            items.append(Item(f"finance {measure}", FOUND, f"line {first.source_line} "
                              f"'{first.row_label}' ({first.scope or 'scope not given'})"))
            continue
        for row in (r for r in rows if new and r.measure == measure):
            hits = table[table.row_label.str.strip() == row.report_label.strip()]
            if row.column_pattern:
                hits = hits[hits.column_label.str.contains(row.column_pattern, regex=True)]
            if hits.empty or hits.table_id.nunique() > 1:
                continue
            line = int(hits.source_line.min())
            items.append(Item(f"finance {measure}", DECIDE, f"table line {line} has "
                              f"{row.municipality}'s label '{row.report_label}'",
                              anchors.TABLES, csv_row(
                                  [report.municipality, measure, row.report_label,
                                   row.column_pattern, row.occurrence, report.doc_id,
                                   _copied(row)])))
            break
    return items


def _prose_items(report: Report) -> list[Item]:
    rows = read_crosswalk(anchors.PROSE)
    new = not any(r.municipality == report.municipality for r in rows)
    items, lines = [], None
    for topic in sorted({r.topic for r in rows}):
        items += [Item(f"finance {topic}: {a.item}", FOUND, f"{a.value} {a.unit}, line "
                       f"{a.line} '{a.quote[:60]}'")
                  for a in anchors.prose_anchors([report], topic)]
        for row in (r for r in rows if new and r.topic == topic):
            lines = lines if lines is not None else read_lines(report.path)
            try:
                found = anchors._find(report, lines, dataclasses.replace(row, must_match_in=""))
            except CrosswalkError:  # stands more than once here: not a safe proposal
                continue
            if found is None:
                continue
            values = [report.municipality] + list(as_dict(row).values())[1:8]
            items.append(Item(f"finance {topic}: {row.item}", DECIDE, f"the text at line "
                              f"{found.line} has {row.municipality}'s wording",
                              anchors.PROSE, csv_row(values + [report.doc_id, _copied(row)])))
    return items


def _detail_items(report: Report, facts: pd.DataFrame) -> list[Item]:
    rows = read_crosswalk(DETAIL)
    new = not any(r.municipality == report.municipality for r in rows)
    detail = staffing_detail(facts, [report])
    got = detail[(detail.status == "reported") & (detail.fiscal_year == report.fiscal_year)]
    items = [Item(f"staffing detail {r.variable} ({r.breakdown})", FOUND, f"{r.value} "
                  f"{r.unit}, {r.source_kind} line {r.source_line}")
             for r in got.itertuples()]
    known = {(r.variable, r.breakdown) for r in got.itertuples()}
    for row in (r for r in rows if new and (r.variable, r.breakdown) not in known):
        hits = facts[(facts.source_kind == row.source_kind)
                     & (facts.row_label == row.report_label)
                     & (facts.measure == row.fact_measure)]
        if hits.empty or hits.duplicated(["fiscal_year", "period"]).any():
            continue
        known.add((row.variable, row.breakdown))
        values = [report.municipality] + list(as_dict(row).values())[1:6]
        items.append(Item(f"staffing detail {row.variable} ({row.breakdown})", DECIDE,
                          f"{row.source_kind} line {int(hits.source_line.min())} has "
                          f"{row.municipality}'s label '{row.report_label}'", DETAIL,
                          csv_row(values + [report.doc_id, _copied(row)])))
    return items
