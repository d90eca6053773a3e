"""One-off items a report names (with the deviation without them) and forecast accuracy
(an interim forecast against the year-end outcome). Both rest on wording the reports use,
anchored in ``crosswalks/finance_prose.csv``, and on committee totals of the tables.

Sign convention as in ``finance``: deviation and forecast error positive = better.
"""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.errors import CrosswalkError
from socialstudy.measures.compare import fmt
from socialstudy.measures.finance import BASE, base, committee_totals, tidy
from socialstudy.measures.finance_anchors import (
    PROSE,
    Anchor,
    lacking,
    prose_anchors,
    table_rows,
)

ONE_OFF = BASE + ["item", "amount_tkr", "effect", "deviation_tkr", "deviation_excl_one_offs_tkr",
                  "deviation_excl_one_offs_pct", "status", "reason", "definition", "unit",
                  "source_file", "source_line", "other_lines", "quote"]
FORECAST = BASE + ["forecast_made", "forecast_month", "forecast_doc_id", "forecast_deviation_tkr",
                   "outcome_deviation_tkr", "error_tkr", "error_pct_of_net_budget",
                   "printed_error_tkr", "error_check", "status", "reason", "unit", "source_file",
                   "source_line", "raw"]


def committee_deviation(facts: pd.DataFrame, reports: list[Report]) -> dict:
    """{(doc_id, year): (net budget, deviation = budget - net cost, net-cost fact)}."""
    net = committee_totals(facts, reports, "net_cost_total")
    budget = committee_totals(facts, reports, "net_budget_total", ("budget",))
    return {key: (abs(budget[key].number), abs(budget[key].number) - abs(fact.number), fact)
            for key, fact in net.items() if key in budget}


# --- one-off items ----------------------------------------------------------------------------

