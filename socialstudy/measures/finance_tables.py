"""The finance and staffing-detail tables as a set: build them, write them to
``data/processed/`` and show them to readers (mnkr, plain column names); the sentences
about them are in ``findings_finance``."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd

from socialstudy.core.registry import Report, load_registry
from socialstudy.core.schemas import write_csv
from socialstudy.core.units import mnkr
from socialstudy.measures.finance import budget_by_cost_type, investments
from socialstudy.measures.finance_events import forecast_accuracy, one_off_items
from socialstudy.measures.growth import net_cost_growth
from socialstudy.measures.per_inhabitant import per_inhabitant
from socialstudy.measures.revenue import revenue_dependence
from socialstudy.measures.staffing_detail import staffing_detail
from socialstudy.measures.tabular import load_facts

BUILDERS = {"budget_by_cost_type": budget_by_cost_type,
            "revenue_dependence": revenue_dependence, "net_cost_growth": net_cost_growth,
            "one_off_items": one_off_items, "investments": investments,
            "forecast_accuracy": forecast_accuracy, "per_inhabitant": per_inhabitant,
            "staffing_detail": staffing_detail}


FINANCE = tuple(name for name in BUILDERS if name != "staffing_detail")  # notebook 02
STAFFING = ("staffing_detail",)                                          # notebook 03

cell_mnkr = partial(mnkr, unit=False, trim=True)  # table cells: 12, not 12.0 mnkr


def finance_tables(facts: pd.DataFrame, reports: list[Report],
                   names: tuple[str, ...] = tuple(BUILDERS)) -> dict[str, pd.DataFrame]:
    return {name: BUILDERS[name](facts, reports) for name in names}


def write_finance_tables(processed: Path, reports: list[Report] | None = None,
                         names: tuple[str, ...] = tuple(BUILDERS)) -> dict[str, pd.DataFrame]:
    """Read facts.csv from ``processed``, write the named tables beside it and return them
    (the full panel of all reports; a run shows its selection)."""
    reports = load_registry() if reports is None else reports
    tables = finance_tables(load_facts(processed), reports, names)
    for name, frame in tables.items():
        write_csv(frame, processed / f"{name}.csv")
    return tables


def shown_drivers(frame: pd.DataFrame) -> pd.DataFrame:
    """Budget deviation per cost type as shown in notebook 02: mnkr, ranked by
    contribution to the net deviation, not-reported reports with their reason; the
    deviation as the report prints it beside the one computed from its rounded budget and
    outcome (they can differ by rounding: Haninge's Bidragsintäkter 43.4 printed, 43.5
    computed, 000:341), so the table shows what the sentences quote."""
    rows = frame[(frame.driver_rank.astype(str) != "") | (frame.status != "reported")]
    shown = pd.DataFrame({
        "municipality": rows.municipality, "year": rows.fiscal_year,
        "cost or revenue type (report's label)": rows.report_label,
        "budget, mnkr": rows.budget_tkr.map(cell_mnkr),
        "outcome, mnkr": rows.outcome_tkr.map(cell_mnkr),
        "deviation as printed, mnkr (+ = better)": [
            cell_mnkr(p) if str(p).strip() else "not printed" if str(d).strip() else ""
            for p, d in zip(rows.printed_deviation_tkr, rows.deviation_tkr)],
        "deviation computed (outcome − budget), mnkr": rows.deviation_tkr.map(cell_mnkr),
        "share of net deviation, %": rows.share_of_net_deviation_pct,
        "rank": rows.driver_rank, "status / reason": [
            s if not r else f"{s}: {r}" for s, r in zip(rows.status, rows.reason)],
        "line": rows.source_line})
    order = shown.assign(_r=pd.to_numeric(shown["rank"], errors="coerce"))
    return order.sort_values(["municipality", "year", "_r"], kind="mergesort",
                             na_position="last").drop(columns="_r").reset_index(drop=True)
