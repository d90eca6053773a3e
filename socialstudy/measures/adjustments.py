"""One-off items, budget buffers and budget top-ups the reports name, and the committee's
budget deviation with and without them (``crosswalks/budget_adjustments.csv``; each item
quoted at its line, its amount at its own line). The deviation *without* an item is the
printed deviation minus the item's effect on it (positive effect = the item made the
deviation better), as a percentage of the budget without the item where the item is a
budget top-up."""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import as_dict, check_quote, rows_by_report
from socialstudy.extract.tables import read_lines
from socialstudy.measures.tabular import DERIVED, fmt

COLUMNS = ["doc_id", "fiscal_year", "kind", "item", "effect_tkr", "quote", "source_file",
           "quote_line", "amount_line", "note"]


def adjustments(reports: list[Report]) -> pd.DataFrame:
    """The named items, each quote checked to stand on its cited line."""
    rows = []
    for row, report in rows_by_report("budget_adjustments.csv", reports):
        check_quote(row, "budget_adjustments.csv", report, read_lines(report.path),
                    int(row.quote_line), row.quote)
        own = {c: v for c, v in as_dict(row).items() if c in COLUMNS}
        rows.append({**own, "source_file": report.file,
                     "fiscal_year": int(row.fiscal_year),
                     "effect_tkr": float(row.effect_tkr)})
    return pd.DataFrame(rows, columns=COLUMNS)


def without(deviation_tkr: float, budget_tkr: float, items: pd.DataFrame) -> tuple[float, float]:
    """(deviation, deviation %) without the items: a top-up also leaves the budget."""
    effect = float(items.effect_tkr.sum()) if len(items) else 0.0
    topup = float(items[items.kind == "budget top-up"].effect_tkr.sum()) if len(items) else 0.0
    dev, budget = deviation_tkr - effect, budget_tkr - topup
    return dev, 100 * dev / budget


ADJUSTED = ["municipality", "doc_id", "fiscal_year", "period", "kind", "item", "effect_tkr",
            "deviation_tkr", "budget_tkr", "deviation_without_tkr", "budget_without_tkr",
            "deviation_without_pct", "quote", "source_file", "source_line", "amount_line",
            "status", "reason"]


def deviation_adjusted(deviation: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """One row per named item: the committee's deviation (from budget_deviation.csv) and
    the deviation and budget without *all* the items the report names for that year, each
    row 'derived' (computed from the printed deviation, budget and item amounts)."""
    items, rows = adjustments(reports), []
    for dev in deviation[deviation.deviation_tkr.astype(str).str.strip() != ""].itertuples():
        mine = items[(items.doc_id == dev.doc_id) & (items.fiscal_year == int(dev.fiscal_year))]
        if mine.empty:
            continue
        value, pct = without(float(dev.deviation_tkr), float(dev.budget_tkr), mine)
        topup = float(mine[mine.kind == "budget top-up"].effect_tkr.sum())
        for item in mine.itertuples():
            rows.append({"municipality": dev.municipality, "doc_id": dev.doc_id,
                         "fiscal_year": int(dev.fiscal_year), "period": dev.period,
                         "kind": item.kind, "item": item.item, "effect_tkr": fmt(item.effect_tkr),
                         "deviation_tkr": fmt(float(dev.deviation_tkr)),
                         "budget_tkr": fmt(float(dev.budget_tkr)),
                         "deviation_without_tkr": fmt(value),
                         "budget_without_tkr": fmt(float(dev.budget_tkr) - topup),
                         "deviation_without_pct": fmt(pct, 2), "quote": item.quote,
                         "source_file": item.source_file, "source_line": int(item.quote_line),
                         "amount_line": int(item.amount_line), "status": DERIVED,
                         "reason": ""})
    return pd.DataFrame(rows, columns=ADJUSTED)
