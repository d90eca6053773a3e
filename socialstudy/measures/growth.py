"""Net-cost growth: the year-over-year change of a committee's net cost from the totals
of consecutive full years one report prints, checked against the change it states.

A prior year whose committee total the report does not print, but whose every activity
line it prints (Huddinge's three-year series per activity), gets its total derived as the
sum of those lines, marked derived and citing every line used: a value the report states
indirectly is not "not reported".
"""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.measures.activity_series import activity_series
from socialstudy.measures.compare import cost_by_activity
from socialstudy.measures.finance import BASE, base, committee_totals, tidy
from socialstudy.measures.finance_anchors import lacking
from socialstudy.measures.tabular import fmt

GROWTH = BASE + ["net_cost_tkr", "prior_year", "prior_net_cost_tkr", "change_tkr", "change_pct",
                 "printed_change_pct", "change_check", "status", "reason", "unit", "source_file",
                 "source_line", "prior_source_line", "raw", "prior_basis", "prior_source_lines",
                 "printed_source_line"]


def net_cost_growth(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Year-over-year change of the committee's net cost, from the totals of consecutive
    full years that one report prints, checked against the change the report states."""
    totals = committee_totals(facts, reports, "net_cost_total")
    printed = facts[(facts.source_kind == "prose") & (facts.measure == "net_cost_change_pct")]
    stated = {(f.doc_id, int(f.fiscal_year)): f for f in printed.itertuples()}
    totals = {**_derived_totals(facts, reports, totals), **totals}
    rows = []
    for report in reports:
        years = sorted(y for d, y in totals if d == report.doc_id)
        pairs = [y for y in years if y - 1 in years]
        for year in pairs:
            rows.append(_growth_row(report, year, totals, stated.get((report.doc_id, year))))
        if report.fiscal_year not in pairs:
            why = lacking(
                report, "net_cost_growth",
                "part-year report: no full-year net cost" if not report.is_full_year else
                f"the report prints no committee net cost for {report.fiscal_year - 1}")
            rows.append({**base(report), **why, "source_file": report.file})
    return tidy(rows, GROWTH, ["municipality", "doc_id", "fiscal_year"])


def _growth_row(report: Report, year: int, totals: dict, stated) -> dict:
    now, before = totals[(report.doc_id, year)], totals[(report.doc_id, year - 1)]
    change = abs(now.number) - abs(before.number)
    pct = 100 * change / abs(before.number)
    check = ""
    if stated is not None:
        check = "agrees" if abs(round(pct, int(stated.decimals or 0)) - stated.number) < 0.051 \
            else "differs"
    return {**base(report, year, "full_year"), "net_cost_tkr": fmt(abs(now.number)),
            "prior_year": year - 1, "prior_net_cost_tkr": fmt(abs(before.number)),
            "change_tkr": fmt(change), "change_pct": fmt(pct, 2),
            "printed_change_pct": fmt(stated.number) if stated is not None else "",
            "change_check": check, "status": "derived", "reason": "", "unit": "tkr",
            "source_file": now.source_file, "source_line": now.source_line,
            "prior_source_line": before.source_line, "raw": now.raw,
            "prior_basis": before.basis if isinstance(before, _Derived) else "printed total",
            "prior_source_lines": before.lines if isinstance(before, _Derived) else "",
            "printed_source_line": stated.source_line if stated is not None else ""}


class _Derived:
    """A committee total derived from the activity lines (no printed cell of its own)."""

    def __init__(self, number: float, lines: list[int], check: str) -> None:
        self.number, self.source_line, self.raw = number, "", ""
        self.lines = ";".join(str(n) for n in lines)
        self.basis = f"derived: sum of every activity line's net cost ({check})"


def _derived_totals(facts: pd.DataFrame, reports: list[Report], totals: dict) -> dict:
    """{(doc_id, year): _Derived} for a year before a printed total whose total is not
    printed but every line of the activity table is, the lines checked to add up to the
    printed total of the following year."""
    printed = {(doc, int(year)) for doc, year in set(zip(facts.doc_id, facts.fiscal_year))}
    wanted = [(doc, year) for doc, year in totals
              if (doc, year - 1) not in totals and (doc, year - 1) in printed]
    if not wanted:  # (no report prints anything of the year before its first total)
        return {}
    reports = [r for r in reports if r.doc_id in {doc for doc, _ in wanted}]
    facts = facts[facts.doc_id.isin({r.doc_id for r in reports})]
    series = activity_series(facts, cost_by_activity(facts, reports), reports)
    net = series[(series.measure == "net_cost") & (series.period == "full_year")
                 & (series.category != "total")]
    out = {}
    for doc_id, year in wanted:
        later = totals[(doc_id, year)]
        now = net[(net.doc_id == doc_id) & (net.fiscal_year == year)]
        before = net[(net.doc_id == doc_id) & (net.fiscal_year == year - 1)]
        same = set(now.report_label) == set(before.report_label) and len(before) == len(now)
        summed = sum(float(v) for v in now.value)
        if before.empty or not same or abs(summed - abs(later.number)) > 0.5:
            continue
        check = (f"the same lines sum to the printed {year} total {fmt(summed)} tkr "
                 f"at line {later.source_line}")
        out[(doc_id, year - 1)] = _Derived(sum(float(v) for v in before.value),
                                           sorted(int(n) for n in before.source_line), check)
    return out
