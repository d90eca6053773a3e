"""Revenue and grant dependence: revenue and grants as shares of gross cost and revenue
change on the year before, one row per measure (long format), with provenance.

Conventions as in ``finance``: money in tkr, amounts positive; a measure a report lacks is
a row with status ``not reported`` and the reason.
"""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.measures import damage
from socialstudy.measures.finance import BASE, NOT_REPORTED, base, committee_totals, tidy
from socialstudy.measures.finance_anchors import lacking, prose_anchors
from socialstudy.measures.tabular import fmt

REVENUE = BASE + ["measure", "value", "unit", "status", "basis", "printed_value", "check",
                  "reason", "source_file", "source_line", "other_lines", "raw"]
REVENUE_MEASURES = ("revenue_tkr", "gross_cost_tkr", "revenue_share_of_gross_cost_pct",
                    "grants_tkr", "grants_share_of_gross_cost_pct", "revenue_change_tkr",
                    "revenue_change_pct", "all_grants_share_of_funding_pct")
ALL_GRANTS = "all_grants_share_of_funding_pct"
ALL_GRANTS_SCOPE = "all grants"  # finance_tables.csv: a grants row whose scope starts so


def revenue_dependence(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Revenue and grants as shares of gross cost, and revenue change on the year before,
    for every full year a report gives; one row per measure (long format)."""
    revenue = committee_totals(facts, reports, "revenue_total")
    cost = committee_totals(facts, reports, "cost_total")
    grants = committee_totals(facts, reports, "grants", ("actual", "granted"))
    budget = committee_totals(facts, reports, "net_budget_total", ("budget",))
    stated = {(a.report.doc_id, a.year): a
              for a in prose_anchors(reports, "all_grants_share_stated")}
    rows = []
    for report in reports:
        years = sorted({y for d, y in list(revenue) + list(cost) if d == report.doc_id})
        for year in years or [report.fiscal_year]:
            found = {m: v for m, v in _revenue_values(report, year, revenue, cost, grants)}
            found.update(_all_grants(report, year, grants, revenue, budget, stated))
            for measure in REVENUE_MEASURES:
                rows.append(found.get(measure) or _missing_revenue(
                    report, year, measure, years, damage.revenue_reason(facts, report, measure)))
    _check_stated_change(rows, prose_anchors(reports, "revenue_change_stated"))
    return tidy(rows, REVENUE, ["municipality", "doc_id", "fiscal_year", "measure"])


def _check_stated_change(rows: list[dict], stated: list) -> None:
    """Set the revenue change the text states (its line joins other_lines) beside the one
    the table gives: the two can disagree (Haninge's text says +16,6 %, its income
    statement +11,7 %)."""
    for anchor in stated:
        for row in rows:
            if (row["doc_id"], row["fiscal_year"], row["measure"]) == (
                    anchor.report.doc_id, anchor.year, "revenue_change_pct"):
                printed = float(anchor.value)
                row["printed_value"] = fmt(printed)
                row["other_lines"] = ";".join(filter(None, [row.get("other_lines", ""),
                                                            str(anchor.line)]))
                if row.get("value"):
                    row["check"] = ("agrees" if abs(float(row["value"]) - printed) < 0.051
                                    else "differs")


def _revenue_values(report: Report, year: int, revenue: dict, cost: dict, grants: dict):
    key, prior = (report.doc_id, year), (report.doc_id, year - 1)
    rev, gross, grant = revenue.get(key), cost.get(key), grants.get(key)
    for name, fact in (("revenue_tkr", rev), ("gross_cost_tkr", gross), ("grants_tkr", grant)):
        if fact is not None:
            yield name, _fact_row(report, year, name, abs(fact.number), fact)
    for name, part in (("revenue_share_of_gross_cost_pct", rev),
                       ("grants_share_of_gross_cost_pct", grant)):
        if part is not None and gross is not None:
            yield name, _derived(report, year, name, 100 * abs(part.number) / abs(gross.number),
                                 "percent", part, [gross])
    before = revenue.get(prior)
    if rev is not None and before is not None:
        change = abs(rev.number) - abs(before.number)
        yield "revenue_change_tkr", _derived(report, year, "revenue_change_tkr", change, "tkr",
                                             rev, [before])
        yield "revenue_change_pct", _derived(report, year, "revenue_change_pct",
                                             100 * change / abs(before.number), "percent",
                                             rev, [before])


def _all_grants(report: Report, year: int, grants: dict, revenue: dict, budget: dict,
                stated: dict) -> dict:
    """All grants as a share of the committee's funding (its net budget, the tax allocation,
    plus its own revenue): as the report prints it (a prose share), or computed where the
    itemised grant row covers all grants; {} otherwise (then 'not reported', with why)."""
    key = (report.doc_id, year)
    if key in stated:
        a = stated[key]
        return {ALL_GRANTS: {**base(report, year, "full_year"), "measure": ALL_GRANTS,
                             "value": fmt(a.value), "unit": "percent", "status": "derived",
                             "basis": a.definition, "reason": "", "source_file": report.file,
                             "source_line": a.line, "other_lines": "", "raw": a.quote}}
    grant, rev, net = grants.get(key), revenue.get(key), budget.get(key)
    scope = str(getattr(grant, "scope", ""))
    why = (f"the report prints no grant amount for {year}" if grant is None else
           f"the itemised grants are not all grants ({scope})"
           if not scope.startswith(ALL_GRANTS_SCOPE) else
           f"the report prints no revenue total for {year}" if rev is None else
           f"the report prints no net budget for {year}, the base of the share"
           if net is None else "")
    if why:
        return {ALL_GRANTS: _missing_revenue(report, year, ALL_GRANTS, [year], default=why)}
    funding = abs(net.number) + abs(rev.number)
    row = _derived(report, year, ALL_GRANTS, 100 * abs(grant.number) / funding, "percent",
                   grant, [net, rev])
    row["basis"] += " (all grants ÷ (net budget + revenue))"
    return {ALL_GRANTS: row}


def _fact_row(report: Report, year: int, measure: str, value: float, fact) -> dict:
    return {**base(report, year, "full_year"), "measure": measure, "value": fmt(value),
            "unit": "tkr", "status": "reported", "basis": getattr(fact, "scope", ""),
            "reason": "", "source_file": fact.source_file, "source_line": fact.source_line,
            "other_lines": "", "raw": fact.raw}


def _derived(report: Report, year: int, measure: str, value: float, unit: str, main,
             others: list) -> dict:
    lines = sorted({int(o.source_line) for o in others} - {int(main.source_line)})
    basis = "computed from " + " and ".join(
        f"{o.row_label} {o.fiscal_year}" for o in [main, *others])
    return {**base(report, year, "full_year"), "measure": measure,
            "value": fmt(value, 2 if unit == "percent" else 4), "unit": unit,
            "status": "derived", "basis": basis, "reason": "", "source_file": main.source_file,
            "source_line": main.source_line, "other_lines": ";".join(map(str, lines)), "raw": ""}


def _missing_revenue(report: Report, year: int, measure: str, years: list[int],
                     unreadable: str | None = None, default: str = "") -> dict:
    default = default or (
        "the report prints no revenue and gross-cost totals for a full year" if not years
        else f"the report prints no grant amount for {year}" if measure.startswith("grants")
        else f"the report prints no revenue total for {year - 1}"
        if measure.startswith("revenue_change") else f"not found for {year}")
    why = ({"status": NOT_REPORTED, "reason": unreadable} if unreadable
           else lacking(report, measure, default))
    return {**base(report, year), "measure": measure, **why, "source_file": report.file}
