"""The finance and staffing-detail tables as a set: build them, write them to
``data/processed/`` and show them to readers (mnkr, plain column names, one sentence per
finding that names its source line)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .build import write_csv
from .compare import fmt, load_facts
from .finance import budget_by_cost_type, investments, net_cost_growth, revenue_dependence
from .finance_events import forecast_accuracy, one_off_items
from .per_inhabitant import per_inhabitant
from .registry import Report, load_registry
from .staffing_detail import staffing_detail

BUILDERS = {"budget_by_cost_type": budget_by_cost_type,
            "revenue_dependence": revenue_dependence, "net_cost_growth": net_cost_growth,
            "one_off_items": one_off_items, "investments": investments,
            "forecast_accuracy": forecast_accuracy, "per_inhabitant": per_inhabitant,
            "staffing_detail": staffing_detail}


def finance_tables(facts: pd.DataFrame, reports: list[Report]) -> dict[str, pd.DataFrame]:
    return {name: build(facts, reports) for name, build in BUILDERS.items()}


def write_finance_tables(processed: Path, reports: list[Report] | None = None) -> list[Path]:
    """Read facts.csv from ``processed`` and write every table beside it."""
    reports = load_registry() if reports is None else reports
    tables = finance_tables(load_facts(processed), reports)
    return [write_csv(frame, processed / f"{name}.csv") for name, frame in tables.items()]


def mnkr(tkr: str) -> str:
    """A tkr amount as mnkr with one decimal, for readers ('' stays '')."""
    return "" if tkr in ("", None) else fmt(float(tkr) / 1000, 1)


def shown_drivers(frame: pd.DataFrame) -> pd.DataFrame:
    """Budget deviation per cost type as shown in notebook 02: mnkr, ranked by
    contribution to the net deviation, not-reported reports with their reason."""
    rows = frame[(frame.driver_rank.astype(str) != "") | (frame.status != "reported")]
    shown = pd.DataFrame({
        "municipality": rows.municipality, "year": rows.fiscal_year,
        "cost or revenue type (report's label)": rows.report_label,
        "budget, mnkr": rows.budget_tkr.map(mnkr), "outcome, mnkr": rows.outcome_tkr.map(mnkr),
        "deviation, mnkr (+ = better)": rows.deviation_tkr.map(mnkr),
        "share of net deviation, %": rows.share_of_net_deviation_pct,
        "rank": rows.driver_rank, "status / reason": [
            s if not r else f"{s}: {r}" for s, r in zip(rows.status, rows.reason)],
        "line": rows.source_line})
    order = shown.assign(_r=pd.to_numeric(shown["rank"], errors="coerce"))
    return order.sort_values(["municipality", "year", "_r"], kind="mergesort",
                             na_position="last").drop(columns="_r").reset_index(drop=True)


def sentences(tables: dict[str, pd.DataFrame]) -> list[str]:
    """One English sentence per finance finding, each naming its source file and line."""
    out = []
    drivers = tables["budget_by_cost_type"]
    for r in drivers[drivers.driver_rank.astype(str) == "1"].itertuples():
        out.append(f"{r.municipality} {r.fiscal_year}: the type that moved the result most is "
                   f"'{r.report_label}' ({mnkr(r.deviation_tkr)} mnkr against budget, "
                   f"{r.share_of_net_deviation_pct} % of the net deviation; "
                   f"{r.source_file} line {r.source_line}).")
    for r in tables["one_off_items"].query("status == 'reported'").itertuples():
        out.append(f"{r.municipality} {r.fiscal_year}: the report names a one-off item, "
                   f"{r.item} ({mnkr(r.amount_tkr)} mnkr, {r.effect}; {r.source_file} line "
                   f"{r.source_line}); without it the deviation would be "
                   f"{mnkr(r.deviation_excl_one_offs_tkr)} mnkr instead of "
                   f"{mnkr(r.deviation_tkr)} mnkr ({r.deviation_excl_one_offs_pct} % of budget).")
    for r in tables["net_cost_growth"].query("status == 'derived'").itertuples():
        out.append(f"{r.municipality}: net cost grew {r.change_pct} % from {r.prior_year} to "
                   f"{r.fiscal_year} ({r.source_file} line {r.source_line}).")
    for r in tables["forecast_accuracy"].query("status != 'not reported'").itertuples():
        if r.forecast_month == "08":
            out.append(f"{r.municipality} {r.fiscal_year}: the August forecast of the deviation "
                       f"({mnkr(r.forecast_deviation_tkr)} mnkr) missed the outcome "
                       f"({mnkr(r.outcome_deviation_tkr)} mnkr) by {mnkr(r.error_tkr)} mnkr "
                       f"(+ = outcome better; {r.source_file} line {r.source_line}).")
    revenue = tables["revenue_dependence"]
    for r in revenue[revenue.measure == "revenue_share_of_gross_cost_pct"].query(
            "status == 'derived'").itertuples():
        lines = ";".join(filter(None, [str(r.source_line), r.other_lines]))
        out.append(f"{r.municipality} {r.fiscal_year}: revenue covered {r.value} % of gross "
                   f"cost ({r.source_file} lines {lines}).")
    for r in tables["per_inhabitant"].itertuples():
        value = (f"{r.net_cost_per_inhabitant_kr} kr per inhabitant (the committees' remits "
                 "differ, so this is no efficiency comparison)" if r.status == "derived"
                 else f"{r.status}: {r.reason}")
        out.append(f"{r.municipality} {r.fiscal_year}: net cost {value}.")
    return out
