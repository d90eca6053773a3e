"""The comparison: cost structure (by cost type, by activity), budget deviation, staffing
and goal outcomes, each as a tidy table whose rows carry their provenance.

Sign conventions are harmonized here: **costs positive**, net cost positive, and budget
deviation **positive = better than budget** (checked against budget − actual).
"""

from __future__ import annotations

import pandas as pd

from socialstudy.core import registry
from socialstudy.core.registry import Report, by_doc_id, load_registry
from socialstudy.crosswalks import matching
from socialstudy.crosswalks.loader import read_crosswalk, row_error
from socialstudy.crosswalks.specs import Row
from socialstudy.errors import CrosswalkError
from socialstudy.extract.tables import read_lines
from socialstudy.measures import line_status, statement_kinds, tabular
from socialstudy.measures.deviation_rows import (
    DEVIATION_COLUMNS,
    deviation_row,
    without_deviation,
)
from socialstudy.measures.tabular import (
    DERIVED,
    NOT_MAPPED,
    NOT_REPORTED,
    REPORTED,
    fmt,
    not_mapped,
)

# registry cost_sign values (agreement 2) whose income statement prints costs negative;
# the two older free-text spellings are accepted until the registry branch lands

def _costs_negative(report: Report) -> bool:
    return report.cost_sign in (registry.COSTS_NEGATIVE,
                                registry.COSTS_NEGATIVE_STATEMENT_NET_POSITIVE_ACTIVITY)


# --- cost by type -----------------------------------------------------------------------

