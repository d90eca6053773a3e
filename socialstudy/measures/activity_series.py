"""Activity series: every value a report prints for each of its activity lines, for every
year it prints, so that growth per activity (not only the committee's) can be read, and
a printed percentage stands beside the one computed from the amounts.

Why: the committee total hides which activity grew; Huddinge prints three years for every
activity line, Haninge a prior year and its change, Strängnäs gross cost and revenue beside
the net cost. One tidy row per line, year, period and measure, money in tkr with the
study's signs (costs, net costs and budgets positive, revenue positive, deviation positive
= better than budget), each with its raw file and line. Tables: the committee's main
activity table (the one ``cost_by_activity`` uses) plus those named by their wording in
``crosswalks/activity_tables.csv``; a label that names a line differently, or a row of
changes beneath a series, is in ``crosswalks/activity_series_labels.csv``. Computed rows
(growth and deviation in %) cite both lines and are checked against the printed ones.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from socialstudy.core.registry import Report, by_doc_id
from socialstudy.crosswalks import matching
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.extract.tables import read_lines
from socialstudy.measures import line_status
from socialstudy.measures.compare import activity_crosswalk
from socialstudy.measures.finance import tidy
from socialstudy.measures.tabular import fmt

COLUMNS = ["municipality", "doc_id", "fiscal_year", "period", "report_label", "printed_label",
           "category", "fit", "measure", "value", "unit", "status", "reason", "derivation",
           "check", "note", "source_file", "source_line", "prior_source_line", "also_printed_at",
           "table_id", "raw"]
KEY = ["doc_id", "report_label", "occurrence", "fiscal_year", "period", "measure"]
# (facts.measure, facts.basis) -> measure here and how the printed sign is turned
MONEY = {("actual", "net"): ("net_cost", 1), ("actual", ""): ("net_cost", 1),
         ("actual", "cost"): ("gross_cost", 1), ("actual", "revenue"): ("revenue", -1),
         ("budget", "net"): ("budget", 1), ("budget", ""): ("budget", 1),
         ("budget", "cost"): ("budget_gross_cost", 1),
         ("budget", "revenue"): ("budget_revenue", -1), ("change", ""): ("change", 1)}
PRINTED_PCT = {"deviation_pct": "deviation_pct_printed", "change_pct": "growth_pct_printed"}
SLACK = 1e-9


def activity_series(facts: pd.DataFrame, activity: pd.DataFrame,
                    reports: list[Report]) -> pd.DataFrame:
    """The printed values of every activity line (see the module docstring) and, from
    them, growth and deviation in % (``status = computed``)."""
    printed = _printed(facts, activity, reports)
    rows = printed.to_dict("records") + _computed(printed)
    frame = tidy(rows, COLUMNS + ["occurrence"], ["municipality", "doc_id", "report_label",
                                                   "occurrence", "fiscal_year", "period",
                                                   "measure"])
    return frame[COLUMNS]


def _printed(facts: pd.DataFrame, activity: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """One row per printed value, the same value printed twice kept once (the main table
    first) with the other line in ``also_printed_at``."""
    groups: dict[tuple, list[dict]] = {}  # as groupby(KEY, sort=False), in plain Python
    for cell in _line_cells(facts, activity, reports).to_dict("records"):
        key = tuple(cell[k] for k in KEY)
        if not any(pd.isna(k) for k in key):
            groups.setdefault(key, []).append(cell)
    rows = []
    for group in groups.values():
        first, *others = sorted(group, key=lambda c: (not c["main"], c["source_line"]))
        first = dict(first, also_printed_at=";".join(str(o["source_line"]) for o in others))
        if any(float(o["value"]) != float(first["value"]) for o in others):
            first["check"] = "differs from the other line"
        rows.append(first)
    return pd.DataFrame(rows, columns=COLUMNS + ["occurrence", "main", "half"], dtype=object)


def _half_step(fact) -> float:
    """Half the last printed digit of a money cell, in tkr (0,1 mnkr printed: 50 tkr)."""
    digits = int(fact.decimals) if str(fact.decimals).strip() else 0
    scale = 1000 if str(fact.printed_unit).strip() in ("mnkr", "mkr") else 1
    return 0.5 * 10.0 ** -digits * scale


def _line_cells(facts: pd.DataFrame, activity: pd.DataFrame, reports: list[Report]
                ) -> pd.DataFrame:
    """The facts of the activity tables, each named by its line (crosswalk row) and
    turned into the study's measure and sign."""
    table = facts[facts.source_kind == "table"]
    roles = _table_roles(table, activity, reports)
    table = table[table.table_id.isin(roles)]
    table = table.assign(entry=matching.match_labels(table, activity_crosswalk(),
                                                     "activities.csv"),
                         label=matching.match_labels(table, _labels(),
                                                     "activity_series_labels.csv"))
    signs = _signs(table, activity)
    rows = []
    for fact in table.itertuples():
        row = _cell(fact, roles[fact.table_id], signs.get(fact.doc_id, 1), table)
        if row is not None:
            rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS + ["occurrence", "main", "half"],
                         dtype=object)
    return _flip_printed_deviation(frame)


