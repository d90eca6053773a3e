"""The review's table-row decisions: the committee total and its deviation, cost types and
activity lines, each unmapped label proposed from the same committee's closest label or,
for a committee the crosswalks do not know yet, the same label in another committee's
crosswalk."""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.measures import compare, statement_kinds
from socialstudy.measures.tabular import NOT_MAPPED, NOT_REPORTED
from socialstudy.tools.review_committees import (
    committee_rows,
    names_committee,
    names_social,
    table_rows,
    total_line,
    why_no_total,
)
from socialstudy.tools.review_common import (
    ABSENT,
    DECIDE,
    FOUND,
    UNMAPPED,
    UNREAD,
    Item,
    closest,
    crosswalk_row,
)


def committee_items(report: Report, facts: pd.DataFrame, activity: pd.DataFrame) -> list[Item]:
    """``activity``: ``compare.cost_by_activity`` of the report's facts."""
    own = own_period(activity[activity.category == "total"], report)
    if own.empty:
        return _without_total(facts)
    total = own.iloc[0]
    items = [Item("net cost", FOUND, f"{total.net_cost_tkr} tkr, line {total.source_line} "
                  f"'{total.report_label}'")]
    items.append(Item("budget", FOUND, f"{total.budget_tkr} tkr, line {total.source_line}")
                 if total.budget_tkr else
                 Item("budget", ABSENT, "the committee total prints no budget"))
    deviation = compare.budget_deviation(activity, facts)
    own_dev = own_period(deviation, report)
    if own_dev.empty and not report.is_full_year and total.net_cost_tkr and total.budget_tkr:
        items.append(Item("budget deviation", ABSENT, f"the table prints no deviation for "
                          f"{report.period} (line {total.source_line}); not computed from the "
                          "period's net cost and budget"))
    elif own_dev.empty:
        items.append(Item("budget deviation", DECIDE, "neither amounts nor a printed "
                          "percentage: if the report prints the committee's deviation in % "
                          "add its row label", "printed_deviation.csv",
                          crosswalk_row("printed_deviation.csv",
                                        [report.municipality, "<row label>", "", "<why>"])))
    else:
        row = own_dev.iloc[0]
        items.append(Item("budget deviation", FOUND, f"{row.deviation_pct} % "
                          f"({row.pct_source}), line {row.source_line}"))
    return items + forecast_items(facts, total)


def forecast_items(facts: pd.DataFrame, total) -> list[Item]:
    """The full-year forecast's deviation printed on the committee's total row (an interim
    report's table), found as such: a forecast, never the period's budget deviation."""
    got = facts[(facts.source_kind == "table") & (facts.measure == "forecast_deviation")
                & (facts.row_label == total.report_label)
                & (facts.source_line.astype(int) == int(total.source_line))]
    return [Item("forecast deviation", FOUND, f"{r.value} {r.unit} (full-year forecast "
                 f"'{r.column_label}', {r.fiscal_year}), line {r.source_line}")
            for r in got.itertuples()]


def _without_total(facts: pd.DataFrame) -> list[Item]:
    """No table total mapped: the committee's total from the text, else where to look –
    the row proposed as the total, or why none is (no row names the social committee)."""
    known = {r.report_label for r in read_crosswalk("activities.csv")}
    line, every = total_line(_best_table(facts, known)), table_rows(facts)
    why, elsewhere = why_no_total(every), total_line(every)
    if line:
        where = f"the row proposed as its total is line {line} (below)"
    elif why:
        where = "no row names a social-services committee (see 'social committee' above)"
    elif elsewhere:
        label = next(label for label, n in every if n == elsewhere)
        where = (f"line {elsewhere} ('{label}') names the committee, in a table that shares "
                 "no label with activities.csv: add that row there with category total")
    elif every:
        where = "see the activity lines and the finance prose proposals below"
    else:  # prose only: no activity line can be listed below
        where = ("the report has no table, so only a sentence can give it: see the finance "
                 "prose proposals below; where none is listed, no sentence matched a wording "
                 "of reference/finance_phrases.yaml, and the total goes into prose_facts.csv "
                 "by hand")
    items = [_in_prose(facts, m, variables, where) for m, variables in PROSE_TOTALS.items()]
    if why and not line and any(i.status != FOUND for i in items):
        items.insert(0, Item("social committee", DECIDE, why))
    return items


PROSE_TOTALS = {"net cost": ("net_cost",), "budget": ("net_budget",),
                "budget deviation": ("budget_deviation", "forecast_budget_deviation")}