def cost_by_type(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Cost and revenue types on the Kommun-Bas-like taxonomy; costs positive, with each
    type's share of gross cost (revenues: of total revenue)."""
    crosswalk = {(r.municipality, r.report_label): r
                 for r in read_crosswalk("cost_types.csv")}
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
        from socialstudy.measures import damage  # (as in _unreadable)
        if lost := damage.unread_header(facts, report, crosswalk, table):
            rows += [{**_type_row(table.iloc[0], entry, None, NOT_REPORTED), **fields}
                     for entry, fields in lost]
            continue
        for fact in table.itertuples():
            entry = crosswalk[(report.municipality, fact.row_label)]
            sign = -1 if _costs_negative(report) and entry.flow != "revenue" and not (
                entry.category == "total_revenue") else 1
            rows.append(_type_row(fact, entry, sign * fact.number, "reported"))
        rows += _unreadable(facts, table, report.municipality, crosswalk)
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
    rows += [{**dict.fromkeys(TYPE_COLUMNS, ""), **r, "value_status": NOT_REPORTED, "unit": "tkr"}
             for r in not_mapped(reports, ("cost_types.csv",), {r["doc_id"] for r in rows}, facts)]
    frame = _shares(pd.DataFrame(rows, columns=TYPE_COLUMNS))
    return frame.sort_values(["municipality", "fiscal_year", "flow", "category", "report_label"],
                             kind="mergesort").reset_index(drop=True)


def _shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Each amount's share of gross cost (revenues: of total revenue); prose shares keep
    the basis the report's text gives."""
    for (muni, year, doc), group in frame.groupby(["municipality", "fiscal_year", "doc_id"]):
        for flow, total_cat in (("cost", "total_cost"), ("revenue", "total_revenue")):
            total = group[(group.category == total_cat) & (group.value_tkr != "")]
            if total.empty or "reported" not in set(group.value_status):
                continue
            gross = float(total.value_tkr.iloc[0])
            idx = group[(group.flow == flow) & (group.value_tkr != "")].index
            frame.loc[idx, "share_pct"] = [fmt(100 * float(v) / gross, 2)
                                           for v in frame.loc[idx, "value_tkr"]]
            frame.loc[idx, "share_basis"] = "gross cost" if flow == "cost" else "total revenue"
    frame["share_pct"] = frame["share_pct"].fillna("")
    frame["share_basis"] = frame["share_basis"].fillna("")
    prose = frame.value_status == "share only (prose)"
    frame.loc[prose & (frame.flow == "cost"), "share_basis"] = "total cost (as stated in prose)"
    frame.loc[prose & (frame.flow == "revenue"), "share_basis"] = "financing (as stated in prose)"
    return frame


TYPE_COLUMNS = ["municipality", "doc_id", "fiscal_year", "period", "flow", "category",
                "report_label", "value_tkr", "value_status", "share_pct", "share_basis", "fit",
                "unit", "source_kind", "source_file", "source_line", "raw", "status", "reason"]


def _type_row(fact, entry: Row, value: float | None, status: str) -> dict:
    return {"municipality": fact.municipality, "doc_id": fact.doc_id,
            "fiscal_year": fact.fiscal_year, "period": fact.period, "flow": entry.flow,
            "category": entry.category, "report_label": fact.row_label,
            "value_tkr": fmt(value) if value is not None else "",
            "value_status": status, "share_pct": None, "share_basis": None,
            "fit": entry.fit, "unit": "tkr", "source_kind": fact.source_kind,
            "source_file": fact.source_file, "source_line": fact.source_line,
            "raw": fact.raw, "status": NOT_REPORTED if status == NOT_REPORTED else REPORTED,
            "reason": ""}


def _unreadable(facts, table, municipality: str, crosswalk: dict) -> list[dict]:
    from socialstudy.measures import damage  # here: the import block is another's work
    return [{**_type_row(fact, entry, None, NOT_REPORTED), "report_label": label,
             "source_line": line, "raw": hit.raw, "reason": damage.text(hit)}  # unreadable
            for fact, entry, label, line, hit in damage.unreadable_rows(
                facts, table, municipality, crosswalk)]


# --- cost by activity -------------------------------------------------------------------

def cost_by_activity(facts: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Net cost, budget and deviation per activity on the common taxonomy, net costs
    positive, deviation positive = better than budget, share of the committee's total.
    Rows are mapped by municipality + label (``crosswalks/activities.csv``); a line of the
    activity table without a crosswalk row stays in, as category 'unmapped', never
    silently dropped or guessed."""
    table = statement_kinds.derive_result_style(facts[facts.source_kind == "table"])
    table = table.assign(row_line=statement_kinds.row_lines(table))
    table = table.assign(entry=matching.match_labels(table.assign(source_line=table.row_line),
                                                     activity_crosswalk(),
                                                     "activities.csv"))
    table = table[table.measure.isin(["actual", "budget", "deviation"])
                  & table.basis.isin(["net", ""])]
    rows = []
    for doc_id, doc_facts in table.groupby("doc_id"):
        table_id = _main_activity_table(doc_facts)
        if table_id is None:
            continue
        main = statement_kinds.own_rows(doc_facts[doc_facts.table_id == table_id],
                                        doc_facts.entry.map(_category))
        totals = main[(main.entry.map(_category) == "total") & (main.measure == "actual")]
        sign = -1 if (totals.number < 0).any() else 1
        lines = read_lines(by_doc_id(reports)[doc_id].path)
        rows += [_activity_row(cell, sign, table_id, lines)
                 for cell in tabular.groups(main, ["row_line", "fiscal_year", "period"])]
    rows += [{**dict.fromkeys(ACTIVITY_COLUMNS, ""), **r, "unit": "tkr"}
             for r in not_mapped(reports, ("activities.csv",), {r["doc_id"] for r in rows}, facts)]
    frame = pd.DataFrame(rows, columns=ACTIVITY_COLUMNS + ["status", "reason"])
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
    return line_status.with_status(line_status.with_deviation_pct(frame))


ACTIVITY_COLUMNS = ["municipality", "doc_id", "fiscal_year", "period", "category",
                    "report_label", "fit", "components", "net_cost_tkr", "budget_tkr",
                    "deviation_tkr", "unit", "source_file", "source_line", "table_id",
                    "description", "description_line"]
UNMAPPED = "unmapped"


def activity_crosswalk() -> dict[tuple, Row]:
    return matching.keyed_crosswalk("activities.csv")


def _category(entry: Row | None) -> str:
    return UNMAPPED if entry is None else entry.category


def _activity_row(cell: list, sign: int, table_id: str, lines: list[str]) -> dict:
    by_measure = {f.measure: f for f in reversed(cell)}  # the first fact of each measure
    net, budget, dev = (by_measure.get(m) for m in ("actual", "budget", "deviation"))
    first = cell[0]
    quote, line = matching.description(first.entry, lines, int(first.source_line))
    return {"municipality": first.municipality, "doc_id": first.doc_id,
            "fiscal_year": first.fiscal_year, "period": first.period,
            "category": _category(first.entry), "report_label": first.row_label,
            "fit": UNMAPPED if first.entry is None else first.entry.fit,
            "components": getattr(first.entry, "components", ""),
            "net_cost_tkr": fmt(sign * net.number) if net is not None else "",
            "budget_tkr": fmt(sign * budget.number) if budget is not None else "",
            "deviation_tkr": fmt(dev.number) if dev is not None else "",
            "unit": "tkr", "source_file": first.source_file,
            "source_line": first.source_line, "table_id": table_id,
            "description": quote, "description_line": "" if line is None else line}


def _main_activity_table(doc_facts: pd.DataFrame) -> str | None:
    """The table whose mapped total is largest: sub-tables (a department's breakdown)
    would double count the department."""
    mapped = doc_facts[doc_facts.entry.notna()]
    if mapped.empty:
        return None
    totals = mapped[[e.category == "total" for e in mapped.entry]]
    totals = totals[totals.measure == "actual"]
    if totals.empty:
        return None
    rows = mapped.groupby("table_id").source_line.nunique()
    ranked = totals.assign(size=totals.number.abs(), rows=totals.table_id.map(rows))
    ranked = ranked.sort_values(["size", "rows", "table_id"], kind="mergesort")
    return ranked.table_id.iloc[-1]


def budget_deviation(activity: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Committee-level budget deviation per municipality and year (positive = better):
    computed from the totals where amounts exist (status 'derived'), else the percentage
    the report prints at a line listed in ``crosswalks/printed_deviation.csv`` ('reported');
    a committee whose activity lines are 'not mapped' keeps that status and reason."""
    totals = activity[(activity.category == "total") & (activity.deviation_pct != "")]
    rows = [deviation_row(r, r.deviation_tkr, r.budget_tkr, r.deviation_pct,
                           "computed from amounts", DERIVED) for r in totals.itertuples()]
    seen = {(r["municipality"], r["fiscal_year"]) for r in rows}
    crosswalk = matching.keyed_crosswalk("printed_deviation.csv")
    candidates = facts[(facts.source_kind == "table") & (facts.unit == "percent")
                       & (facts.measure == "actual")]
    entries = matching.match_labels(candidates, crosswalk, "printed_deviation.csv")
    printed = candidates[entries.notna()]
    _one_line_per_report(printed, "printed_deviation.csv")
    for r in printed.sort_values(["source_line", "fiscal_year"]).itertuples():
        if (r.municipality, r.fiscal_year) not in seen:
            seen.add((r.municipality, r.fiscal_year))
            rows.append(deviation_row(r, "", "", fmt(r.number, 2), "printed by the report",
                                       REPORTED))
    rows += [{**deviation_row(r, "", "", "", "", NOT_MAPPED), "source_line": "",
              "reason": r.reason} for r in activity[activity.status == NOT_MAPPED].itertuples()
             if (r.municipality, r.fiscal_year) not in seen]
    rows += without_deviation(activity, seen)
    frame = pd.DataFrame(rows, columns=DEVIATION_COLUMNS)
    return frame.sort_values(["municipality", "fiscal_year", "period"],
                             kind="mergesort").reset_index(drop=True)


def _one_line_per_report(found: pd.DataFrame, name: str) -> None:
    """A label-keyed row must point at one line per report; two lines are ambiguous."""
    for doc_id, group in found.groupby("doc_id"):
        if group.source_line.nunique() > 1:
            raise CrosswalkError(f"{doc_id}: the label {group.row_label.iloc[0]!r} matches lines "
                                 f"{sorted(set(group.source_line))}",
                                 file=f"socialstudy/crosswalks/{name}",
                                 fix="qualify the row (occurrence, column pattern) so that one "
                                     "line matches")


def remit_matrix(reports: list[Report] | None = None) -> pd.DataFrame:
    """Does each committee run each activity: yes / partial / no from ``remit.csv``, and
    'unknown' for a municipality the crosswalk does not cover. Every evidence quote is
    checked to stand in one of its municipality's registered reports."""
    reports = load_registry() if reports is None else reports
    rows = read_crosswalk("remit.csv")
    texts: dict[str, list[str]] = {}
    for report in reports:
        texts.setdefault(report.municipality, []).extend(read_lines(report.path))
    for row in rows:
        lines = texts.get(row.municipality)
        if lines is not None and not any(row.evidence in line for line in lines):
            raise row_error("remit.csv", row, f"evidence {row.evidence[:60]!r} is in none of "
                            f"{row.municipality}'s reports", "quote the report's wording exactly")
    frame = pd.DataFrame(rows).drop(columns="line")
    matrix = frame.pivot(index="category", columns="municipality", values="in_remit")
    for municipality in sorted(set(texts) - set(matrix.columns)):
        matrix[municipality] = "unknown"
    return matrix.reindex(columns=sorted(matrix.columns)).fillna("unknown")