def _table_roles(table: pd.DataFrame, activity: pd.DataFrame, reports: list[Report]
                 ) -> dict[str, str]:
    """table_id -> 'main' (cost_by_activity's table) or the role the crosswalk gives a
    table whose wording stands on its header line or the three lines above it."""
    roles = {t: "main" for t in activity.table_id.unique()}
    wanted = read_crosswalk("activity_tables.csv")
    docs = by_doc_id(reports)
    for (doc_id, table_id), _ in table.groupby(["doc_id", "table_id"]):
        report = docs[doc_id]
        first = int(table_id.rsplit(":L", 1)[1])
        lines = read_lines(report.path)
        head = "\n".join(lines[max(0, first - 4):first])
        for row in wanted:
            if row.municipality == report.municipality and row.wording in head:
                roles.setdefault(table_id, row.role)
    return roles


def _labels() -> dict:
    return matching.keyed_crosswalk("activity_series_labels.csv")


def _signs(table: pd.DataFrame, activity: pd.DataFrame) -> dict[str, int]:
    """-1 where the report prints the committee total of its main table negative."""
    main = table[table.table_id.isin(activity.table_id.unique()) & (table.measure == "actual")]
    totals = main[pd.Series([e is not None and e.category == "total" for e in main.entry],
                            index=main.index, dtype=bool)]
    return {doc: -1 if (g.number < 0).any() else 1 for doc, g in totals.groupby("doc_id")}


def _cell(fact, role: str, sign: int, table: pd.DataFrame) -> dict | None:
    entry, label = fact.entry, fact.label
    year = int(fact.fiscal_year)
    if label is not None and label.role == "change_row":
        entry, year = _series_row_above(fact, table)
    elif label is not None and label.role == "same_line":
        entry = dataclasses.replace(entry, report_label=label.line_label) if entry else None
    if entry is None or entry.category == "":
        return None
    measure, turn = _measure(fact, role)
    if measure is None:
        return None
    value = fact.number if turn == 0 else turn * sign * fact.number
    unit = "percent" if fact.unit == "percent" else "tkr"
    return {"municipality": fact.municipality, "doc_id": fact.doc_id, "fiscal_year": year,
            "period": fact.period, "report_label": entry.report_label,
            "occurrence": entry.occurrence, "printed_label": fact.row_label,
            "category": entry.category, "fit": entry.fit, "measure": measure,
            "value": fmt(value), "unit": unit, "status": "printed", "reason": "",
            "derivation": "", "check": "", "note": "", "source_file": fact.source_file,
            "source_line": fact.source_line, "prior_source_line": "", "also_printed_at": "",
            "table_id": fact.table_id, "raw": fact.raw, "main": role == "main",
            "half": _half_step(fact)}


def _measure(fact, role: str) -> tuple[str | None, int]:
    """The measure here and the sign factor (0: keep as printed)."""
    if role == "deviation_pct" and fact.unit == "percent" and fact.measure == "actual":
        return "deviation_pct_printed", 0
    if fact.unit == "percent":
        return PRINTED_PCT.get(fact.measure), 0
    if fact.measure == "deviation":
        return "deviation", 0
    if fact.unit != "tkr":
        return None, 0
    return MONEY.get((fact.measure, fact.basis), (None, 0))


def _series_row_above(fact, table: pd.DataFrame) -> tuple[dict | None, int]:
    """A change row belongs to the series row of its table; its year is that of the
    amount printed in the same column."""
    same = table[(table.table_id == fact.table_id) & (table.source_col == fact.source_col)
                 & (table.source_line < fact.source_line) & table.entry.notna()
                 & (table.unit == "tkr")]
    if same.empty:
        return None, int(fact.fiscal_year)
    above = same.sort_values("source_line", kind="mergesort").iloc[-1]
    return above.entry, int(above.fiscal_year)


def _flip_printed_deviation(frame: pd.DataFrame) -> pd.DataFrame:
    """Printed deviation % in the study's sign (positive = better): a table whose
    percentages disagree in sign with the deviation amounts of the same lines prints an
    overrun as positive, and its percentages are turned (said in ``note``)."""
    amounts = {_key(r): float(r["value"]) for r in frame.to_dict("records")
               if r["measure"] == "deviation"}
    for table_id, group in frame[frame.measure == "deviation_pct_printed"].groupby("table_id"):
        pairs = [(float(r["value"]), amounts.get(_key(r, "deviation")))
                 for r in group.to_dict("records")]
        pairs = [(p, a) for p, a in pairs if a and p]
        if pairs and sum(p * a < 0 for p, a in pairs) > len(pairs) / 2:
            frame.loc[group.index, "value"] = [fmt(-float(v)) for v in group.value]
            frame.loc[group.index, "note"] = ("sign turned: the report prints an overrun as "
                                              "a positive percentage")
    return frame


