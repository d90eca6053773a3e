"""One-off items, budget buffers and budget top-ups the reports name, and the committee's
budget deviation with and without them (``crosswalks/budget_adjustments.csv``; each item
quoted at its line, its amount at its own line). The deviation *without* an item is the
printed deviation minus the item's effect on it (positive effect = the item made the
deviation better), as a percentage of the printed budget for every committee (one
denominator, so the percentages compare). An item whose amount the report gives only as
an upper bound (``effect_is`` 'at most' in the crosswalk, e.g. a surplus the report credits
to buffers together with vacancies) makes the deviation without it a lower bound ('at
least'); the crosswalk's ``remark`` (cited at ``remark_line``) says what the report adds,
e.g. that a top-up was spent in full.

The net-cost growth without a one-off item (``growth_adjusted``) is the growth of the
year's net cost plus the item's effect (a revenue booked in the year lowered the net cost
by as much as it raised the deviation) against the previous year as printed.

An item whose year has no deviation (or no growth) keeps its row, 'not reported' with the
reason, so no named item silently drops out of a table."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import as_dict, row_error
from socialstudy.errors import CrosswalkError
from socialstudy.measures.cited import quoted_rows
from socialstudy.measures.tabular import DERIVED, NOT_REPORTED, fmt

COLUMNS = ["doc_id", "fiscal_year", "kind", "item", "effect_tkr", "quote", "source_file",
           "quote_line", "amount_line", "note", "effect_is", "remark", "remark_line"]
AT_MOST, AT_LEAST = "at most", "at least"


def adjustments(reports: list[Report]) -> pd.DataFrame:
    """The named items, each quote checked to stand on its cited line."""
    rows = []
    for row, report, lines in quoted_rows("budget_adjustments.csv", reports):
        _check_cited(row, report, lines)
        own = {c: v for c, v in as_dict(row).items() if c in COLUMNS}
        rows.append({**own, "source_file": report.file,
                     "fiscal_year": int(row.fiscal_year),
                     "effect_tkr": float(row.effect_tkr),
                     "remark_line": int(row.remark_line) if row.remark else ""})
    return pd.DataFrame(rows, columns=COLUMNS)


AMOUNT = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:[.,]\d+)?(?!\w)")


def _numbers(text: str) -> set[Decimal]:
    return {Decimal(re.sub(r"[ \u00a0]", "", n).replace(",", ".")) for n in AMOUNT.findall(text)}


def _check_cited(row, report: Report, lines: list[str]) -> None:
    """The item's amount stands on ``amount_line`` (in tkr, or in mnkr / 'miljoner'), and
    a remark's line exists and prints every number the remark gives: a line number typed
    wrong cited a line that says nothing of the item, with exit 0."""
    def refuse(problem: str, fix: str) -> CrosswalkError:
        return row_error("budget_adjustments.csv", row, problem, fix)
    amount_line = int(row.amount_line or row.quote_line)
    tkr = abs(Decimal(row.effect_tkr))
    printed = _numbers(lines[amount_line - 1]) if 0 < amount_line <= len(lines) else set()
    if not {tkr, tkr / 1000} & printed:
        raise refuse(f"amount {row.effect_tkr} tkr is not printed on line {amount_line} of "
                     f"{report.file}", "cite the line that prints the amount (amount_line)")
    if not row.remark:
        return
    line = int(row.remark_line or 0)
    if not 0 < line <= len(lines):
        raise refuse(f"remark_line {row.remark_line!r} is no line of {report.file} "
                     f"({len(lines)} lines)", "cite the line the remark rests on")
    missing = sorted(_numbers(row.remark) - _numbers(lines[line - 1]))
    if missing:
        raise refuse(f"the remark's {missing[0]} is not printed on line {line} of "
                     f"{report.file}", "cite the line that prints what the remark says")


def without(deviation_tkr: float, budget_tkr: float, items: pd.DataFrame) -> tuple[float, float]:
    """(deviation, deviation % of the printed budget) without the items."""
    effect = float(items.effect_tkr.sum()) if len(items) else 0.0
    dev = deviation_tkr - effect
    return dev, 100 * dev / budget_tkr


def bound(items: pd.DataFrame) -> str:
    """'at least' where an item's amount is an upper bound (the deviation without it is then
    no lower than computed), else 'exact'."""
    return AT_LEAST if len(items) and (items.effect_is == AT_MOST).any() else "exact"


ADJUSTED = ["municipality", "doc_id", "fiscal_year", "period", "kind", "item", "effect_tkr",
            "deviation_tkr", "budget_tkr", "deviation_without_tkr", "deviation_without_is",
            "budget_without_tkr", "deviation_without_pct", "quote", "source_file",
            "source_line", "amount_line", "effect_is", "remark", "remark_line", "status",
            "reason"]


def _item_cells(item, report: Report) -> dict:
    """The columns every row of an item carries: who, the item, its quote and lines."""
    return {"municipality": report.municipality, "doc_id": item.doc_id,
            "fiscal_year": int(item.fiscal_year), "kind": item.kind, "item": item.item,
            "effect_tkr": fmt(item.effect_tkr), "quote": item.quote,
            "source_file": item.source_file, "source_line": int(item.quote_line),
            "amount_line": int(item.amount_line), "effect_is": item.effect_is,
            "remark": item.remark, "remark_line": item.remark_line}


def _missing(rows: pd.DataFrame, year: int, report: Report, what: str) -> tuple[str, str]:
    """(period, reason) of an item whose year has no ``what``: the table's own reason for
    that year where it has a row, else that the report gives none for the year."""
    why = next((r for r in rows.reason if r), "") if len(rows) else ""
    period = rows.period.iloc[0] if len(rows) else report.period
    return period, f"the report gives no {what} for {year}" + (f": {why}" if why else "")


def _per_year(items: pd.DataFrame, table: pd.DataFrame, column: str, reports: list[Report],
              what: str):
    """For each report and year with named items: (the items, the table's rows of that
    year with a value in ``column``, the items' 'not reported' rows where there is none)."""
    docs = {r.doc_id: r for r in reports}
    for (doc_id, year), mine in items.groupby(["doc_id", "fiscal_year"], sort=True):
        rows = table[(table.doc_id == doc_id) & (table.fiscal_year.astype(int) == int(year))]
        given = rows[rows[column].astype(str).str.strip() != ""]
        period, reason = _missing(rows, int(year), docs[doc_id], what)
        missing = [] if len(given) else [
            {**_item_cells(i, docs[doc_id]), "period": period, "status": NOT_REPORTED,
             "reason": reason} for i in mine.itertuples()]
        yield mine, given, missing, docs[doc_id]


def deviation_adjusted(deviation: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """One row per named item: the committee's deviation (from budget_deviation.csv) and
    the deviation and budget without *all* the items the report names for that year, each
    row 'derived' (computed from the printed deviation, budget and item amounts); an item
    whose year has no deviation keeps its row, 'not reported' with the reason."""
    rows = []
    for mine, given, missing, report in _per_year(adjustments(reports), deviation,
                                                  "deviation_tkr", reports, "budget deviation"):
        rows += missing
        topup = float(mine[mine.kind == "budget top-up"].effect_tkr.sum())
        for dev in given.itertuples():
            value, pct = without(float(dev.deviation_tkr), float(dev.budget_tkr), mine)
            rows += [{**_item_cells(i, report), "period": dev.period,
                      "deviation_tkr": fmt(float(dev.deviation_tkr)),
                      "budget_tkr": fmt(float(dev.budget_tkr)),
                      "deviation_without_tkr": fmt(value),
                      "deviation_without_is": bound(mine),
                      "budget_without_tkr": fmt(float(dev.budget_tkr) - topup),
                      "deviation_without_pct": fmt(pct, 2), "status": DERIVED, "reason": ""}
                     for i in mine.itertuples()]
    return _sorted(rows, ADJUSTED)


def _sorted(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns).fillna("")  # a row without a value: empty
    return frame.sort_values(["doc_id", "fiscal_year", "period", "item"],
                             kind="mergesort").reset_index(drop=True)


GROWTH_ADJUSTED = ["municipality", "doc_id", "fiscal_year", "period", "item", "effect_tkr",
                   "net_cost_tkr", "prior_year", "prior_net_cost_tkr", "change_pct",
                   "net_cost_without_tkr", "change_without_pct", "quote", "source_file",
                   "source_line", "amount_line", "net_cost_line", "prior_lines", "status",
                   "reason"]


def growth_adjusted(growth: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """One row per one-off item a report names: the net-cost growth of the item's year
    (from net_cost_growth.csv) and the growth without the item, 'derived'. A one-off that
    lowered the deviation by booking revenue lowered the net cost by the same amount, so
    the net cost without it is net cost + effect; the previous year stays as printed. An
    item whose year has no growth keeps its row, 'not reported' with the reason."""
    items, rows = adjustments(reports), []
    for mine, given, missing, report in _per_year(items[items.kind == "one-off"], growth,
                                                  "change_pct", reports, "net-cost growth"):
        rows += missing
        if given.empty:
            continue
        g = given.iloc[0]
        now = float(g.net_cost_tkr) + float(mine.effect_tkr.sum())
        prior = float(g.prior_net_cost_tkr)
        lines = str(g.prior_source_lines or g.prior_source_line)
        rows += [{**_item_cells(i, report), "period": g.period,
                  "net_cost_tkr": g.net_cost_tkr, "prior_year": int(g.prior_year),
                  "prior_net_cost_tkr": g.prior_net_cost_tkr, "change_pct": g.change_pct,
                  "net_cost_without_tkr": fmt(now),
                  "change_without_pct": fmt(100 * (now - prior) / prior, 2),
                  "net_cost_line": int(g.source_line), "prior_lines": lines,
                  "status": DERIVED, "reason": ""} for i in mine.itertuples()]
    return _sorted(rows, GROWTH_ADJUSTED)
