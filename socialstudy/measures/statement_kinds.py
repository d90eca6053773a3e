"""Table kinds beyond the seeds' activity tables (docs: /work/shared/report-layouts.md).

*Municipal operating statement* (driftredovisning för kommunen): one table for every
committee of the municipality. Only the committee's own row (the row ``activities.csv``
maps to ``total``) and the rows below it up to the next committee-level row belong to the
study; every other committee's row is dropped from the committee's activities and named
in the return value, never turned into an activity.

*Result-style* columns (nämndbidrag / kommunbidrag, intäkter, kostnader, resultat,
budgeterat resultat): the result is not the net cost and the budgeted result is not the
budget. ``result_style`` derives net cost = cost − revenue, budget = the allocation and
deviation = result − budgeted result, and checks each against the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

# a row of another committee, the sum of committees or the municipality's finance function
COMMITTEE_ROW = re.compile(
    r"(?:nämnd|nämnden|styrelse|styrelsen)\s*$|^\s*summa\s+(?:nämnder|verksamhet)|"
    r"^\s*finansförvaltning|^\s*överförmyndar|^\s*revision(?:en)?\s*$|"
    r"^\s*kommunen\s*(?:totalt)?$",
    re.I)
# columns of a result-style table, by what they hold
RESULT_COLUMNS = {
    "allocation": re.compile(r"nämndbidrag|kommunbidrag|kom\.?\s*ers|kommunersättning|"
                             r"^\s*ram\b|budgetram", re.I),
    "budgeted_result": re.compile(r"budgeterat\s+resultat|budgetresultat", re.I),
    "result": re.compile(r"^(årets\s+)?resultat\b", re.I),
    "revenue": re.compile(r"intäkter", re.I),
    "cost": re.compile(r"kostnader", re.I),
}
TOLERANCE_TKR = 150  # printed figures rounded to 0,1 mnkr may disagree by one step


def is_operating_statement(table: pd.DataFrame, own_labels: set[str]) -> bool:
    """Two or more rows that name another committee (or the sum of committees)."""
    labels = set(table.row_label) - own_labels
    return sum(bool(COMMITTEE_ROW.search(lab)) for lab in labels) >= 2


def own_block(table: pd.DataFrame, own_labels: set[str]) -> tuple[pd.DataFrame, list[str]]:
    """The committee's rows of one table and the labels of the rows left out.

    ``own_labels`` are the labels mapped to the committee's total. Outside an operating
    statement the table is returned whole. In one, the block runs from the committee's
    own row to the first committee-level row after it; without its own row (no crosswalk
    row names the committee's label) nothing of the table is the committee's."""
    if not is_operating_statement(table, own_labels):
        return table, []
    own = table[table.row_label.isin(own_labels)]
    if own.empty:
        return table.iloc[0:0], sorted(set(table.row_label))
    start, last_own = int(own.source_line.min()), int(own.source_line.max())
    later = table[(table.source_line > last_own) & ~table.row_label.isin(own_labels)
                  & table.row_label.str.contains(COMMITTEE_ROW)]
    end = int(later.source_line.min()) if not later.empty else None
    inside = (table.source_line >= start) & (
        True if end is None else table.source_line < end)
    return table[inside], sorted(set(table[~inside].row_label))


def column_role(label: str) -> str | None:
    """What a result-style column holds ('allocation', 'result', …) or None."""
    for role, pattern in RESULT_COLUMNS.items():
        if pattern.search(label or ""):
            return role
    return None


def is_result_style(column_labels: list[str]) -> bool:
    roles = {column_role(c) for c in column_labels}
    return {"allocation", "result"} <= roles


@dataclass(frozen=True)
class Derived:
    """Net cost, budget and deviation of a result-style row (tkr, net costs positive,
    deviation positive = better), the checks made and how each was derived."""

    net_cost: float | None
    budget: float | None
    deviation: float | None
    checks: tuple[str, ...]
    derivation: str


def result_style(cells: dict[str, float]) -> Derived:
    """``cells``: role -> printed value in tkr, signs as printed (costs negative or
    positive). A figure the row does not print stays None; a check that fails by more
    than rounding is reported in ``checks`` as 'disagrees', never smoothed."""
    revenue, cost = cells.get("revenue"), cells.get("cost")
    net = abs(cost) - revenue if cost is not None and revenue is not None else None
    budget = cells.get("allocation")
    result, budgeted = cells.get("result"), cells.get("budgeted_result")
    deviation = None
    if result is not None:
        deviation = result - (budgeted or 0.0)
    checks = []
    if None not in (net, budget, deviation):
        checks.append(_check("budget − net cost = deviation", budget - net, deviation))
    if None not in (net, budget, result):
        checks.append(_check("allocation + revenue − cost = result", budget - net, result))
    how = ("net cost = cost − revenue; budget = allocation; deviation = result − "
           + ("budgeted result" if budgeted is not None else "0 (no budgeted result printed)"))
    return Derived(net, budget, deviation, tuple(checks), how)


def _check(what: str, computed: float, printed: float) -> str:
    gap = abs(computed - printed)
    verdict = "agrees" if gap < 0.5 else (
        "agrees within rounding" if gap <= TOLERANCE_TKR else "disagrees")
    return f"{what}: {verdict} ({computed:.0f} vs {printed:.0f} tkr)"


def own_rows(table: pd.DataFrame, categories: pd.Series) -> pd.DataFrame:
    """The committee's rows of its activity table (``own_block``)."""
    own_labels = set(table.row_label[categories.loc[table.index] == "total"])
    return own_block(table, own_labels)[0]


def row_lines(facts: pd.DataFrame) -> pd.Series:
    """The line of each fact's row: a row laid out one cell per line has its cells on
    several lines, and they are one row (one activity), not one per line."""
    ordered = facts.sort_values(["table_id", "source_line", "source_col"], kind="mergesort")
    row_line, label, seen, line = {}, None, set(), 0
    columns = ("table_id", "column_label", "fiscal_year", "period", "measure")
    for idx, row_label, source_line, *key in zip(  # arrays: a str column is slow to iterate
            ordered.index, *(ordered[c].to_numpy() for c in ("row_label", "source_line",
                                                             *columns))):
        if row_label != label or tuple(key) in seen:
            label, seen, line = row_label, set(), int(source_line)
        seen.add(tuple(key))
        row_line[idx] = line
    return pd.Series(row_line, dtype=int).reindex(facts.index)


def derive_result_style(table_facts: pd.DataFrame) -> pd.DataFrame:
    """Table facts with every result-style table's rows replaced by derived net cost,
    budget and deviation (``result_style``), each naming its derivation and checks in
    ``note``. A row whose columns do not give one value per role (two revenue columns,
    no cost) keeps no activity measure: unmapped figures, never a guess."""
    parts = []
    for table_id, table in table_facts.groupby("table_id", sort=False):
        if not is_result_style(list(table.column_label.unique())):
            parts.append(table)
            continue
        parts.append(table.assign(measure="unclassified"))
        parts.append(_derived_rows(table))
    if not parts:
        return table_facts
    # a fresh index: derived rows must not share index labels with the printed facts
    return pd.concat(parts, ignore_index=True).sort_values(["source_line", "source_col"],
                                                           kind="mergesort")


def _derived_rows(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, row in table.groupby(["row_label", "fiscal_year", "period"], sort=False):
        roles = row.assign(role=row.column_label.map(column_role)).dropna(subset=["role"])
        if roles.role.duplicated().any() or not {"cost", "revenue"} <= set(roles.role):
            continue
        derived = result_style(dict(zip(roles.role, roles.number)))
        first = row.sort_values(["source_line", "source_col"]).iloc[0]
        cited = ", ".join(f"{r.role} {r.value} at line {int(r.source_line)}"
                          for r in roles.itertuples())
        note = f"{derived.derivation} (from {cited}); " + "; ".join(derived.checks)
        for measure, value in (("actual", derived.net_cost), ("budget", derived.budget),
                               ("deviation", derived.deviation)):
            if value is not None:
                rows.append({**first.to_dict(), "measure": measure, "basis": "net",
                             "value": f"{value:.0f}", "number": value, "note": note,
                             "column_label": f"{measure} (derived, result-style table)"})
    return pd.DataFrame(rows, columns=table.columns)
