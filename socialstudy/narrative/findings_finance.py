"""Findings on the measures a municipal-finance analyst expects (budget per cost type and
its drivers, revenue and grant dependence, net-cost growth, one-off items, investment,
forecast accuracy, net cost per inhabitant) and on staffing detail, for the selected
reports only. Each sentence is computed from the finance tables and cites its lines; a
measure a report lacks is said to be not reported, with the table's reason.

Years other than the selected one are not named in the text (the tables give them):
growth is "on the previous year", a forecast is "the August forecast"."""

from __future__ import annotations

from functools import partial

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.core.scope import Scope, Selection
from socialstudy.core.units import mnkr
from socialstudy.core.vocabulary import CATEGORY_WORDS
from socialstudy.measures.like_with_like import definitions
from socialstudy.measures.remit import remit_by_report, remit_of
from socialstudy.measures.tabular import HAS_VALUE, NOT_MAPPED, NOT_REPORTED, STANDS_IN
from socialstudy.narrative import caveats, findings, named_items
from socialstudy.narrative.findings import (
    NO_DATA,
    PERIOD_WORDS,
    bullets,
    chosen,
    cite,
    explanations,
    names,
    num,
    who,
)

MONTHS = {"03": "March", "04": "April", "08": "August", "10": "October", "11": "November"}

signed_mnkr = partial(mnkr, signed=True)  # deviations: + = better than budget