def _in_prose(facts: pd.DataFrame, measure: str, variables: tuple[str, ...], where: str
              ) -> Item:
    """A committee total the run reads from the text (prose_facts.csv), or the decision."""
    got = facts[(facts.source_kind == "prose") & facts.measure.isin(variables)
                & (facts.topic == "finance")]
    if got.empty:
        return Item(measure, DECIDE, "no committee total: no activity table is mapped and no "
                    f"sentence of the text is anchored; {where}", "activities.csv")
    r = got.iloc[0]
    return Item(measure, FOUND, f"{r.value} {r.unit} ({r.measure}, {r.period}), prose line "
                f"{r.source_line}")


def cost_type_items(report: Report, facts: pd.DataFrame, had: dict[str, str]) -> list[Item]:
    rows, mine, own = _rows("cost_types.csv", report, compare.cost_by_type(facts, [report]))
    items = [Item(f"cost type {r.category}", UNREAD, f"line {r.source_line} "
                  f"'{r.report_label}': {r.reason}") if r.value_status == NOT_REPORTED else
             Item(f"cost type {r.category}", FOUND, f"{r.value_tkr or r.share_pct} "
                  f"({r.value_status}), line {r.source_line} '{r.report_label}'")
             for r in own.itertuples()]
    table = _best_table(facts, {r.report_label for r in (mine or rows)})
    for label, line in table:
        if any(r.report_label == label for r in own.itertuples()):
            continue
        item = _label_proposal(report, label, line, mine, rows, "cost type", "cost_types.csv",
                               lambda r: [r.flow, r.category, r.kommun_bas, r.fit])
        items.append(item)
    found = {i.measure for i in items}
    items += [Item(measure, DECIDE, why) for measure, why in sorted(had.items())
              if measure.startswith("cost type") and measure not in found]
    if not items and mine:
        items.append(Item("cost types", ABSENT, "no income-statement table or prose shares "
                          "found"))
    elif not items:
        items.append(Item("cost types", UNMAPPED, f"cost_types.csv has no row for "
                          f"{report.municipality}, no table shares a label with another "
                          "committee's rows and no prose shares are found"))
    return items


def _best_table(facts: pd.DataFrame, known: set[str]) -> list[tuple[str, int]]:
    """(label, line) of the table sharing most row labels with ``known``."""
    table = facts[(facts.source_kind == "table") & (facts.measure == "actual")]
    hits = table[table.row_label.isin(known)].groupby("table_id").row_label.nunique()
    if hits.empty:
        return []
    best = hits.sort_index().sort_values(kind="mergesort").index[-1]
    rows = table[table.table_id == best][["row_label", "source_line"]].drop_duplicates()
    return list(zip(rows.row_label, rows.source_line))


def _label_proposal(report, label, line, mine, rows, what, name, tail, total_line=None,
                    found_total=None) -> Item:
    """A row for an unmapped label: the closest label of the same committee, else the
    same label in another committee's crosswalk (said so, with why); otherwise the
    category is to be chosen. The line ``total_line`` (the committee's total row, see
    ``total_line``) is, unless the committee's own crosswalk maps it, proposed as total;
    another row naming a committee (``found_total``: the total the run found) is never a
    second total nor copied (``_committee_row``)."""
    close = closest(label, [r.report_label for r in mine])
    other = next((r for r in rows if r.report_label == label), None)
    total_at = total_line if total_line is not None else found_total
    if close:
        source = next(r for r in mine if r.report_label == close[0])
        if source.category == "total" and total_at is not None and line != total_at:
            return _committee_row(report, label, line, other, total_at, name)
        why = (f"renamed from '{close[0]}' (similarity {close[1]:.2f})? proposed by review; "
               "check before pasting")
    elif line == total_line:
        return _total_proposal(report, label, line, other, name)
    elif total_at is not None and names_committee(label):
        return _committee_row(report, label, line, other, total_at, name)
    elif other:
        source = other
        why = (f"copied from {other.municipality}'s row for the same label '{label}' "
               f"({other.municipality} maps it to {other.category}): only the label "
               "matched, proposed by review; check that it means the same here")
    else:
        return Item(f"{what} line {line}", DECIDE, f"'{label}' matches no known label", name,
                    crosswalk_row(name, [report.municipality, label]
                                  + ["<choose>"] * len(tail(rows[0])) + ["<why>"])
                    if rows else "")
    values = [report.municipality, label] + tail(source) + [why]
    return Item(f"{what} line {line}", DECIDE, f"'{label}' has no row in {name}; {why}",
                name, crosswalk_row(name, values))


def _committee_row(report, label, line, other, total, name) -> Item:
    """A row naming a committee that is not the committee's total: above the total it is
    the committee's own costs or a sub-total, in an operating statement another
    committee's row. Another committee's row for the same label is never copied (a
    committee-naming row is not *administration* by its label alone)."""
    where = (f"above the committee's total (line {total}): the committee's own costs "
             "(politicians) or a sub-total" if line < total else
             f"below the committee's total (line {total}): another committee's row, left "
             "out of the committee's activities once the total is named")
    why = f"'{label}' names a committee and stands {where}"
    if other is not None:
        why += (f"; {other.municipality} maps its own '{label}' to {other.category}"
                " – not copied: the label alone does not say which this is")
    return Item(f"activity line {line}", DECIDE, why, name,
                crosswalk_row(name, [report.municipality, label, "", "<choose>", "<choose>",
                                     "", "", "<why>"]) if line < total else "")


