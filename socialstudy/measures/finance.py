"""The measures a municipal-finance analyst expects, each a tidy table with provenance:
budget and deviation per cost type (and what drives the deviation) and investments;
revenue and grant dependence are in ``revenue``, net-cost growth in ``growth``.

Conventions: money in tkr, **costs and net costs positive**, deviation **positive =
better than budget**. A measure a report lacks is a row with status ``not reported`` and
the reason, never a 0 and never a silent gap. One-off items and forecast accuracy are in
``finance_events``, net cost per inhabitant in ``per_inhabitant``, staffing detail in
``staffing_detail``.
"""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report, period_words
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.measures import damage
from socialstudy.measures.finance_anchors import (
    not_reported_reason,
    rounding_step,
    table_rows,
)
from socialstudy.measures.tabular import fmt

NOT_REPORTED = "not reported"
BASE = ["municipality", "doc_id", "fiscal_year", "period"]


def base(report: Report, year: int | None = None, period: str | None = None) -> dict:
    return {"municipality": report.municipality, "doc_id": report.doc_id,
            "fiscal_year": report.fiscal_year if year is None else year,
            "period": period or report.period}


def tidy(rows: list[dict], columns: list[str], keys: list[str]) -> pd.DataFrame:
    """Rows in a fixed column order, sorted stably; missing cells as ''."""
    frame = pd.DataFrame(rows, columns=columns, dtype=object).fillna("")
    return frame.sort_values(keys, kind="mergesort", key=lambda s: s.astype(str)
                             if s.dtype == object else s).reset_index(drop=True)


def committee_totals(facts: pd.DataFrame, reports: list[Report], measure: str,
                     kinds: tuple[str, ...] = ("actual",)) -> dict:
    """{(doc_id, fiscal_year): fact} for a committee total named in finance_tables.csv
    (``kinds``: which printed columns, e.g. actual or budget); full-year figures only,
    since a part-year amount is not a year's total."""
    found = table_rows(facts, reports, measure)
    found = found[(found.period == "full_year") & found.measure.isin(kinds)]
    return {(f.doc_id, int(f.fiscal_year)): f for f in found.itertuples()}


# --- budget, outcome and deviation per cost type ------------------------------------------

BY_TYPE = BASE + ["flow", "category", "report_label", "fit", "budget_tkr", "outcome_tkr",
                  "deviation_tkr", "deviation_pct", "printed_deviation_tkr", "deviation_check",
                  "share_of_net_deviation_pct", "driver_rank", "status", "reason", "unit",
                  "source_file", "source_line", "raw_budget", "raw_outcome", "raw_deviation"]


