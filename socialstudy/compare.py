"""The comparison: cost structure (by cost type, by activity), budget deviation, staffing
and goal outcomes, each as a tidy table whose rows carry their provenance.

Sign conventions are harmonized here: **costs positive**, net cost positive, and budget
deviation **positive = better than budget** (checked against budget − actual).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .crosswalk import read_crosswalk
from .errors import CrosswalkError
from .extract import read_lines
from .prose import anchored_line
from .registry import Report, by_doc_id

STAFFING_VARIABLES = ("headcount", "fte", "turnover_total_pct", "turnover_voluntary_pct",
                      "sick_leave_total_pct", "sick_leave_long_share_pct",
                      "sick_leave_short_share_pct", "sick_leave_women_pct",
                      "sick_leave_men_pct")
NOT_REPORTED = "not reported"


def fmt(value: float | None, digits: int = 4) -> str:
    """Fixed, byte-stable text for a derived number ('' for missing, no '-0')."""
    if value is None or pd.isna(value):
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def load_facts(processed: Path) -> pd.DataFrame:
    facts = pd.read_csv(processed / "facts.csv", dtype={"value": str, "raw": str, "note": str,
                                                         "scope": str, "definition": str,
                                                         "footnote": str, "column_label": str},
                        keep_default_na=False)
    facts["number"] = facts["value"].astype(float)
    return facts


def at_lines(facts: pd.DataFrame, keys) -> pd.Series:
    """Which facts stand at one of the (doc_id, source_line) pairs in ``keys``."""
    return pd.Series([(d, l) in keys for d, l in zip(facts.doc_id, facts.source_line)],
                     index=facts.index)


def _costs_negative(report: Report) -> bool:
    return report.cost_sign.startswith("costs negative")


# --- cost by type -----------------------------------------------------------------------

def cost_by_type(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Cost and revenue types on the Kommun-Bas-like taxonomy; costs positive, with each
    type's share of gross cost (revenues: of total revenue)."""
    crosswalk = {(r["municipality"], r["report_label"]): r
                 for r in read_crosswalk("cost_types.csv", ("municipality", "report_label", "flow",
                                                            "category", "fit"))}
    docs = by_doc_id(reports)
    rows = []
    table_facts = facts[(facts.source_kind == "table") & (facts.measure == "actual")]
    for doc_id, doc_facts in table_facts.groupby("doc_id"):
        report = docs[doc_id]
        mapped = doc_facts[[(report.municipality, lab) in crosswalk for lab in doc_facts.row_label]]
        if mapped.empty:
            continue
        best = mapped.groupby("table_id").row_label.nunique().sort_values(kind="mergesort")
        table = mapped[mapped.table_id == best.index[-1]]
        for fact in table.itertuples():
            entry = crosswalk[(report.municipality, fact.row_label)]
            sign = -1 if _costs_negative(report) and entry["flow"] != "revenue" and not (
                entry["category"] == "total_revenue") else 1
            rows.append(_type_row(fact, entry, sign * fact.number, "reported"))
    for fact in facts[(facts.source_kind == "prose")
                      & facts.measure.isin(["cost_share_pct", "revenue_share_pct"])].itertuples():
        entry = crosswalk.get((fact.municipality, fact.row_label))
        if entry is None:
            raise CrosswalkError(f"prose label {fact.row_label!r} ({fact.municipality}) has no "
                                 "cost type", file="socialstudy/crosswalks/cost_types.csv",
                                 fix="add a row mapping it to a category")
        row = _type_row(fact, entry, None, "share only (prose)")
        row["share_pct"] = fmt(fact.number)
        rows.append(row)
    frame = pd.DataFrame(rows)
    for (muni, year, doc), group in frame.groupby(["municipality", "fiscal_year", "doc_id"]):
        for flow, total_cat in (("cost", "total_cost"), ("revenue", "total_revenue")):
            total = group[group.category == total_cat]
            if total.empty or group.value_status.iloc[0] != "reported":
                continue
            gross = float(total.value_tkr.iloc[0])
            idx = group[(group.flow == flow)].index
            frame.loc[idx, "share_pct"] = [fmt(100 * float(v) / gross, 2)
                                           for v in frame.loc[idx, "value_tkr"]]
            frame.loc[idx, "share_basis"] = "gross cost" if flow == "cost" else "total revenue"
    frame["share_pct"] = frame["share_pct"].fillna("")
    frame["share_basis"] = frame["share_basis"].fillna("")
    prose = frame.value_status != "reported"
    frame.loc[prose & (frame.flow == "cost"), "share_basis"] = "total cost (as stated in prose)"
    frame.loc[prose & (frame.flow == "revenue"), "share_basis"] = "financing (as stated in prose)"
    return frame.sort_values(["municipality", "fiscal_year", "flow", "category", "report_label"],
                             kind="mergesort").reset_index(drop=True)


