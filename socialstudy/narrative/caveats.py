"""Caveats that travel with a cross-committee number, built from the tables (named
adjustments, per-report remit, goal scales) so that they name the committee, the item and
the amount, and change with the selection."""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.core.scope import Scope, Selection
from socialstudy.core.units import mnkr
from socialstudy.measures import crossfoot
from socialstudy.measures.adjustments import without
from socialstudy.measures.like_with_like import (
    definitions,
    own_lines,
    remit_differences,
    remit_scopes,
)
from socialstudy.measures.remit import remit_by_report
from socialstudy.measures.revenue import ALL_GRANTS
from socialstudy.measures.tabular import DERIVED, NOT_REPORTED, REPORTED
from socialstudy.narrative.findings import chosen, cite, names, who, words


def _items(adjust: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    return adjust[(adjust.doc_id == sel.doc_id) & (adjust.fiscal_year == sel.fiscal_year)]


def _cited(items: pd.DataFrame) -> str:
    rows = items.assign(source_line=items.quote_line)
    parts = []
    for r in rows.itertuples():
        lines = sorted({int(r.quote_line), int(r.amount_line)})
        parts.append(f"{r.kind} {r.item}, {mnkr(r.effect_tkr, signed=True)} "
                     f"[{r.source_file}:{', '.join(map(str, lines))}]")
    return "; ".join(parts)


def deviation_without(dev_row, adjust: pd.DataFrame, sel: Selection) -> str:
    """' Without the one-off …, the buffer …: −120.3 mnkr (−10.3 %)' or ''."""
    items = _items(adjust, sel)
    if items.empty or not str(dev_row.deviation_tkr).strip():
        return ""
    dev, pct = without(float(dev_row.deviation_tkr), float(dev_row.budget_tkr), items)
    return (f" Without the items the report names ({_cited(items)}) the deviation would be "
            f"{mnkr(dev, signed=True)} ({pct:+.1f} %).")


def deviation_cell(adjusted: pd.DataFrame | None, sel: Selection) -> str:
    """Key-figure cell: the deviation % without the items the report names (from
    deviation_adjusted.csv), naming their kinds; 'none named' where there are none."""
    rows = None if adjusted is None else adjusted[(adjusted.doc_id == sel.doc_id) & (
        adjusted.fiscal_year == sel.fiscal_year)]
    if rows is None or rows.empty:
        return "none named"
    kinds = " and ".join(dict.fromkeys(rows.kind))
    return f"{rows.deviation_without_pct.iloc[0]} (without the {kinds})"


def goals_cell(goals: pd.DataFrame, steps: dict[str, int], sel: Selection,
               shown: int = 2) -> str | None:
    """Key-figure cell for goals wherever the run sets two or more committees side by side
    (``shown``), whether or not the others assess goals this year: no count, only the
    committee's own scale; None where a count may stand (a single committee)."""
    if shown < 2 or goals.empty:
        return None
    return (f"not counted here: own scale of {steps[sel.doc_id]} wordings "
            f"({', '.join(dict.fromkeys(goals.sort_values('rank', ascending=False).status_text))})"
            f"{cite(goals.head(1))}; counts on scales of different steps are not set side by "
            "side (notebook 04 shows each committee's own wordings)")


def _sides(activity: pd.DataFrame, years: dict[str, int], reports: list[Report]) -> dict:
    """{(municipality, category): what that committee's partial remit covers, with its own
    lines and amounts, cited} from ``crosswalks/remit_scope.csv``: the other side of a remit
    caveat."""
    muni = {r.doc_id: r.municipality for r in reports}
    out = {}
    for s in remit_scopes([r for r in reports if r.doc_id in years]).itertuples():
        lines = own_lines(activity, s.doc_id, s.category, years[s.doc_id])
        money = ", ".join(f"'{r.report_label}' {mnkr(r.net_cost_tkr)}" for r in lines.itertuples())
        cited = cite(pd.concat([pd.DataFrame({"source_file": [s.source_file],
                                              "source_line": [s.source_line]}),
                                lines[["source_file", "source_line"]]]))
        out[(muni[s.doc_id], s.category)] = f"{s.scope}{f'; {money}' if money else ''}{cited}"
    return out


def _remit_clause(diffs: pd.DataFrame, doc_id: str, sides: dict | None = None,
                  seen: set | None = None) -> str:
    """'elderly care (Äldreomsorg, 281.4 mnkr net cost) [..], not run by Haninge' for each
    activity that sets this committee apart in the selection; a committee that runs it in
    part says what it runs (``sides``), once per caveat (``seen``: the sides said already)."""
    sides, parts, seen = sides or {}, [], set() if seen is None else seen
    for r in diffs[diffs.doc_id == doc_id].itertuples():
        lines = [r.source_line, *[x for x in r.cost_lines.split(";") if x]]
        cited = cite(pd.DataFrame({"source_file": r.source_file, "source_line": lines}))
        amount = (f"{' and '.join(r.cost_labels.split(';'))}, {mnkr(r.net_cost_tkr)} net cost"
                  if r.net_cost_tkr else "no separate line")
        pairs = [o.split(":") for o in r.others.split(";")]
        runs = [f"{'run only in part' if s == 'partial' else 'not run'} by {m}"
                + _side(sides, seen, (m, r.category), s) for m, s in pairs]
        parts.append(f"{words(r.category)} ({amount}){cited}, {' and '.join(runs)}")
    return "; ".join(parts)


def _side(sides: dict, seen: set, key: tuple[str, str], status: str) -> str:
    """' (what the other committee runs of it …)' the first time a caveat names it."""
    if status != "partial" or key not in sides or key in seen:
        return ""
    seen.add(key)
    return f" ({sides[key]})"


def comparison_caveat(scope: Scope, activity: pd.DataFrame, reports: list[Report],
                      topic: str) -> str:
    """What differs between the selected committees for ``topic`` (sick_leave, turnover,
    grants): each committee's own definition, cited, and for staffing topics the activities
    it runs that another selected committee does not, with their net cost."""
    docs = [s.doc_id for s in scope.selections.values() if s.doc_id]
    defs = definitions([r for r in reports if r.doc_id in docs])
    years = {s.doc_id: s.fiscal_year for s in scope.selections.values() if s.doc_id}
    diffs = (remit_differences(remit_by_report(reports), activity, years)
             if topic != "grants" else pd.DataFrame(columns=["doc_id"]))
    parts, sides, seen = [], _sides(activity, years, reports), set()
    for sel in (s for s in scope.selections.values() if s.doc_id):
        rows = defs[(defs.doc_id == sel.doc_id) & (defs.topic == topic)]
        clause = "; ".join(rows.definition) + cite(rows) if len(rows) else ""
        remit = _remit_clause(diffs, sel.doc_id, sides, seen)
        if remit:
            clause = ", ".join(filter(None, [clause, f"it runs {remit}"]))
        if clause:
            parts.append(f"{sel.municipality} {sel.fiscal_year}: {clause}")
    return "; ".join(parts)


def definition_note(defs: pd.DataFrame, sel: Selection, topic: str, others: int) -> str:
    """Key-figure suffix: the report's own definition for ``topic``, cited, where the run
    sets the figure beside another committee's ('' for a single committee)."""
    rows = defs[(defs.doc_id == sel.doc_id) & (defs.topic == topic)]
    if others < 2 or rows.empty:
        return ""
    return f"; {'; '.join(rows.definition)}{cite(rows)}"


MEASURE_WORDS = {"actual": "net cost", "budget": "budget", "deviation": "deviation",
                 "change": "change in net cost"}


def contradicted(tables: dict[str, pd.DataFrame], sel: Selection,
                 cells: list[tuple[int, str, str, object]]) -> str:
    """' (the previous year's net cost: the report's own lines 367–371 sum to 1149.6 mnkr
    against the printed total of 1154.0 mnkr [000_….txt:372])' for each figure a finding
    or key-figure cell uses (``cells``: fiscal year, period, measure, amount in tkr) that
    contradicts its own table (quality.csv, crossfoot mismatch); '' where none does."""
    frame = tables.get("cost_by_activity")
    found = {} if frame is None else frame.attrs.get("crossfoot", {})
    parts = []
    for year, period, measure, amount in cells:
        for caveat in crossfoot.for_amounts(found, sel.doc_id, [(year, period, measure, amount)]):
            words = MEASURE_WORDS.get(measure, measure)
            if int(year) != sel.fiscal_year:
                words = f"the previous year's {words}"
            parts.append(f" ({words}: {caveat})")
    return "".join(dict.fromkeys(parts))


def deviation_figures(row) -> list[tuple]:
    """The amounts a budget deviation rests on: deviation, budget and the outcome they imply
    (budget − deviation, costs positive)."""
    if not str(row.deviation_tkr).strip() or not str(row.budget_tkr).strip():
        return []
    actual = float(row.budget_tkr) - float(row.deviation_tkr)
    return [(row.fiscal_year, row.period, m, v) for m, v in (
        ("deviation", row.deviation_tkr), ("budget", row.budget_tkr), ("actual", actual))]


def remit_year_note(remit: pd.DataFrame, defs: pd.DataFrame, sel: Selection) -> str:
    """' (as the 2024 report describes the committee; new organisation from 1 January 2024
    …[file:line])' where the run uses a report's prior-year columns: the remit is judged per
    report, for the report's own year, and a change of organisation it names is cited."""
    years = remit[remit.doc_id == sel.doc_id].fiscal_year if sel.doc_id else remit.fiscal_year[:0]
    if years.empty or int(years.iloc[0]) == sel.fiscal_year:
        return ""
    org = defs[(defs.doc_id == sel.doc_id) & (defs.topic == "period")
               & (defs.aspect == "organisation")]
    extra = f"; {'; '.join(org.definition)}{cite(org)}" if len(org) else ""
    return f" (as the {int(years.iloc[0])} report describes the committee{extra})"


def remit_gap(scope: Scope, activity: pd.DataFrame | None, reports: list[Report],
              sel: Selection, seen: set | None = None) -> str:
    """'disability support (Funktionshinderomsorg, 562.6 mnkr net cost) [..], run only in
    part by Huddinge; …': the activities this committee runs that another selected committee
    does not (or only in part), with their net cost – what a whole-committee total includes
    that the others' do not. '' for a single committee or no difference."""
    years = {s.doc_id: s.fiscal_year for s in scope.selections.values() if s.doc_id}
    if activity is None or len(years) < 2 or sel.doc_id not in years:
        return ""
    return _remit_clause(remit_differences(remit_by_report(reports), activity, years),
                         sel.doc_id, _sides(activity, years, reports), seen)


def remits_differ(scope: Scope, activity: pd.DataFrame | None, reports: list[Report]) -> str:
    """' Not like with like – the remits differ: Haninge 2024 runs …; Strängnäs 2023 runs …'
    for a sentence that sets shares of whole-committee totals side by side ('' when no
    selected committee runs an activity another does not)."""
    seen: set = set()
    parts = [f"{s.municipality} {s.fiscal_year} runs {gap}"
             for s in scope.selections.values() if s.doc_id
             for gap in [remit_gap(scope, activity, reports, s, seen)] if gap]
    return f" Not like with like – the remits differ: {'; '.join(parts)}." if parts else ""


def definitions_differ(scope: Scope, reports: list[Report], topic: str, what: str) -> str:
    """'*Not like with like – {what}:* Haninge 2024: …[file:line]; Strängnäs 2023: …' from
    each selected report's own definition of ``topic`` (comparison_definitions.csv), where
    a table sets two or more of them side by side; '' otherwise."""
    docs = {s.doc_id: s for s in scope.selections.values() if s.doc_id}
    defs = definitions([r for r in reports if r.doc_id in docs])
    defs = defs[defs.topic == topic]
    if defs.doc_id.nunique() < 2:
        return ""
    parts = [f"{docs[d].municipality} {docs[d].fiscal_year}: {'; '.join(rows.definition)}"
             f"{cite(rows)}" for d, rows in defs.groupby("doc_id", sort=True)]
    return f"*Not like with like – {what}:* {'; '.join(parts)}."


def growth_one_offs(grown: pd.DataFrame | None, sel: Selection) -> str:
    """' Without the one-off item the report names (…, +39.7 mnkr [file:line]) the net cost
    would have grown 11.2 % (derived: 1243.4 + 39.7 = 1283.1 mnkr against 1154.0 mnkr
    [file:lines]).' from growth_adjusted.csv ('' where none is named): a growth rate set
    beside another committee's carries the one-off it contains, as a number."""
    rows = pd.DataFrame() if grown is None else _items(grown, sel)
    rows = rows[rows.status == DERIVED] if len(rows) else rows
    if rows.empty:
        return ""
    r = rows.iloc[0]
    word = "grown" if float(r.change_without_pct) >= 0 else "fallen"
    lines = [r.net_cost_line, *[x for x in str(r.prior_lines).split(";") if x],
             *rows.amount_line]
    used = cite(pd.DataFrame({"source_file": r.source_file, "source_line": lines}))
    added = " + ".join(mnkr(e, unit=False) for e in rows.effect_tkr)
    named = _cited(rows.assign(kind="one-off", quote_line=rows.source_line))
    return (f" Without the one-off item the report names ({named}) the net cost would have "
            f"{word} {abs(float(r.change_without_pct)):.1f} % (derived: "
            f"{mnkr(r.net_cost_tkr, unit=False)} + {added} = {mnkr(r.net_cost_without_tkr)} "
            f"against {mnkr(r.prior_net_cost_tkr)}{used}).")


def items_of_other_years(tables: dict[str, pd.DataFrame], sel: Selection,
                         report: Report) -> str:
    """For a year the report read is not about (a prior-year column): it names no one-off
    item, top-up or buffer for that year, and which years its named items are for (their
    amounts belong to those years and stay out of this one) – not 'not reported', which
    would say the report lacks what it is about. '' for the report's own year, and for a
    report whose one-offs nobody has read yet (its own year's row is not 'reported' or
    'not reported' with a reason), which cannot be said to name none."""
    own = tables["one_off_items"]
    own = own[(own.doc_id == sel.doc_id) & (own.fiscal_year == report.fiscal_year)]
    read = own[(own.status == REPORTED) | ((own.status == NOT_REPORTED) & (own.reason != ""))]
    if report.fiscal_year == sel.fiscal_year or read.empty:
        return ""
    named = tables.get("deviation_adjusted", pd.DataFrame(columns=["doc_id"]))
    named = named[named.doc_id == sel.doc_id]
    other = ""
    if len(named):
        kinds = names([f"a {k}" + (" item" if k == "one-off" else "") for k in named.kind])
        years = names([str(y) for y in sorted({int(y) for y in named.fiscal_year})])
        many = len(named) > 1
        other = (f" (the item{'s' if many else ''} it names – {kinds} – "
                 f"{'are' if many else 'is'} for {years})")
    return (f"{who(sel)}: the report read for this year, “{report.title}” ({report.file}), "
            f"names no one-off item, budget top-up or buffer for {sel.fiscal_year}{other}.")


def named_adjustments(adjusted: pd.DataFrame | None, sel: Selection, beside: bool) -> str:
    """For the one-off bullet: the budget top-ups and buffers the report names
    (deviation_adjusted.csv), each as the report states it, and the deviation without all
    the items it names ('' where it names none); ``beside`` a one-off item of its own."""
    items = pd.DataFrame() if adjusted is None else _items(adjusted, sel)
    items = items[items.kind != "one-off"] if len(items) else items
    if items.empty:
        return ""
    named = "; ".join(
        f"a {r.kind} – {r.item}, {mnkr(r.effect_tkr, signed=True)} [{r.source_file}:"
        f"{', '.join(map(str, sorted({int(r.source_line), int(r.amount_line)})))}]"
        for r in items.itertuples())
    r = items.iloc[0]
    them = "all the items it names" if beside else "it" if len(items) == 1 else "them"
    base = " less the top-up" if (items.kind == "budget top-up").any() else ""
    return (f"{named}; without {them} the deviation would be "
            f"{mnkr(r.deviation_without_tkr, signed=True)} "
            f"({float(r.deviation_without_pct):.1f} % of the budget{base}) instead of "
            f"{mnkr(r.deviation_tkr, signed=True)}")


def all_grants_base(tables: dict[str, pd.DataFrame], scope: Scope) -> str:
    """Whether the all-grants shares of the selected committees are on one base (all of
    them give one) or not (naming who gives none, so no ranking)."""
    sels, shares = chosen(scope), tables["revenue_dependence"]
    given = shares[(shares.measure == ALL_GRANTS) & (shares.value != "")]
    have = [s for s in sels if ((given.doc_id == s.doc_id)
                                & (given.fiscal_year == s.fiscal_year)).any()]
    if len(sels) < 2 or not have:
        return ""
    if len(have) == len(sels):
        return (" All grants as a share of funding are on one base for every committee in "
                "this run; a share printed rounded to whole per cent is that precise only.")
    lacking = names([s.municipality for s in sels if s not in have])
    return (f" All grants as a share of funding are not given for {lacking}, so they are "
            "not ranked either.")


def remit_note(scope: Scope, tables: dict[str, pd.DataFrame], reports: list[Report],
               sel: Selection) -> str:
    """'; unlike another committee in this run, it runs …' with the activities and amounts."""
    gap = remit_gap(scope, tables.get("cost_by_activity"), reports, sel)
    return f"; unlike another committee in this run, it runs {gap}" if gap else ""