def budget_by_cost_type(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Budget, outcome and deviation of each cost and revenue type where the income
    statement prints a budget, and each type's contribution to the net deviation
    (``driver_rank`` 1 = the type that moves the result most in its direction)."""
    crosswalk = {(r.municipality, r.report_label): r
                 for r in read_crosswalk("cost_types.csv")}
    rows = []
    for report in reports:
        table = _budget_table(facts[facts.doc_id == report.doc_id], report, crosswalk)
        if table.empty:
            rows.append({**base(report), "report_label": "(none: no budget per cost type)",
                         "status": NOT_REPORTED, "reason": not_reported_reason(
                report, "budget_by_cost_type",
                "the report prints no budget per cost type (no income statement with a "
                "budget column)"), "source_file": report.file})
            continue
        rows.extend(_type_rows(table, report, crosswalk))
        rows.extend({**base(report, int(fact.fiscal_year)), "report_label": label,
                     **{k: getattr(entry, k) for k in ("flow", "category", "fit")}, "unit": "tkr",
                     "status": NOT_REPORTED, "reason": damage.text(hit),
                     "source_file": report.file, "source_line": line}
                    for fact, entry, label, line, hit in damage.unreadable_rows(
                        facts, table, report.municipality, crosswalk))
    return tidy(rows, BY_TYPE, ["municipality", "doc_id", "fiscal_year", "flow", "category",
                                "report_label"])


def _budget_table(doc_facts: pd.DataFrame, report: Report, crosswalk: dict) -> pd.DataFrame:
    """The income-statement table with the most mapped labels that has a budget column."""
    known = doc_facts.row_label.map(lambda lab: (report.municipality, lab) in crosswalk)
    mapped = doc_facts[(doc_facts.source_kind == "table") & known.astype(bool)
                       & doc_facts.measure.isin(["actual", "budget", "deviation"])]
    with_budget = mapped[mapped.table_id.isin(set(mapped[mapped.measure == "budget"].table_id))]
    if with_budget.empty:
        return with_budget
    best = with_budget.groupby("table_id").row_label.nunique().sort_values(kind="mergesort")
    table = with_budget[with_budget.table_id == best.index[-1]]
    years = set(table[table.measure == "budget"].fiscal_year)
    return table[table.fiscal_year.isin(years)]


def _type_rows(table: pd.DataFrame, report: Report, crosswalk: dict) -> list[dict]:
    rows = []
    for (line, year), cell in table.groupby(["source_line", "fiscal_year"]):
        got = {m: g.iloc[0] for m, g in cell.groupby("measure")}
        actual, budget, printed = got.get("actual"), got.get("budget"), got.get("deviation")
        entry = crosswalk[(report.municipality, cell.row_label.iloc[0])]
        cost_like = entry.flow == "cost" or entry.category in ("total_cost", "net_result")
        sign = -1 if cost_like and actual is not None and actual.number < 0 else 1
        out = sign * actual.number if actual is not None else None
        bud = sign * budget.number if budget is not None else None
        dev, why = period_deviation(budget, actual, cost_like, sign)
        rows.append({**base(report, int(year)), "flow": entry.flow,
                     "category": entry.category, "report_label": cell.row_label.iloc[0],
                     "fit": entry.fit, "budget_tkr": fmt(bud), "outcome_tkr": fmt(out),
                     "deviation_tkr": fmt(dev),
                     "deviation_pct": fmt(100 * dev / abs(bud), 2) if dev is not None and bud
                     else "",
                     "printed_deviation_tkr": fmt(printed.number) if printed is not None else "",
                     "deviation_check": _check(dev, printed),
                     "status": "reported", "reason": why, "unit": "tkr",
                     "source_file": report.file, "source_line": int(line),
                     "raw_budget": budget.raw if budget is not None else "",
                     "raw_outcome": actual.raw if actual is not None else "",
                     "raw_deviation": printed.raw if printed is not None else ""})
    return _rank_drivers(rows)


def period_deviation(budget, actual, cost_like: bool, sign: int = 1
                     ) -> tuple[float | None, str]:
    """(deviation, '') of an outcome fact from its budget fact, positive = better (budget −
    outcome for costs, outcome − budget for revenue, after ``sign``), or (None, why)
    where one is missing or the two cover different periods: an annual budget minus
    part-year cost is no surplus (issue 16), so no deviation is computed from them."""
    if budget is None or actual is None:
        return None, ""
    if budget.period != actual.period:
        spans = [period_words(f.period).replace("full year", "full-year")
                 for f in (budget, actual)]
        return None, (f"no deviation: a {spans[0]} budget against a {spans[1]} outcome "
                      "(an annual budget minus part-year cost is no surplus)")
    bud, out = sign * budget.number, sign * actual.number
    return (bud - out if cost_like else out - bud), ""


def _check(computed: float | None, printed) -> str:
    """Does the printed deviation (positive = better in both income statements) agree
    with the one computed from budget and outcome, within the printed rounding?"""
    if computed is None or printed is None:
        return ""
    tolerance = 1.5 * rounding_step(printed.printed_unit, printed.decimals)
    return "agrees" if abs(computed - printed.number) <= tolerance else "differs"


def _rank_drivers(rows: list[dict]) -> list[dict]:
    for year in {r["fiscal_year"] for r in rows}:
        same = [r for r in rows if r["fiscal_year"] == year]
        net = [r for r in same if r["category"] == "net_result" and r["deviation_tkr"]]
        if not net or float(net[0]["deviation_tkr"]) == 0:
            continue
        total = float(net[0]["deviation_tkr"])
        parts = [r for r in same if r["flow"] in ("cost", "revenue") and r["deviation_tkr"]]
        if not any(r["flow"] == "revenue" for r in parts):  # revenue printed as a total only
            parts += [r for r in same if r["category"] == "total_revenue" and r["deviation_tkr"]]
        for r in parts:
            r["share_of_net_deviation_pct"] = fmt(100 * float(r["deviation_tkr"]) / total, 2)
        ranked = sorted(parts, key=lambda r: (-float(r["deviation_tkr"]) / total,
                                              r["report_label"]))
        for rank, r in enumerate(ranked, start=1):
            r["driver_rank"] = rank
    return rows


# --- investments ------------------------------------------------------------------------------

INVEST = BASE + ["report_label", "budget_tkr", "outcome_tkr", "outcome_period", "deviation_tkr",
                 "printed_deviation_tkr", "spent_pct", "printed_spent_pct", "forecast_tkr",
                 "status", "reason", "scope", "unit", "source_file", "source_line",
                 "raw_outcome"]


def investments(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Investment budget against outcome (deviation positive = less spent than budgeted)."""
    found = table_rows(facts, reports, "investment")
    rows = []
    for report in reports:
        doc = found[found.doc_id == report.doc_id]
        if doc.empty:
            rows.append({**base(report), "status": NOT_REPORTED, "reason": not_reported_reason(
                report, "investment", "the report prints no investment budget and "
                "outcome for the committee"), "source_file": report.file})
            continue
        got = {m: g.iloc[0] for m, g in doc.groupby("measure")}
        rows.append(_investment_row(report, got, doc.iloc[0]))
    return tidy(rows, INVEST, ["municipality", "doc_id", "fiscal_year"])


def _investment_row(report: Report, got: dict, first) -> dict:
    budget, actual = got.get("budget"), got.get("actual")
    bud = abs(budget.number) if budget is not None else None
    out = abs(actual.number) if actual is not None else None
    dev = bud - out if bud is not None and out is not None else None
    printed, used, forecast = got.get("deviation"), got.get("budget_used_pct"), got.get("forecast")
    part_year = actual is not None and actual.period != "full_year"
    return {**base(report, report.fiscal_year, "full_year"), "report_label": first.row_label,
            "budget_tkr": fmt(bud), "outcome_tkr": fmt(out),
            "outcome_period": actual.period if actual is not None else "",
            "deviation_tkr": "" if part_year else fmt(dev),
            "printed_deviation_tkr": fmt(printed.number) if printed is not None else "",
            "spent_pct": fmt(100 * out / bud, 2) if bud and out is not None else "",
            "printed_spent_pct": fmt(used.number) if used is not None else "",
            "forecast_tkr": fmt(abs(forecast.number)) if forecast is not None else "",
            "status": "reported",
            "reason": "part-year outcome: no full-year deviation" if part_year else "",
            "scope": first.scope, "unit": "tkr", "source_file": first.source_file,
            "source_line": first.source_line,
            "raw_outcome": actual.raw if actual is not None else ""}