def _key(row: dict, measure: str | None = None) -> tuple:
    return tuple(row[k] for k in KEY[:-1]) + (measure or row["measure"],)


def _computed(printed: pd.DataFrame) -> list[dict]:
    """Growth of net cost year on year and deviation in % of budget, from the printed
    amounts of one line, each checked against the percentage the report prints."""
    rows = {_key(r): r for r in printed.to_dict("records")}
    out = []
    for key, now in rows.items():
        year = int(now["fiscal_year"])
        if now["measure"] == "net_cost" and now["period"] == "full_year":
            prior = rows.get(key[:3] + (year - 1,) + key[4:])
            if prior is not None:
                out.append(_growth(now, prior, rows.get(key[:-1] + ("growth_pct_printed",))))
        if now["measure"] == "deviation":
            budget = rows.get(key[:-1] + ("budget",))
            if budget is not None:
                out.append(_deviation_pct(now, budget,
                                          rows.get(key[:-1] + ("deviation_pct_printed",))))
    return out


def _growth(now: dict, prior: dict, printed: dict | None) -> dict:
    before, after = float(prior["value"]), float(now["value"])
    row = {**now, "measure": "growth_pct_computed", "unit": "percent", "raw": "",
           "also_printed_at": "", "note": "", "prior_source_line": prior["source_line"],
           "derivation": f"({fmt(after)} − {fmt(before)}) / {fmt(before)} tkr, "
                         f"{prior['fiscal_year']} to {now['fiscal_year']}"}
    if before <= 0:
        return {**row, "value": "", "status": "not computed", "check": "",
                "reason": "the prior year is a net revenue (net cost ≤ 0): a growth in % "
                          "has no meaning"}
    value = 100 * (after - before) / before
    bounds = _bounds(lambda a, b: 100 * (a - b) / b, now, prior)
    return {**row, "value": fmt(value, 2), "status": "computed", "reason": "",
            "check": _check(value, printed, bounds)}


def _deviation_pct(deviation: dict, budget: dict, printed: dict | None) -> dict:
    amount, base = float(deviation["value"]), float(budget["value"])
    row = {**deviation, "measure": "deviation_pct_computed", "unit": "percent", "raw": "",
           "also_printed_at": "", "note": "", "prior_source_line": "",
           "derivation": f"{fmt(amount)} / |{fmt(base)}| tkr (deviation / budget, line "
                         f"{budget['source_line']})"}
    pct, why = line_status.deviation_pct(budget["value"], deviation["value"])
    if not pct:
        return {**row, "value": "", "status": "not computed", "check": "",
                "reason": why.removeprefix("not computed: ")}
    value = 100 * amount / abs(base)
    bounds = _bounds(lambda a, b: 100 * a / abs(b), deviation, budget)
    return {**row, "value": fmt(value, 2), "status": "computed", "reason": "",
            "check": _check(value, printed, bounds)}


def _bounds(ratio, top: dict, bottom: dict) -> tuple[float, float]:
    """The lowest and highest value of ``ratio`` that the printed amounts allow, each
    anywhere within half its last printed digit (a base that may reach 0: no bound)."""
    a, b = float(top["value"]), float(bottom["value"])
    ha, hb = float(top.get("half") or 0), float(bottom.get("half") or 0)
    if abs(b) <= hb:
        return float("-inf"), float("inf")
    corners = [ratio(a + da, b + db) for da in (-ha, ha) for db in (-hb, hb)]
    return min(corners), max(corners)


def _check(value: float, printed: dict | None, bounds: tuple[float, float]) -> str:
    """Agrees when the computed value is within one unit of the printed value's last
    digit; agrees within rounding when the printed value lies in the range the rounded
    amounts allow (the report computes from unrounded amounts); else differs."""
    if printed is None:
        return ""
    text, line = str(printed["value"]), printed["source_line"]
    step = 10.0 ** -(len(text.split(".")[1]) if "." in text else 0)
    if abs(value - float(text)) <= step + SLACK:
        return f"agrees with the printed {text} % (line {line})"
    if bounds[0] - step <= float(text) <= bounds[1] + step:
        return (f"agrees with the printed {text} % (line {line}) within the rounding of the "
                f"amounts ({fmt(bounds[0], 1)} to {fmt(bounds[1], 1)} %)")
    return f"differs from the printed {text} % (line {line})"
