"""The rows of ``budget_deviation``: one per committee and year, with its status, and a
'not reported' row (with the committee total's line and the reason) for a year whose net
cost the report prints but whose deviation it neither prints nor lets be computed."""

from __future__ import annotations

import pandas as pd

from socialstudy.measures.tabular import NOT_REPORTED


def without_deviation(activity: pd.DataFrame, seen: set) -> list[dict]:
    """A 'not reported' row, with the committee total's line, for each year whose net cost
    the report prints but whose deviation it neither prints nor lets be computed (Haninge's
    2024 report prints 2023's outcome, line 372, and no 2023 budget): a year in the table
    with no deviation row would leave a figure saying 'not reported' without a reason."""
    totals = activity[(activity.category == "total") & (activity.net_cost_tkr != "")
                      & (activity.deviation_pct == "")]
    rows = []
    for r in totals.sort_values(["municipality", "fiscal_year", "period"]).itertuples():
        if (r.municipality, r.fiscal_year) in seen:
            continue
        seen.add((r.municipality, r.fiscal_year))
        why = getattr(r, "deviation_pct_reason", "") or (
            f"the report prints the committee's {r.fiscal_year} net cost and budget (line "
            f"{r.source_line}) but no deviation for that period, and none is computed in its "
            "place" if r.budget_tkr else
            f"the report prints the committee's {r.fiscal_year} net cost (line "
            f"{r.source_line}) but no budget or deviation for {r.fiscal_year}")
        rows.append({**deviation_row(r, "", "", "", "", NOT_REPORTED),
                     "reason": f"not reported – {why}"})
    return rows


DEVIATION_COLUMNS = ["municipality", "doc_id", "fiscal_year", "period", "deviation_tkr",
                     "budget_tkr", "deviation_pct", "pct_source", "unit", "source_file",
                     "source_line", "status", "reason"]


def deviation_row(r, deviation_tkr: str, budget_tkr: str, pct: str, source: str,
                  status: str) -> dict:
    """One row of ``budget_deviation`` for the report row ``r`` (reason filled by callers)."""
    return {"municipality": r.municipality, "doc_id": r.doc_id, "fiscal_year": r.fiscal_year,
            "period": r.period, "deviation_tkr": deviation_tkr, "budget_tkr": budget_tkr,
            "deviation_pct": pct, "pct_source": source, "unit": "percent",
            "source_file": r.source_file, "source_line": r.source_line, "status": status,
            "reason": ""}