def _rows(frame: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    return frame[(frame.municipality == sel.municipality) & (frame.doc_id == sel.doc_id)
                 & (frame.fiscal_year == sel.fiscal_year)]


def _lacks(sel: Selection, what: str, rows: pd.DataFrame, report: Report) -> str:
    """'not reported' (or the row's own status, e.g. 'not available') and the reason; for a
    committee the crosswalks do not cover yet (status 'not mapped') the reason alone, which
    says 'not mapped yet – …'. Without a row, the reason names the report read."""
    status = next((s for s in rows.status if s not in HAS_VALUE), NOT_REPORTED)
    reason = next((r for r in rows.reason if r), f"the report read for this year, "
                  f"“{report.title}”, does not give it for {sel.fiscal_year}")
    if status == NOT_MAPPED:
        return f"{who(sel)}: {what} {reason}."
    return f"{who(sel)}: {what} {status} – {reason}."


def drivers(sel: Selection, ranked: pd.DataFrame, rows: pd.DataFrame) -> str:
    ranked = ranked.assign(rank=ranked.driver_rank.astype(int),
                           share=ranked.share_of_net_deviation_pct.astype(float))
    top = ranked.sort_values("rank").head(2)
    parts = [f"“{r.report_label}” ({_deviation(r)}, "
             f"{num(r.share)} % of the net deviation)" for r in top.itertuples()]
    text = (f"{who(sel)}: against budget, the cost or revenue types that contributed most to "
            f"the net deviation were {' and '.join(parts)}{cite(top)}")
    against = ranked[ranked.share < 0].sort_values("share", kind="mergesort").head(1)
    for r in against.itertuples():  # a larger line can pull the other way: say so
        text += (f"; the largest line pulling the other way was “{r.report_label}” "
                 f"({_deviation(r)}){cite(against)}")
    return text + "."


def _deviation(r) -> str:
    """The printed deviation, or where it contradicts the row's budget and outcome (a
    shifted cell) the computed one, which the share rests on, and the printed beside it."""
    if r.deviation_check == "differs":
        return (f"{signed_mnkr(r.deviation_tkr)} from budget and outcome; the report prints "
                f"{signed_mnkr(r.printed_deviation_tkr)}")
    return signed_mnkr(r.printed_deviation_tkr or r.deviation_tkr)


def revenue(sel: Selection, share: pd.DataFrame, rows: pd.DataFrame) -> str:
    text = f"{who(sel)}: revenue covered {num(share.value.iloc[0])} % of gross cost"
    grants = rows[(rows.measure == "grants_share_of_gross_cost_pct") & (rows.value != "")]
    if len(grants):
        basis = rows[(rows.measure == "grants_tkr") & (rows.value != "")].basis
        text += (f", itemised grants {num(grants.value.iloc[0])} %"
                 + (f" ({basis.iloc[0]})" if len(basis) and basis.iloc[0] else ""))
    every = rows[(rows.measure == caveats.ALL_GRANTS) & (rows.value != "")]
    if len(every):
        r = every.iloc[0]
        value, printed = ((r.value, "; printed, rounded to whole per cent") if r.raw
                          else (num(r.value), ""))
        text += f"; all grants {value} % of its funding (net budget plus revenue{printed})"
        every = pd.DataFrame({"source_file": r.source_file, "source_line": [
            r.source_line, *[x for x in r.other_lines.split(";") if x]]})
    change = rows[(rows.measure == "revenue_change_pct") & (rows.value != "")]
    if len(change):
        word = "rose" if float(change.value.iloc[0]) >= 0 else "fell"
        text += f"; revenue {word} {num(abs(float(change.value.iloc[0])))} % on the previous year"
    return text + f"{cite(pd.concat([share, grants, every, change]))}."


def grant_base(text: str, sel: Selection, scope: Scope, reports: list[Report]) -> str:
    """The grant share's base beside it, and where the selected committees' bases differ,
    the others' bases and that the shares are not ranked."""
    if "itemised grants" not in text:
        return text
    docs = [s.doc_id for s in chosen(scope)]
    defs = definitions([r for r in reports if r.doc_id in docs])
    defs = defs[defs.topic == "grants"]
    own, others = defs[defs.doc_id == sel.doc_id], defs[defs.doc_id != sel.doc_id]
    if own.empty:
        return text
    text += f" Grant base: {own.definition.iloc[0]}{cite(own)}"
    other = others[others.definition != own.definition.iloc[0]]
    if other.empty:
        return text + "."
    bases = "; ".join(f"{r.municipality}: {r.definition}" for r in other.itertuples())
    return text + (f"; on another base in this run ({bases}{cite(other)}), so the grant "
                   "shares are not ranked.")


def growth(sel: Selection, known: pd.DataFrame, rows: pd.DataFrame, note: str = "") -> str:
    r = known.iloc[0]
    word = "grew" if float(r.change_pct) >= 0 else "fell"
    # the report's printed rate (from unrounded amounts) where it prints one
    pct, how = ((r.printed_change_pct, ", as printed") if r.printed_change_pct
                else (r.change_pct, ""))
    if how and str(r.printed_source_line).strip():  # cite the line the rate is printed on
        known = pd.concat([known, known.assign(source_line=r.printed_source_line)])
    derived = ""
    if str(r.prior_basis).startswith("derived"):  # no printed total for the previous year
        lines = [x for x in str(r.prior_source_lines).split(";") if x]
        prior = pd.DataFrame({"source_file": r.source_file, "source_line": lines})
        derived = (f", derived: the previous year's net cost ({mnkr(r.prior_net_cost_tkr)}) "
                   f"is the sum of its activity lines{cite(prior)}, as the report prints no "
                   "total for it")
    return (f"{who(sel)}: net cost {word} {num(abs(float(pct)))} % on the previous "
            f"year{how}{cite(known)}{derived}{note}.")


def investment(sel: Selection, known: pd.DataFrame, rows: pd.DataFrame) -> str:
    r = known.iloc[0]
    part = r.outcome_period != "full_year"
    span = " in the months the report covers" if part else ""
    spent = (f"{num(r.printed_spent_pct)} % spent as printed" if r.printed_spent_pct
             else f"{num(r.spent_pct)} % spent")
    return (f"{who(sel)}: investment of {mnkr(r.outcome_tkr)}{span} against a "
            f"{'full-year ' if part else ''}budget of {mnkr(r.budget_tkr)} "
            f"({spent}){cite(known)}.")


def forecast(sel: Selection, known: pd.DataFrame, rows: pd.DataFrame) -> str:
    # the August interim report's forecast where there is one, as every committee makes it
    known = known.assign(_august=known.forecast_month == "08").sort_values(
        ["_august", "forecast_month"], kind="mergesort").drop(columns="_august")
    r = known.iloc[-1]
    month = MONTHS.get(r.forecast_month, f"month {r.forecast_month}")
    return (f"{who(sel)}: the {month} forecast of the budget deviation "
            f"({signed_mnkr(r.forecast_deviation_tkr)}) differed from the outcome "
            f"({signed_mnkr(r.outcome_deviation_tkr)}) by {signed_mnkr(r.error_tkr)} "
            "(+ = outcome better)"
            f"{cite(known.tail(1))}.")


def per_inhabitant(sel: Selection, known: pd.DataFrame, rows: pd.DataFrame,
                   note: str = "") -> str:
    r = known.iloc[0]
    return (f"{who(sel)}: whole-committee net cost of {_whole(r.net_cost_per_inhabitant_kr)} kr "
            f"per inhabitant ({_whole(r.population)} inhabitants on 31 December, SCB "
            f"BE0101N1){cite(known)}{note}; it includes {_covers(sel)}, as the report "
            "describes its remit; the like-with-like figure is the comparable core.")


def _covers(sel: Selection) -> str:
    """The categories the committee's own report puts in its remit, in words."""
    remit = remit_of(remit_by_report(), sel.doc_id)
    parts = [CATEGORY_WORDS.get(c, c) + (" (partly)" if v == "partial" else "")
             for c, v in remit.items() if v in ("yes", "partial") and c in CATEGORY_WORDS]
    return names(parts) if parts else "an unknown remit"


def _whole(value: str) -> str:
    """A whole number without separators (12324), so it reads back unambiguously."""
    return str(int(float(value)))


# table, the measure in words, which of a report's rows carry it, its sentence, and the
# topic of the report's own explanations quoted under it ("" = none)
MEASURES = (
    ("budget_by_cost_type", "budget per cost type", lambda r: r.driver_rank != "", drivers, ""),
    ("revenue_dependence", "revenue as a share of gross cost",
     lambda r: (r.measure == "revenue_share_of_gross_cost_pct") & (r.value != ""), revenue,
     "revenue"),
    ("net_cost_growth", "net-cost growth", lambda r: r.change_pct != "", growth,
     "net_cost_growth"),
    ("one_off_items", "one-off items", lambda r: r.status == "reported",
     named_items.one_offs, ""),
    ("investments", "investment budget and outcome",
     lambda r: (r.budget_tkr != "") & (r.outcome_tkr != ""), investment, ""),
    ("forecast_accuracy", "forecast accuracy", lambda r: r.error_tkr != "", forecast,
     "forecast"),
    ("per_inhabitant", "net cost per inhabitant",
     lambda r: r.net_cost_per_inhabitant_kr != "", per_inhabitant, ""))


def _figures(name: str, r) -> list[tuple]:
    """The amounts a growth or per-inhabitant sentence rests on (year, period, measure,
    tkr), whose printed totals may contradict their own table (issue 15)."""
    if name == "net_cost_growth":
        return [(r.prior_year, r.period, "actual", r.prior_net_cost_tkr),
                (r.fiscal_year, r.period, "actual", r.net_cost_tkr),
                (r.fiscal_year, r.period, "change", r.change_tkr)]
    if name == "per_inhabitant":
        return [(r.fiscal_year, r.period, "actual", r.net_cost_tkr)]
    return []


def finance(scope: Scope, tables: dict[str, pd.DataFrame], reports: list[Report]) -> str:
    """One bullet per measure and selected report, grouped by measure, each followed by the
    report's own explanation of it where the report gives one (its words, not ours); a
    report without the measure gets the table's reason."""
    lines = []
    for name, what, carries, sentence, topic in MEASURES:
        for sel in chosen(scope):
            rows = _rows(tables[name], sel)
            known = rows[carries(rows)]
            others = (named_items.named_adjustments(tables.get("deviation_adjusted"), sel,
                                                not known.empty)
                      if name == "one_off_items" else "")
            about = rows[rows.measure == "revenue_share_of_gross_cost_pct"] \
                if name == "revenue_dependence" else rows  # its own reason, not the grants'
            if known.empty:  # a top-up or buffer the report names is no 'not reported'
                report = next(r for r in reports if r.doc_id == sel.doc_id)
                prior = (named_items.items_of_other_years(tables, sel, report)
                         if name == "one_off_items" and rows.empty else "")
                lines.append(f"{who(sel)}: the report names no one-off cost item but {others}."
                             if others else prior
                             or _lacks(sel, what, about if len(about) else rows, report))
                continue
            figures = _figures(name, known.iloc[0])
            note = findings.one_aside(caveats.contradicted(tables, sel, figures)) + (
                caveats.remit_note(scope, tables, reports, sel) if name == "per_inhabitant" else "")
            text = sentence(sel, known, rows, note) if figures else sentence(sel, known, rows)
            if name == "net_cost_growth":
                text += named_items.growth_one_offs(tables.get("growth_adjusted"), sel)
            text += f" It also names {others}." if others else ""
            if name == "revenue_dependence":  # grant and revenue bases: once, after the last
                text = grant_base(text, sel, scope, reports) + (
                    caveats.shares_base(tables, scope, reports) if sel == chosen(scope)[-1] else "")
            lines.append(text)
            if topic:
                lines += [f"  * {e}" for e in explanations(sel, topic, reports)]
    return bullets(lines) or f"*{NO_DATA}.*"


STAFF_WORDS = {"voluntary_resignations_pct": "own resignations (%)",
               "voluntary_resignations_count": "own resignations (persons)",
               "sick_leave_short_pct": "short-term sick leave (%)",
               "sick_leave_by_sex_pct": "sick leave by sex (%)",
               "sick_leave_by_age_pct": "sick leave by age (%)",
               "hired_staff_cost_tkr": "cost of hired staff (tkr)"}


def _detail_note(group: pd.DataFrame) -> str:
    """What the reader must know about a detail figure: derived, its period, its day range."""
    notes = ["derived"] if (group.status == "derived").any() else []
    notes += sorted({PERIOD_WORDS[p] for p in group.period if p != "full_year"})
    if (group.variable == "sick_leave_short_pct").any():
        days = group.definition.str.contains("1-14|1–14").any()
        notes.append("days 1–14" if days else "day range not stated")
    return f" ({'; '.join(notes)})" if notes else ""


def staffing_detail(scope: Scope, tables: dict[str, pd.DataFrame],
                    reports: list[Report]) -> str:
    """Per selected report: each detail figure it gives (with its breakdown), and the ones
    it does not give."""
    lines = []
    for sel in chosen(scope):
        rows = _rows(tables["staffing_detail"], sel)
        given = rows[~rows.status.isin(STANDS_IN) & rows.variable.isin(STAFF_WORDS)]
        parts = []
        for variable, group in given.groupby("variable", sort=False):
            group = group.sort_values("source_line", key=lambda c: c.astype(int),
                                      kind="mergesort")  # the report's order (age groups)
            values = ", ".join(f"{b} {v}" if b != "all" else v
                               for b, v in zip(group.breakdown, group.value))
            parts.append(f"{STAFF_WORDS[variable]} {values}{_detail_note(group)}")
        lacking = sorted(STAFF_WORDS[v] for v in set(rows[rows.status == "not reported"]
                                                     .variable) if v in STAFF_WORDS)
        text = f"{who(sel)}: " + ("; ".join(parts) + cite(given) if parts
                                  else "no staffing detail")
        if lacking:
            text += "; not reported: " + ", ".join(lacking)
        gone = rows[rows.status == NOT_MAPPED].reason  # the crosswalk does not cover it
        text += f"; {gone.iloc[0]}" if len(gone) else ""
        lines.append(text + ".")
    return bullets(lines) or f"*{NO_DATA}.*"
