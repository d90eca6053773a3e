"""Staffing: headcount, FTE, turnover and sick leave with scope and definition, from the
tables a ``staffing_map.csv`` row points at (municipality + row label + column pattern)
and from prose figures; a measure a report lacks is a 'not reported' row with the reason."""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.crosswalks import matching
from socialstudy.crosswalks.loader import read_crosswalk, unmapped
from socialstudy.errors import CrosswalkError
from socialstudy.measures.filled import fill
from socialstudy.measures.staffing_derived import derived_staffing
from socialstudy.measures.tabular import NOT_MAPPED, NOT_REPORTED

# the crosswalks that say where a committee's staffing figures stand
CROSSWALKS = ("staffing_map.csv", "prose_facts.csv")
STAFFING_VARIABLES = ("headcount", "fte", "turnover_total_pct", "turnover_voluntary_pct",
                      "sick_leave_total_pct", "sick_leave_long_share_pct",
                      "sick_leave_short_share_pct", "sick_leave_women_pct",
                      "sick_leave_men_pct")


def staffing(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Headcount, FTE, turnover and sick leave for every year each report gives, with
    scope and definition; a measure a report lacks is a 'not reported' row with the reason."""
    rows = [_staff_row(fact, entry.variable, entry.scope, entry.definition,
                       entry.period) for fact, entry in staffing_table_facts(facts)]
    prose = facts[(facts.source_kind == "prose") & facts.measure.isin(STAFFING_VARIABLES)]
    for fact in prose.itertuples():
        rows.append(_staff_row(fact, fact.measure, fact.scope, fact.definition, fact.period))
    rows += derived_staffing(reports)
    frame = pd.DataFrame(rows, columns=list(STAFF_COLUMNS))
    missing = [row for report in reports if report.is_full_year
               for row in _missing(frame, report)]
    frame = pd.concat([frame, pd.DataFrame(missing)], ignore_index=True)
    frame["scope_class"] = [scope_class(s, d) for s, d in zip(frame.scope, frame.definition)]
    return frame.sort_values(["municipality", "variable", "fiscal_year", "scope", "source_line"],
                             kind="mergesort", key=lambda s: s.astype(str)).reset_index(drop=True)


def _missing(frame: pd.DataFrame, report: Report) -> list[dict]:
    """A row per variable the report gives no figure for: 'not reported' with the reason
    of ``not_reported.csv`` (or 'not found'), 'not mapped' for a committee the staffing
    crosswalks do not cover yet."""
    reasons = {(r.municipality, int(r.fiscal_year), r.variable): r
               for r in read_crosswalk("not_reported.csv")}
    have = set(frame[(frame.municipality == report.municipality)
                     & (frame.fiscal_year == report.fiscal_year)].variable)
    why = unmapped(report.municipality, report.doc_id, *CROSSWALKS)
    rows = []
    for variable in (v for v in STAFFING_VARIABLES if v not in have):
        reason = _reason(reasons.get((report.municipality, report.fiscal_year, variable)),
                         report)
        rows.append({
            "municipality": report.municipality, "doc_id": report.doc_id,
            "fiscal_year": report.fiscal_year, "period": report.period, "variable": variable,
            "value": "", "unit": "", "status": NOT_MAPPED if why and not reason else NOT_REPORTED,
            "scope": "", "definition": "",
            "reason": reason or why or "not found in the report's text or tables",
            "source_kind": "", "source_file": report.file, "source_line": "", "raw": ""})
    return rows


def _reason(row, report: Report) -> str:
    """The crosswalk's reason, a template filled from ``report`` (measures.filled)."""
    if row is None:
        return ""
    return fill(row.reason, report, {"file": "socialstudy/crosswalks/not_reported.csv",
                                     "line": row.line})


def staffing_table_facts(facts: pd.DataFrame) -> list[tuple]:
    """(fact, staffing_map row) for every table figure a staffing_map row points at:
    municipality + row label + column pattern; within a report the row must match one
    table only."""
    mapping = matching.keyed_crosswalk("staffing_map.csv")
    table = facts[(facts.source_kind == "table") & (facts.measure == "actual")]
    found = []
    for entry in mapping.values():
        hits = table[(table.municipality == entry.municipality)
                     & (table.row_label == entry.row_label)]
        if entry.column_pattern:
            hits = hits[hits.column_label.str.contains(entry.column_pattern, regex=True)]
        for doc_id, group in hits.groupby("doc_id"):
            if group.table_id.nunique() > 1:
                raise CrosswalkError(
                    f"{doc_id}: {entry.row_label!r} matches tables "
                    f"{sorted(set(group.table_id))}",
                    file="socialstudy/crosswalks/staffing_map.csv", line=entry.line,
                    fix="narrow column_pattern so one table matches")
        found += [(fact, entry) for fact in hits.itertuples()]
    return found


STAFF_COLUMNS = ("municipality", "doc_id", "fiscal_year", "period", "variable", "value",
                 "unit", "status", "scope", "definition", "reason", "source_kind",
                 "source_file", "source_line", "raw")


# a committee-level figure: the whole committee, or all its activity areas where the report
# gives the figure for those (Haninge's turnover, 000:443 and the table caption at 450)
COMMITTEE_SCOPES = ("whole committee", "the committee's activity areas")


def scope_class(scope: str, definition: str) -> str:
    """committee | section | municipality | lower_bound: what a figure may be set beside."""
    if definition.startswith("lower bound"):
        return "lower_bound"
    if "as a whole" in scope:
        return "municipality"
    if scope.startswith(COMMITTEE_SCOPES):
        return "committee"
    return "section" if scope else ""


def _staff_row(fact, variable: str, scope: str, definition: str, period: str) -> dict:
    unit = "count" if variable in ("headcount", "fte", "leavers_count",
                                   "headcount_permanent", "headcount_temporary") else fact.unit
    return {"municipality": fact.municipality, "doc_id": fact.doc_id,
            "fiscal_year": fact.fiscal_year, "period": period, "variable": variable,
            "value": fact.value, "unit": unit, "status": "reported", "scope": scope,
            "definition": definition, "reason": "", "source_kind": fact.source_kind,
            "source_file": fact.source_file, "source_line": fact.source_line, "raw": fact.raw}
