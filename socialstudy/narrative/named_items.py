"""One-off items, budget top-ups and buffers a report names: the deviation and the net-cost
growth with and without them (deviation_adjusted.csv, growth_adjusted.csv), each item cited,
and what a report read for another year says of them, so a growth or deviation set beside
another committee's carries what it contains."""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.core.scope import Selection
from socialstudy.core.units import mnkr
from socialstudy.measures.adjustments import AT_LEAST, AT_MOST, bound, without
from socialstudy.measures.tabular import DERIVED, NOT_REPORTED, REPORTED
from socialstudy.narrative.findings import cite, names, num, who


def _items(adjust: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    return adjust[(adjust.doc_id == sel.doc_id) & (adjust.fiscal_year == sel.fiscal_year)]


def _named(r, line: str = "quote_line") -> str:
    """'a buffer: budget buffers on …, at most +19.7 mnkr – the whole … [file:398, 423]':
    the item with its kind, its amount (an upper bound says so) and what the report adds."""
    most = f"{AT_MOST} " if getattr(r, "effect_is", "") == AT_MOST else ""
    remark = f" – {r.remark}" if str(getattr(r, "remark", "") or "").strip() else ""
    lines = {int(getattr(r, line)), int(r.amount_line)}
    lines |= {int(r.remark_line)} if remark else set()
    return (f"a {r.kind}: {r.item}, {most}{mnkr(r.effect_tkr, signed=True)}{remark} "
            f"[{r.source_file}:{', '.join(map(str, sorted(lines)))}]")


def _cited(items: pd.DataFrame) -> str:
    return "; ".join(_named(r) for r in items.itertuples())


def _least(items: pd.DataFrame) -> str:
    """'at least ' where an item's amount is an upper bound, else ''."""
    return f"{AT_LEAST} " if bound(items) == AT_LEAST else ""


def deviation_without(dev_row, adjust: pd.DataFrame, sel: Selection) -> str:
    """' Without the items the report names (…) the deviation would be −120.3 mnkr
    (−10.3 % of the printed budget).' or ''; 'at least' where an amount is an upper bound."""
    items = _items(adjust, sel)
    if items.empty or not str(dev_row.deviation_tkr).strip():
        return ""
    dev, pct = without(float(dev_row.deviation_tkr), float(dev_row.budget_tkr), items)
    return (f" Without the items the report names ({_cited(items)}) the deviation would be "
            f"{_least(items)}{mnkr(dev, signed=True)} ({pct:+.1f} % of the printed budget).")


def deviation_cell(adjusted: pd.DataFrame | None, sel: Selection) -> str:
    """Key-figure cell: the deviation % of the printed budget without the items the report
    names (from deviation_adjusted.csv), naming their kinds, an upper-bound amount as 'at
    most' (the % then 'at least') and what the report adds; 'none named' where none."""
    rows = None if adjusted is None else adjusted[(adjusted.doc_id == sel.doc_id) & (
        adjusted.fiscal_year == sel.fiscal_year)]
    if rows is None or rows.empty:
        return "none named"
    kinds = names([f"a {r.kind} of " + (f"{AT_MOST} " if r.effect_is == AT_MOST else "")
                   + mnkr(r.effect_tkr)
                   + (f" – {r.remark} [{r.source_file}:{int(float(r.remark_line))}]"
                      if r.remark and r.effect_is != AT_MOST else "")
                   for r in rows.itertuples()])
    least = f"{AT_LEAST} " if (rows.deviation_without_is == AT_LEAST).any() else ""
    return (f"{least}{rows.deviation_without_pct.iloc[0]} % of the printed budget "
            f"(without {kinds})")


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
    named = "; ".join(_named(r, "source_line") for r in items.itertuples())
    r = items.iloc[0]
    them = "all the items it names" if beside else "it" if len(items) == 1 else "them"
    least = f"{AT_LEAST} " if r.deviation_without_is == AT_LEAST else ""
    return f"{named}; " + _instead(them, least + mnkr(r.deviation_without_tkr, signed=True),
                                   r.deviation_without_pct, r.deviation_tkr)


def one_offs(sel: Selection, named: pd.DataFrame, rows: pd.DataFrame) -> str:
    """The one-off bullet: the item the report names and the deviation without it."""
    r = named.iloc[0]
    return (f"{who(sel)}: the report names a one-off item, {r['item']} "
            f"({mnkr(r.amount_tkr, signed=True)}, {r.effect}){cite(named)}; "
            + _instead("it", mnkr(r.deviation_excl_one_offs_tkr, signed=True),
                       r.deviation_excl_one_offs_pct, r.deviation_tkr) + ".")


def _instead(them: str, without: str, pct, deviation_tkr) -> str:
    """'without it the deviation would be +4.2 mnkr (0.8 % of the printed budget) instead
    of -35.5 mnkr': the deviation without the named items (``without``, as printed) beside
    the deviation itself."""
    return (f"without {them} the deviation would be {without} ({num(pct)} % of the printed "
            f"budget) instead of {mnkr(deviation_tkr, signed=True)}")