def _total_proposal(report, label, line, other, name) -> Item:
    """The committee's own total row: a label naming the committee is never proposed as an
    activity, whatever another committee's row for the same label says."""
    why = (f"the label names the committee itself: its total row, proposed by review; check "
           f"that line {line} is the sum of the activity rows")
    if other is not None and other.category != "total":
        why += (f" ({other.municipality} maps its own '{label}' to {other.category}; "
                "that is not copied, the label alone does not carry it)")
    values = [report.municipality, label, "", "total", "exact", "", label, why]
    return Item(f"activity line {line}", DECIDE, f"'{label}' has no row in {name}; {why}",
                name, crosswalk_row(name, values))


def _rows(name: str, report: Report, table: pd.DataFrame) -> tuple[tuple, list, pd.DataFrame]:
    """A crosswalk's rows, those of the report's municipality, and the rows of the
    measure ``table`` for the report's own year (those not mapped yet left out)."""
    rows = read_crosswalk(name)
    return (rows, [r for r in rows if r.municipality == report.municipality],
            own_period(table[table.status != NOT_MAPPED], report))


def own_period(table: pd.DataFrame, report: Report) -> pd.DataFrame:
    """Rows of the report's own year, only those of its own period where it has any: an
    interim report's table also prints the annual budget (Sundsvall Jan-Apr 2018, line 39:
    Budget 2018 -686,9 beside Budget jan-apr 2018 -257,8), which is not the period's."""
    own = table[table.fiscal_year == report.fiscal_year]
    same = own[own.period == report.period] if "period" in own.columns else own
    return same if not same.empty else own


def activity_items(report: Report, facts: pd.DataFrame, activity: pd.DataFrame) -> list[Item]:
    rows, mine, own = _rows("activities.csv", report, activity)
    items = [Item(f"activity line {r.source_line}", FOUND, f"'{r.report_label}' -> "
                  f"{r.category} ({r.fit}), net cost {r.net_cost_tkr or '-'} tkr")
             for r in own.itertuples() if r.category != compare.UNMAPPED]
    unmapped = [(r.report_label, r.source_line) for r in own.itertuples()
                if r.category == compare.UNMAPPED]
    tail = lambda e: ["", e.category, e.fit, e.components, ""]  # noqa: E731
    if own.empty:
        unmapped = _best_table(facts, {r.report_label for r in rows})
        tail = lambda e: [e.occurrence, e.category, e.fit,  # noqa: E731
                          e.components, ""]
    # the run's table exists only with a mapped total: a committee with rows has its total
    total = total_line(unmapped) if own.empty else None
    if own.empty and total is None and why_no_total(unmapped):
        first, last = min(line for _, line in unmapped), max(line for _, line in unmapped)
        named = ", ".join(str(line) for _, line in committee_rows(unmapped))
        items.append(Item(f"activity line {first}", DECIDE, f"the table of lines {first}-"
                          f"{last} names committees (lines {named}), none of them social: "
                          "none of its rows is proposed as the committee's activity – nothing "
                          "to paste"))
        unmapped = []
    if own.empty and total is not None:
        unmapped, others = _own_block(unmapped, total)
        if others:
            items.append(Item(f"activity line {others[0][1]}", DECIDE, "rows of other "
                              "committees in a municipal operating statement (lines "
                              f"{', '.join(str(line) for _, line in others)}): not the "
                              f"committee's; left out once its own row (line {total}) is "
                              "named – nothing to paste"))
    found = own[own.category == "total"].source_line
    items += [_label_proposal(report, label, line, mine, rows, "activity", "activities.csv",
                              tail, total, int(found.min()) if len(found) else None)
              for label, line in unmapped]
    return sorted(items, key=lambda i: int(i.measure.rsplit(" ", 1)[1]))


def _own_block(rows: list[tuple[str, int]], total: int
               ) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(the committee's rows, other committees' rows) of a municipal operating statement:
    its own block runs from its total to the next committee-level row; a table naming
    fewer than two other committees is all the committee's."""
    levels = sorted(line for label, line in rows
                    if statement_kinds.COMMITTEE_ROW.search(label) or names_committee(label))
    others = [line for label, line in rows if line in levels and not names_social(label)]
    if len(others) < 2:  # the committee's own table, its own-costs row above the total
        return rows, []
    end = next((line for line in levels if line > total), None)
    inside = [(label, line) for label, line in rows
              if total <= line and (end is None or line < end)]
    return inside, [r for r in rows if r not in inside]
