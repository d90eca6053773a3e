"""Staffing detail beyond the headline table: resignations on the employee's own
initiative, short-term sick leave, sick leave by sex and age, and the cost of hired
(agency) staff. Rows come from facts named in ``crosswalks/staffing_detail.csv`` (by
municipality and the report's label) and from prose anchors; a variable a report lacks
is a ``not reported`` row with the reason.
"""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.errors import CrosswalkError
from socialstudy.measures.finance import BASE, base, tidy
from socialstudy.measures.finance_anchors import lacking, prose_anchors, require_rows
from socialstudy.measures.tabular import fmt

COLUMNS = BASE + ["variable", "breakdown", "value", "unit", "status", "definition", "reason",
                  "source_kind", "source_file", "source_line", "other_lines", "raw"]
REQUIRED = ("voluntary_resignations_pct", "voluntary_resignations_count", "sick_leave_short_pct",
            "sick_leave_by_sex_pct", "sick_leave_by_age_pct", "hired_staff_cost_tkr")
UNITS = {"voluntary_resignations_count": "count", "hired_staff_cost_tkr": "tkr"}


def staffing_detail(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """One row per report, variable, breakdown and year; derived short-term sick leave
    where a report gives only its share of all sick leave."""
    docs = {r.doc_id for r in reports}
    rows = _mapped_rows(facts[facts.doc_id.isin(docs)], reports)
    rows += _derived_short(rows)
    rows += [_hired_row(a) for a in prose_anchors(reports, "hired_staff_cost")]
    for report in reports:
        have = {r["variable"] for r in rows if r["doc_id"] == report.doc_id}
        for variable in REQUIRED:
            if variable not in have:
                rows.append({**base(report), "variable": variable, "breakdown": "all",
                             "source_file": report.file, **lacking(
                                 report, variable, "not found in the report's tables "
                                 "or in the wording the crosswalks know", "staffing_detail")})
    return tidy(rows, COLUMNS, ["municipality", "doc_id", "variable", "breakdown", "fiscal_year"])


def _mapped_rows(facts: pd.DataFrame, reports: list[Report]) -> list[dict]:
    munis, docs = {r.municipality for r in reports}, {r.doc_id for r in reports}
    rows = []
    for entry in read_crosswalk("staffing_detail.csv"):
        if entry.municipality not in munis:
            continue
        hits = facts[(facts.municipality == entry.municipality)
                     & (facts.source_kind == entry.source_kind)
                     & (facts.row_label == entry.report_label)
                     & (facts.measure == entry.fact_measure)]
        require_rows(entry, docs, set(hits.doc_id), "staffing_detail.csv")
        if hits.duplicated(["doc_id", "fiscal_year", "period"]).any():
            raise CrosswalkError(f"label {entry.report_label!r} gives two values for one year",
                                 file="socialstudy/crosswalks/staffing_detail.csv",
                                 line=entry.line, fix="name the table row more exactly")
        for fact in hits.itertuples():
            rows.append({"municipality": fact.municipality, "doc_id": fact.doc_id,
                         "fiscal_year": int(fact.fiscal_year), "period": fact.period,
                         "variable": entry.variable, "breakdown": entry.breakdown,
                         "value": fact.value, "unit": UNITS.get(entry.variable, "percent"),
                         "status": "reported", "definition": entry.definition, "reason": "",
                         "source_kind": fact.source_kind, "source_file": fact.source_file,
                         "source_line": int(fact.source_line), "other_lines": "",
                         "raw": fact.raw})
    return rows


def _derived_short(rows: list[dict]) -> list[dict]:
    """Short-term sick leave as % of working time = total x short-term share, for a
    report that gives only the share (and no short-term rate of its own)."""
    def pick(variable):
        return {(r["doc_id"], r["fiscal_year"]): r for r in rows
                if r["variable"] == variable and r["breakdown"] == "all"}
    total, share, own = pick("sick_leave_total_pct"), pick("sick_leave_short_share_pct"), \
        pick("sick_leave_short_pct")
    out = []
    for key, part in sorted(share.items()):
        if key in total and key not in own:
            value = float(total[key]["value"]) * float(part["value"]) / 100
            out.append({**part, "variable": "sick_leave_short_pct", "value": fmt(value, 2),
                        "status": "derived", "raw": "",
                        "other_lines": str(total[key]["source_line"]),
                        "definition": "derived: total sick leave x short-term share of it; "
                                      "the day range of 'korttidsfrånvaro' is not stated"})
    return out


def _hired_row(anchor) -> dict:
    report = anchor.report
    return {**base(report, anchor.year, "full_year"), "variable": "hired_staff_cost_tkr",
            "breakdown": "all", "value": fmt(float(anchor.value)), "unit": "tkr",
            "status": "reported", "definition": anchor.definition, "reason": "",
            "source_kind": "prose", "source_file": report.file, "source_line": anchor.line,
            "other_lines": "", "raw": anchor.quote}
