"""Findings of notebook 02 (and the summary): cost structure by type and by activity, and the
budget deviation with the lines that drive it, for the selected reports only."""

from __future__ import annotations

from functools import partial

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.core.scope import Scope
from socialstudy.core.units import mnkr
from socialstudy.core.vocabulary import CATEGORY_WORDS, COST_WORDS
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.measures import crossfoot
from socialstudy.measures.adjustments import adjustments
from socialstudy.measures.remit import remit_by_report, remit_of
from socialstudy.measures.tabular import HAS_VALUE
from socialstudy.narrative import caveats, findings, named_items
from socialstudy.narrative.findings import cite, names, num, who

size_mnkr = partial(mnkr, absolute=True)  # the sentence says which way
NO_TYPES = "not reported – the report gives no costs by type"  # when the table has no row
NO_ACTIVITIES = "not reported – the report gives no net cost by activity"


def cost_types(scope: Scope, tables: dict[str, pd.DataFrame], reports: list[Report]) -> str:
    """Largest cost type and the personnel and purchased-services shares per report."""
    every = findings.selected(scope, tables)["cost_by_type"]
    costs = every[(every.flow == "cost") & (every.share_pct != "")]
    lines, over, under = [], [], []
    for sel in findings.chosen(scope):
        part = costs[costs.municipality == sel.municipality]
        if part.empty:
            lines.append(findings.lacking(sel, every[every.municipality == sel.municipality],
                                          NO_TYPES))
            continue
        shares = part.assign(share=part.share_pct.astype(float))
        top = shares.sort_values("share", ascending=False).iloc[0]
        text = (f"{who(sel)}: the largest cost type is {COST_WORDS[top.category]} "
                f"(“{top.report_label}”), {num(top.share)} % of gross cost{cite(top)}"
                + gross_caveat(every, sel))
        bought = shares[shares.category == "purchased_services"]
        if len(bought) and top.category != "purchased_services":
            text += (f"; purchased services (“{bought.report_label.iloc[0]}”) "
                     f"{num(bought.share.iloc[0])} %{cite(bought)}")
        if (part.value_status != "reported").any():
            text += (f". These are rounded shares quoted in running text; they sum to "
                     f"{num(shares.share.sum(), 0)} %")
        lumped = shares[shares.fit != "exact"]
        if len(lumped):
            text += (". Lumped or approximate categories: " + ", ".join(
                f"“{r.report_label}” ({COST_WORDS[r.category]})" for r in lumped.itertuples()))
        lines.append(text + ".")
        lines += [f"  * {e}" for e in findings.explanations(sel, "purchased_services", reports)]
        personnel = shares[shares.category == "personnel"]
        if len(personnel):
            (over if personnel.share.iloc[0] > 50 else under).append(sel.municipality)
    if over or under:
        lines.append("Own staff take more than half of gross cost in "
                     + (names(over) if over else "none of the committees")
                     + (f", and half or less in {names(under)}" if under else "") + "."
                     + caveats.remits_differ(scope, tables.get("cost_by_activity"), reports))
    return findings.bullets(lines) if lines else f"{findings.NO_DATA}."