def _type_row(fact, entry: dict, value: float | None, status: str) -> dict:
    return {"municipality": fact.municipality, "doc_id": fact.doc_id,
            "fiscal_year": fact.fiscal_year, "period": fact.period, "flow": entry["flow"],
            "category": entry["category"], "report_label": fact.row_label,
            "value_tkr": fmt(value) if value is not None else "",
            "value_status": status, "share_pct": None, "share_basis": None,
            "fit": entry["fit"], "unit": "tkr", "source_kind": fact.source_kind,
            "source_file": fact.source_file, "source_line": fact.source_line,
            "raw": fact.raw}


# --- cost by activity -------------------------------------------------------------------

def cost_by_activity(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Net cost, budget and deviation per activity on the common taxonomy, net costs
    positive, deviation positive = better than budget, share of the committee's total."""
    crosswalk = {(r["doc_id"], int(r["source_line"])): r
                 for r in read_crosswalk("activities.csv", ("municipality", "doc_id", "source_line",
                                                            "report_label", "category", "fit"))}
    keyed = facts[(facts.source_kind == "table") & at_lines(facts, crosswalk)]
    keyed = keyed[keyed.measure.isin(["actual", "budget", "deviation"])
                  & keyed.basis.isin(["net", ""])]
    rows = []
    for doc_id, doc_facts in keyed.groupby("doc_id"):
        table_id = _main_activity_table(doc_facts, crosswalk)
        table = doc_facts[doc_facts.table_id == table_id]
        total_lines = [l for (d, l), e in crosswalk.items()
                       if d == doc_id and e["category"] == "total" and l in set(table.source_line)]
        actual_total = table[table.source_line.isin(total_lines) & (table.measure == "actual")]
        negative = (actual_total.number < 0).any()
        for (line, year, period), cell in table.groupby(["source_line", "fiscal_year", "period"]):
            entry = crosswalk[(doc_id, line)]
            by_measure = {m: g.iloc[0] for m, g in cell.groupby("measure")}
            sign = -1 if negative else 1
            net = by_measure.get("actual")
            budget = by_measure.get("budget")
            dev = by_measure.get("deviation")
            first = cell.iloc[0]
            rows.append({
                "municipality": first.municipality, "doc_id": doc_id, "fiscal_year": year,
                "period": period, "category": entry["category"],
                "report_label": first.row_label, "fit": entry["fit"],
                "net_cost_tkr": fmt(sign * net.number) if net is not None else "",
                "budget_tkr": fmt(sign * budget.number) if budget is not None else "",
                "deviation_tkr": fmt(dev.number) if dev is not None else "",
                "unit": "tkr", "source_file": first.source_file, "source_line": line,
                "table_id": table_id})
    frame = pd.DataFrame(rows)
    frame["deviation_pct"] = ""
    frame["share_of_total_pct"] = ""
    for (doc, year, period), group in frame.groupby(["doc_id", "fiscal_year", "period"]):
        total = group[group.category == "total"]
        if total.empty or not total.net_cost_tkr.iloc[0]:
            continue
        denominator = float(total.net_cost_tkr.iloc[0])
        for idx in group.index:
            if frame.at[idx, "net_cost_tkr"]:
                frame.at[idx, "share_of_total_pct"] = fmt(
                    100 * float(frame.at[idx, "net_cost_tkr"]) / denominator, 2)
    has_budget = (frame.budget_tkr != "") & (frame.deviation_tkr != "")
    frame.loc[has_budget, "deviation_pct"] = [
        fmt(100 * float(d) / abs(float(b)), 2) if float(b) else ""
        for d, b in zip(frame.loc[has_budget, "deviation_tkr"], frame.loc[has_budget, "budget_tkr"])]
    frame["deviation_sign_check"] = [_sign_check(r) for r in frame.itertuples()]
    frame["note"] = [_missing_note(r) for r in frame.itertuples()]
    return frame.sort_values(["municipality", "doc_id", "fiscal_year", "period", "source_line"],
                             kind="mergesort").reset_index(drop=True)


def _main_activity_table(doc_facts: pd.DataFrame, crosswalk: dict) -> str:
    """The table whose total is largest: sub-tables (a department's breakdown) would
    double count the department."""
    totals = doc_facts[[crosswalk[(d, l)]["category"] == "total"
                        for d, l in zip(doc_facts.doc_id, doc_facts.source_line)]]
    totals = totals[totals.measure == "actual"]
    ranked = totals.assign(size=totals.number.abs(),
                           rows=totals.table_id.map(doc_facts.groupby("table_id").source_line.nunique()))
    ranked = ranked.sort_values(["size", "rows", "table_id"], kind="mergesort")
    return ranked.table_id.iloc[-1]


def _missing_note(row) -> str:
    """Name the amounts the report does not print for this line, year and period."""
    missing = [name for name, value in (("net cost", row.net_cost_tkr),
                                        ("budget", row.budget_tkr),
                                        ("deviation", row.deviation_tkr)) if not value]
    if not missing:
        return ""
    return (f"not reported: {', '.join(missing)} (the table prints none for "
            f"{row.fiscal_year} {row.period.replace('_', '-')})")


def _sign_check(row) -> str:
    """Does the printed deviation agree with budget − actual (net costs positive)?"""
    if not (row.budget_tkr and row.net_cost_tkr and row.deviation_tkr):
        return ""
    computed = float(row.budget_tkr) - float(row.net_cost_tkr)
    printed = float(row.deviation_tkr)
    if abs(computed) < 1000 or abs(printed) < 1000:
        return "too small to tell"
    return "agrees" if (computed > 0) == (printed > 0) else "opposite sign"


def budget_deviation(activity: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Committee-level budget deviation per municipality and year (positive = better):
    computed from the totals where amounts exist, else the percentage the report prints
    at a line listed in ``crosswalks/printed_deviation.csv``."""
    rows = []
    totals = activity[(activity.category == "total") & (activity.deviation_pct != "")]
    for r in totals.itertuples():
        rows.append({"municipality": r.municipality, "doc_id": r.doc_id,
                     "fiscal_year": r.fiscal_year, "period": r.period,
                     "deviation_tkr": r.deviation_tkr, "budget_tkr": r.budget_tkr,
                     "deviation_pct": r.deviation_pct, "pct_source": "computed from amounts",
                     "unit": "percent", "source_file": r.source_file,
                     "source_line": r.source_line})
    seen = {(r["municipality"], r["fiscal_year"]) for r in rows}
    lines = {(r["doc_id"], int(r["source_line"]))
             for r in read_crosswalk("printed_deviation.csv", ("doc_id", "source_line", "why"))}
    printed = facts[at_lines(facts, lines) & (facts.unit == "percent") & (facts.measure == "actual")]
    for r in printed.sort_values(["source_line", "fiscal_year"]).itertuples():
        if (r.municipality, r.fiscal_year) in seen:
            continue
        seen.add((r.municipality, r.fiscal_year))
        rows.append({"municipality": r.municipality, "doc_id": r.doc_id,
                     "fiscal_year": r.fiscal_year, "period": r.period, "deviation_tkr": "",
                     "budget_tkr": "", "deviation_pct": fmt(r.number, 2),
                     "pct_source": "printed by the report", "unit": "percent",
                     "source_file": r.source_file, "source_line": r.source_line})
    return pd.DataFrame(rows).sort_values(["municipality", "fiscal_year", "period"],
                                          kind="mergesort").reset_index(drop=True)


def remit_matrix() -> pd.DataFrame:
    rows = read_crosswalk("remit.csv", ("municipality", "category", "in_remit"))
    frame = pd.DataFrame(rows).drop(columns="_line")
    return frame.pivot(index="category", columns="municipality", values="in_remit")


# --- staffing ---------------------------------------------------------------------------

def staffing(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Headcount, FTE, turnover and sick leave for every year each report gives, with
    scope and definition; a measure a report lacks is a 'not reported' row with the reason."""
    rows = []
    mapping = read_crosswalk("staffing_map.csv", ("doc_id", "table_line", "row_label",
                                                  "column_pattern", "variable", "scope",
                                                  "definition", "period"))
    for entry in mapping:
        table_id = f"{entry['doc_id']}:L{int(entry['table_line']):04d}"
        hits = facts[(facts.table_id == table_id) & (facts.row_label == entry["row_label"])
                     & (facts.measure == "actual")]
        if entry["column_pattern"]:
            hits = hits[hits.column_label.str.contains(entry["column_pattern"], regex=True)]
        if hits.empty:
            raise CrosswalkError(f"no facts for {entry['row_label']!r} in table {table_id}",
                                 file="socialstudy/crosswalks/staffing_map.csv",
                                 line=int(entry["_line"]), fix="check the table line and label")
        for fact in hits.itertuples():
            rows.append(_staff_row(fact, entry["variable"], entry["scope"],
                                   entry["definition"], entry["period"]))
    prose = facts[(facts.source_kind == "prose") & facts.measure.isin(STAFFING_VARIABLES)]
    for fact in prose.itertuples():
        rows.append(_staff_row(fact, fact.measure, fact.scope, fact.definition, fact.period))
    frame = pd.DataFrame(rows)
    reasons = {(r["municipality"], r["variable"]): r["reason"]
               for r in read_crosswalk("not_reported.csv", ("municipality", "variable", "reason"))}
    missing = []
    for report in reports:
        if not report.is_full_year:
            continue
        have = frame[(frame.municipality == report.municipality)
                     & (frame.fiscal_year == report.fiscal_year)]
        for variable in STAFFING_VARIABLES:
            if (have.variable == variable).any():
                continue
            missing.append({
                "municipality": report.municipality, "doc_id": report.doc_id,
                "fiscal_year": report.fiscal_year, "period": report.period,
                "variable": variable, "value": "", "unit": "", "status": NOT_REPORTED,
                "scope": "", "definition": "",
                "reason": reasons.get((report.municipality, variable),
                                      "not found in the report's text or tables"),
                "source_kind": "", "source_file": report.file, "source_line": "", "raw": ""})
    frame = pd.concat([frame, pd.DataFrame(missing)], ignore_index=True)
    frame["scope_class"] = [scope_class(s, d) for s, d in zip(frame.scope, frame.definition)]
    return frame.sort_values(["municipality", "variable", "fiscal_year", "scope", "source_line"],
                             kind="mergesort", key=lambda s: s.astype(str)).reset_index(drop=True)


def scope_class(scope: str, definition: str) -> str:
    """committee | section | municipality | lower_bound: what a figure may be set beside."""
    if definition.startswith("lower bound"):
        return "lower_bound"
    if "as a whole" in scope:
        return "municipality"
    if scope.startswith("whole committee"):
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


# --- goals and indicators ---------------------------------------------------------------

def goal_levels() -> list[tuple[re.Pattern, str, str]]:
    return [(re.compile(r["pattern"], re.I), r["level"], r["rank"])
            for r in read_crosswalk("goal_levels.csv", ("pattern", "level", "rank"))]


def harmonize_status(status: str, levels: list[tuple[re.Pattern, str, str]]) -> tuple[str, str]:
    for pattern, level, rank in levels:
        if pattern.search(status):
            return level, rank
    raise CrosswalkError(f"status {status!r} matches no pattern",
                         file="socialstudy/crosswalks/goal_levels.csv",
                         fix="add a pattern for this wording with its level")


def goals(reports: list[Report]) -> pd.DataFrame:
    """Every assessed goal with its verbatim status and its level on the common scale;
    each goal and status is checked to stand on its cited line."""
    docs = by_doc_id(reports)
    levels = goal_levels()
    rows, lines_of = [], {}
    for entry in read_crosswalk("goal_assessments.csv", ("doc_id", "goal_id", "goal_text",
                                                         "goal_line", "status_text",
                                                         "status_line", "assessment_kind")):
        report = docs.get(entry["doc_id"])
        if report is None:
            continue
        lines = lines_of.setdefault(report.doc_id, read_lines(report.path))
        anchored_line(report, lines, int(entry["goal_line"]), entry["goal_text"],
                      "goal_assessments.csv", entry["_line"])
        anchored_line(report, lines, int(entry["status_line"]), entry["status_text"],
                      "goal_assessments.csv", entry["_line"])
        level, rank = harmonize_status(entry["status_text"], levels)
        rows.append({"municipality": report.municipality, "doc_id": report.doc_id,
                     "fiscal_year": report.fiscal_year, "period": report.period,
                     "goal_id": entry["goal_id"], "goal_text": entry["goal_text"],
                     "status_text": entry["status_text"], "level": level, "rank": rank,
                     "assessment_kind": entry["assessment_kind"],
                     "source_file": report.file, "source_line": int(entry["status_line"]),
                     "goal_line": int(entry["goal_line"])})
    return pd.DataFrame(rows).sort_values(["municipality", "fiscal_year", "goal_id"],
                                          kind="mergesort").reset_index(drop=True)


def indicators(facts: pd.DataFrame) -> pd.DataFrame:
    """Indicator outcomes beside their targets; attainment only where a target exists
    for the same year (a 2026 target says nothing about 2024)."""
    directions = [(re.compile(r["pattern"], re.I), r["direction"])
                  for r in read_crosswalk("indicator_direction.csv", ("pattern", "direction"))]
    with_target = facts[(facts.measure == "target") & (facts.source_kind == "table")]
    tables = set(with_target.table_id)
    rows = []
    for (table_id, label), group in facts[facts.table_id.isin(tables)].groupby(
            ["table_id", "row_label"], sort=True):
        targets = group[group.measure == "target"]
        direction = next(d for p, d in directions if p.search(label))
        for actual in group[group.measure == "actual"].itertuples():
            same = targets[targets.fiscal_year == actual.fiscal_year]
            target = same.iloc[0] if not same.empty else None
            if target is None:
                attained = "no target for this year"
            elif direction == "lower":
                attained = "met" if actual.number <= target.number else "not met"
            else:
                attained = "met" if actual.number >= target.number else "not met"
            later = targets[targets.fiscal_year > actual.fiscal_year]
            rows.append({
                "municipality": actual.municipality, "doc_id": actual.doc_id,
                "indicator": label, "fiscal_year": actual.fiscal_year,
                "value": actual.value, "unit": actual.unit,
                "target": target.value if target is not None else "",
                "target_column": target.column_label if target is not None else "",
                "later_target": ("" if later.empty else
                                 f"{later.iloc[-1].value} ({later.iloc[-1].column_label})"),
                "direction": direction, "attainment": attained,
                "source_file": actual.source_file, "source_line": actual.source_line,
                "raw": actual.raw})
    return pd.DataFrame(rows).sort_values(["municipality", "indicator", "fiscal_year"],
                                          kind="mergesort").reset_index(drop=True)