def one_off_items(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Each one-off item a report names (amount, effect on the result, quote and line) and
    the committee's deviation without all of them."""
    deviation = committee_deviation(facts, reports)
    anchors = prose_anchors(reports, "one_off")
    rows = []
    for report in reports:
        items = _items([a for a in anchors if a.report.doc_id == report.doc_id])
        if not items:
            rows.append({**base(report), "item": "(none named)", "source_file": report.file,
                         **lacking(report, "one_off",
                                   "no one-off item found in the report's wording (if it names "
                                   "one, add the sentence to crosswalks/finance_prose.csv)")})
            continue
        year = report.fiscal_year
        budget, dev, _ = deviation.get((report.doc_id, year), (None, None, None))
        effect = sum(float(item[0].value) for item in items.values())
        for name, mentions in sorted(items.items()):
            rows.append(_item_row(report, name, mentions, budget, dev, effect))
    return tidy(rows, ONE_OFF, ["municipality", "doc_id", "fiscal_year", "item"])


def _items(anchors: list[Anchor]) -> dict[str, list[Anchor]]:
    """Mentions grouped by item; all mentions of one item must give the same amount."""
    items: dict[str, list[Anchor]] = {}
    for anchor in sorted(anchors, key=lambda a: a.line):
        items.setdefault(anchor.item, []).append(anchor)
    for name, mentions in items.items():
        if len({m.value for m in mentions}) > 1:
            raise CrosswalkError(
                f"item {name!r} has different amounts in {mentions[0].report.file} (lines "
                f"{', '.join(str(m.line) for m in mentions)})",
                file=f"socialstudy/crosswalks/{PROSE}",
                fix="give the mentions different item names if they are different items")
    return items


def _item_row(report: Report, name: str, mentions: list[Anchor], budget, dev, effect) -> dict:
    first = mentions[0]
    amount = float(first.value)
    row = {**base(report), "item": name, "amount_tkr": fmt(amount),
           "effect": "favourable" if amount > 0 else "unfavourable", "status": "reported",
           "reason": "", "definition": first.definition, "unit": "tkr",
           "source_file": report.file, "source_line": first.line,
           "other_lines": ";".join(str(m.line) for m in mentions[1:]), "quote": first.quote}
    if dev is None:
        return {**row, "reason": "no committee budget and net cost for the year, so no "
                                 "deviation without one-off items"}
    return {**row, "deviation_tkr": fmt(dev), "deviation_excl_one_offs_tkr": fmt(dev - effect),
            "deviation_excl_one_offs_pct": fmt(100 * (dev - effect) / budget, 2)}


# --- forecast accuracy ------------------------------------------------------------------------

def forecast_accuracy(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Every full-year forecast the reports give (monthly forecast tables, a forecast
    quoted in the annual report, an interim report's own forecast) against the year-end
    outcome; error = outcome - forecast (positive = the outcome was better)."""
    deviation = committee_deviation(facts, reports)
    errors = {(a.report.doc_id, a.item): a for a in prose_anchors(reports, "forecast_error")}
    rows = list(_table_forecasts(facts, reports, deviation, errors))
    used = {(r["forecast_doc_id"], r["forecast_made"]) for r in rows}
    rows += _quoted_forecasts(reports, deviation, {k: v for k, v in errors.items()
                                                   if k not in used})
    rows += _interim_forecasts(facts, reports, deviation)
    covered = {r["doc_id"] for r in rows} | {r["forecast_doc_id"] for r in rows}
    for report in reports:
        if report.doc_id not in covered:
            rows.append({**base(report), "forecast_made": "(no forecast)",
                         "forecast_doc_id": report.doc_id, "source_file": report.file,
                         **(_unread_forecast(report) or lacking(
                             report, "forecast", "the report gives no full-year forecast to "
                             "compare with an outcome"))})
    for row in rows:
        row["forecast_month"] = forecast_month(row.get("forecast_made", ""))
    return tidy(rows, FORECAST, ["municipality", "fiscal_year", "forecast_doc_id",
                                 "forecast_month", "forecast_made"])


MONTHS = ("jan", "feb", "mar", "apr", "maj|may", "jun", "jul", "aug", "sep", "okt|oct",
          "nov", "dec")


def forecast_month(made: str) -> str:
    """Month in which a forecast was made, from its Swedish or English label ('Augusti',
    'August interim report', 'interim report (jan_apr)' = end of April); '' if none."""
    text = made.lower().split("_")[-1]
    for number, names in reversed(list(enumerate(MONTHS, start=1))):
        if any(name in text for name in names.split("|")):
            return f"{number:02d}"
    return ""


def _forecast_row(report: Report, made: str, forecast: float | None, outcome: float,
                  budget: float, error_anchor, status: str, fact_line: int, raw: str) -> dict:
    error = None if forecast is None else outcome - forecast
    printed = float(error_anchor.value) if error_anchor is not None else None
    if error is None and printed is not None:
        error, forecast, status = printed, outcome - printed, "derived"
    check = ""
    if printed is not None and status != "derived":
        check = "agrees" if abs(error - printed) <= 150 else "differs"
    return {**base(report, report.fiscal_year, "full_year"), "forecast_made": made,
            "forecast_doc_id": report.doc_id, "forecast_deviation_tkr": fmt(forecast),
            "outcome_deviation_tkr": fmt(outcome), "error_tkr": fmt(error),
            "error_pct_of_net_budget": fmt(100 * error / budget, 2),
            "printed_error_tkr": fmt(printed), "error_check": check, "status": status,
            "reason": "", "unit": "tkr", "source_file": report.file, "source_line": fact_line,
            "raw": raw}


def _table_forecasts(facts, reports, deviation, errors):
    """A forecast table: one column per forecast month and the outcome column."""
    found = table_rows(facts, reports, "forecast")
    for report in reports:
        doc = found[found.doc_id == report.doc_id]
        outcome = doc[doc.measure == "actual"]
        if outcome.empty or (report.doc_id, report.fiscal_year) not in deviation:
            continue
        budget = deviation[(report.doc_id, report.fiscal_year)][0]
        for fact in doc[doc.measure == "forecast"].itertuples():
            yield _forecast_row(report, fact.column_label, fact.number,
                                outcome.number.iloc[0], budget,
                                errors.get((report.doc_id, fact.column_label)), "reported",
                                fact.source_line, fact.raw)


def _quoted_forecasts(reports, deviation, errors):
    """A forecast the annual report quotes from its interim report (net cost), or only
    the difference between forecast and outcome."""
    quoted = {(a.report.doc_id, a.item): a for a in prose_anchors(reports, "forecast_net_cost")}
    for (doc_id, item), anchor in sorted(quoted.items()) + [
            (k, None) for k in sorted(errors) if k not in quoted]:
        source = anchor or errors[(doc_id, item)]
        report = source.report
        if (doc_id, report.fiscal_year) not in deviation:
            continue
        budget, outcome, _ = deviation[(doc_id, report.fiscal_year)]
        forecast = None if anchor is None else budget - float(anchor.value)
        yield _forecast_row(report, item, forecast, outcome, budget, errors.get((doc_id, item)),
                            "reported" if anchor else "derived", source.line, source.quote)


def _interim_forecasts(facts, reports, deviation):
    """An interim report's own full-year forecast, matched with the year-end outcome of
    any registered report of the same municipality."""
    stated = facts[(facts.source_kind == "prose") & (facts.measure == "forecast_budget_deviation")]
    docs = {r.doc_id: r for r in reports}
    stated = stated[stated.doc_id.isin(docs)]
    several = stated.duplicated(["doc_id", "fiscal_year"], keep=False)
    for fact, twice in zip(stated.itertuples(), several):
        report = docs[fact.doc_id]
        outcome = [(k, v) for k, v in deviation.items() if k[1] == fact.fiscal_year
                   and docs[k[0]].municipality == report.municipality]
        row = {**base(report, int(fact.fiscal_year), "full_year"),
               "forecast_made": f"interim report ({report.period})"
               + (f", line {fact.source_line}" if twice else ""),  # the review asks which
               "forecast_doc_id": report.doc_id, "forecast_deviation_tkr": fmt(fact.number),
               "unit": "tkr", "source_file": fact.source_file, "source_line": fact.source_line,
               "raw": fact.raw}
        if not outcome:
            yield {**row, **lacking(
                report, "forecast_outcome",
                f"no registered report gives {report.municipality}'s year-end outcome for "
                f"{fact.fiscal_year}")}
            continue
        (doc_id, _), (budget, dev, _) = outcome[0]
        yield {**row, "doc_id": doc_id, "outcome_deviation_tkr": fmt(dev),
               "error_tkr": fmt(dev - fact.number),
               "error_pct_of_net_budget": fmt(100 * (dev - fact.number) / budget, 2),
               "status": "derived"}


def _unread_forecast(report: Report) -> dict[str, str] | None:
    """A report whose forecast wording (prose_facts.csv) is not found in it: it gives a
    forecast the run could not read (a changed unit, 'miljoner kronor' for 'mnkr'), so
    'the report gives no forecast' would be false."""
    from socialstudy.crosswalks.loader import read_crosswalk
    from socialstudy.measures.tabular import NOT_REPORTED
    row = next((r for r in read_crosswalk("prose_facts.csv")
                if (r.municipality, r.document_type, r.variable) == (
                    report.municipality, report.document_type, "forecast_budget_deviation")),
               None)
    return None if row is None else {"status": NOT_REPORTED, "reason": (
        f"not reported — the report's full-year forecast could not be read: the wording "
        f"{row.wording!r} (socialstudy/crosswalks/prose_facts.csv:{row.line}) is not found in "
        f"{report.file}; see quality.csv (prose_facts_unmatched)")}