def _activity_shares(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows[(rows.category != "total") & (rows.share_of_total_pct != "")]
    return rows.assign(share=rows.share_of_total_pct.astype(float))


def _category_fit(row) -> str:
    if row.fit == "mixed":
        return "mixed line: " + _components(row)
    words = CATEGORY_WORDS[row.category]
    return words if row.fit == "unmapped" else f"{words}, {row.fit} fit"


def _described_whole() -> dict[tuple[str, str], str]:
    """{(municipality, label): 'whole committee'} for a mixed line whose description quote
    describes more than the line (``activities.csv`` description_scope; review N7:
    Strängnäs's IFO line, 004:116 describes the whole committee)."""
    return {(r.municipality, r.report_label): r.description_scope
            for r in read_crosswalk("activities.csv") if r.description_scope}


def _components(row) -> str:
    """A mixed line's categories in words, with the line of the report's description."""
    parts = [CATEGORY_WORDS.get(c, c) for c in str(row.components).split("+") if c]
    whole = _described_whole().get((row.municipality, row.report_label))
    where = (f" ({f'the report describes only the {whole}' if whole else 'described'} "
             f"[{row.source_file}:{row.description_line}])" if row.description_line else "")
    return (names(parts) or "several activities") + where + ", no split printed"


def activities(scope: Scope, tables: dict[str, pd.DataFrame], reports: list[Report]) -> str:
    """Each committee's largest activity line and largest common category (by its own
    share of net cost), with mixed lines named; what has no counterpart elsewhere."""
    rows = findings.selected(scope, tables)["cost_by_activity"]
    lines, sels = [], findings.chosen(scope)
    remit = {s.doc_id: remit_of(remit_by_report(reports), s.doc_id) for s in sels}
    for sel in sels:
        mine = rows[(rows.municipality == sel.municipality) & (rows.period == sel.period)]
        part = _activity_shares(mine)
        if part.empty:
            lines.append(findings.lacking(sel, mine, NO_ACTIVITIES))
            continue
        top = part.sort_values("share", ascending=False).iloc[0]
        by_cat = part[part.fit != "mixed"].groupby("category").share.sum()
        by_cat = by_cat.sort_values(ascending=False)
        text = (f"{who(sel)}: the largest line is “{top.report_label}” "
                f"({_category_fit(top)}), {num(top.share)} % of net cost "
                f"({size_mnkr(top.net_cost_tkr)}){cite(top)}{total_caveat(rows, sel)}")
        first = by_cat.index[0] if len(by_cat) else top.category
        held = part[part.fit == "mixed"].share.sum()
        if first != top.category:
            text += (f"; by common category {CATEGORY_WORDS[first]} is largest with "
                     f"{num(by_cat.iloc[0])} %")
            text += (f", though mixed lines with no split printed hold {num(held)} % of net "
                     "cost, so the category shares describe only the rest" if held > 50 else "")
        mixed = part[(part.fit == "mixed") & (part.report_label != top.report_label)]
        mixed = mixed.sort_values("share", ascending=False, kind="mergesort")
        if len(mixed):
            text += (". Other mixed lines, kept out of the category shares: " + ", ".join(
                f"“{r.report_label}” ({num(r.share)} %, {size_mnkr(r.net_cost_tkr)}; "
                f"{_components(r)})" for r in mixed.itertuples()))
        lines.append(text + ".")
    own = [c for c in CATEGORY_WORDS if len(sels) > 1 and
           sum(remit[s.doc_id].get(c) == "no" for s in sels) == len(sels) - 1]
    for cat in own:
        holder = [s for s in sels if remit[s.doc_id].get(cat) != "no"]
        partly = " (partly)" if remit[holder[0].doc_id].get(cat) == "partial" else ""
        holder = [who(s) for s in holder]
        lines.append(f"Only {names(holder)} has {CATEGORY_WORDS[cat]}{partly} in its remit "
                     "in this run.")
    return findings.bullets(lines) if lines else f"{findings.NO_DATA}."


def total_caveat(rows: pd.DataFrame, sel) -> str:
    """' (net cost total: the report's own lines … sum to … [file:line])' when the printed
    total the shares are of contradicts its own table (quality.csv crossfoot mismatch)."""
    known = rows.attrs.get("crossfoot", {})
    totals = rows[(rows.municipality == sel.municipality) & (rows.period == sel.period)
                  & (rows.category == "total")]
    found = [known.get((sel.doc_id, int(t.source_line), int(t.fiscal_year), t.period, "actual"))
             for t in totals.itertuples()]
    return "".join(f" (net cost total: {c})" for c in found if c)


def gross_caveat(rows: pd.DataFrame, sel) -> str:
    """' (gross cost total: the report's own lines … sum to … [file:line])' when the total
    the cost-type shares are of contradicts its own table (quality.csv crossfoot mismatch)."""
    totals = rows[(rows.municipality == sel.municipality) & (rows.category == "total_cost")
                  & (rows.value_tkr != "")]
    found = crossfoot.for_amounts(rows.attrs.get("crossfoot", {}), sel.doc_id, [
        (t.fiscal_year, t.period, "actual", t.value_tkr) for t in totals.itertuples()])
    return "".join(f" (gross cost total: {c})" for c in found)


def deviation(scope: Scope, tables: dict[str, pd.DataFrame], reports: list[Report]) -> str:
    """Over or within budget per report, the activity lines with the largest overruns,
    and the report's own explanations; part-year deviations said apart."""
    picked = findings.selected(scope, tables)
    dev, act = picked["budget_deviation"], picked["cost_by_activity"]
    lines, adjust = [], adjustments(reports)
    for sel in findings.chosen(scope):
        mine = dev[(dev.municipality == sel.municipality) & (dev.period == sel.period)]
        row, none = mine[mine.status.isin(HAS_VALUE)], "not reported – the report prints no budget"
        if row.empty:
            lines.append(findings.lacking(sel, mine, f"{none} for {sel.fiscal_year}"))
            continue
        r = row.iloc[0]
        pct = float(r.deviation_pct)
        span = (f" for {findings.PERIOD_WORDS[sel.period].replace(' only', '')}"
                if sel.part_year else "")
        verdict = (f"overran its budget{span} by {num(abs(pct))} %" if pct < 0 else
                   f"{'was within its budget' if span else 'stayed within budget'}{span}, "
                   f"{num(pct)} % better than budget")
        if r.deviation_tkr:
            verdict += f" ({size_mnkr(r.deviation_tkr)})"
        source = "as printed by the report" if r.pct_source.startswith("printed") else \
            "deviation ÷ budget"
        text = (f"{who(sel)}: the committee {verdict}, {source}{cite(r)}"
                + caveats.contradicted(tables, sel, caveats.deviation_figures(r)))
        if sel.part_year:
            text += "; a part-year figure, not comparable with a full year nor a verdict on it"
        text += "." + named_items.deviation_without(r, adjust, sel)
        lines.append(text + _drivers(act, sel, pct))
        lines += [f"  * {e}" for e in findings.explanations(sel, "budget_deviation", reports)]
    checks = act[act.deviation_sign_check != ""].deviation_sign_check.value_counts()
    if len(checks):
        lines.append("Sign check of the printed deviations against budget − actual: " +
                     names([f"{n} {word}" for word, n in sorted(checks.items())]) +
                     (" (“too small to tell”: a deviation under 1 mnkr, too small to judge "
                      "its sign)" if "too small to tell" in checks else "") + ".")
    return findings.bullets(lines) if lines else f"{findings.NO_DATA}."


def _drivers(act: pd.DataFrame, sel, pct: float) -> str:
    part = act[(act.municipality == sel.municipality) & (act.period == sel.period)
               & (act.category != "total") & (act.deviation_tkr != "")]
    part = part.assign(dev=part.deviation_tkr.astype(float))
    worst = part[part.dev < 0].sort_values("dev").head(3)
    if worst.empty:
        return " No activity line overran its budget." if pct >= 0 and len(part) else ""
    listed = ", ".join(f"“{r.report_label}” {size_mnkr(r.dev)}" for r in worst.itertuples())
    word = "largest overruns" if len(worst) > 1 else "only overrun"
    return f" Its {word} by line: {listed}{cite(worst)}."
