"""The review's goal and remit decisions."""

from __future__ import annotations

import re

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.extract.tables import read_lines
from socialstudy.measures import compare, outcomes
from socialstudy.measures.tabular import NOT_MAPPED
from socialstudy.tools.review_common import ABSENT, DECIDE, FOUND, Item, closest, csv_row


def goal_items(report: Report, earlier: list[Report]) -> list[Item]:
    """Goals found; a goal of the committee's previous report of the same kind that is
    missing now is proposed under the closest wording, or listed as not in the report; a
    committee without goal rows gets other committees' rows whose wording it uses."""
    goals = outcomes.goals([report])
    goals = goals[goals.status != NOT_MAPPED]  # a committee without goal rows: none found
    items = [Item(f"goal {g.goal_id}", FOUND, f"{g.level} ('{g.status_text}', line "
                  f"{g.source_line})") for g in goals.itertuples()]
    rows = read_crosswalk("goal_assessments.csv")
    mine = [r for r in rows if r.municipality == report.municipality]
    previous = next((r for r in earlier if r.document_type == report.document_type), None)
    expected = set(outcomes.goals([previous]).goal_text) if previous else set()
    lines = read_lines(report.path)
    for row in (mine or rows):
        if row.goal_text in set(goals.goal_text) or (mine and row.goal_text not in expected):
            continue
        if mine and any(row.goal_text in t for t in lines):
            items.append(Item(f"goal {row.goal_no}", DECIDE, "the wording stands in the "
                              "report but no assessment matching goal_levels.csv (and the "
                              "row's status_cue) follows before the next goal: add its wording "
                              "to goal_levels.csv or give the row a status_quote",
                              "goal_assessments.csv"))
            continue
        wording = row.goal_text if any(row.goal_text in t for t in lines) else _close_line(
            row.goal_text, lines)
        if wording is None:
            if mine:
                items.append(Item(f"goal {row.goal_no}", ABSENT,
                                  f"'{row.goal_text[:70]}' is not in the report"))
            continue
        values = [report.municipality, row.goal_no, wording] + [
            getattr(row, c) for c in ("status_cue", "status_quote", "assessment_kind")] + [
            f"proposed by review from {row.municipality}'s goal '{row.goal_text[:50]}'"]
        items.append(Item(f"goal {row.goal_no}", DECIDE, f"wording '{wording[:70]}' has "
                          "no assessed row", "goal_assessments.csv", csv_row(values)))
    return items


def _close_line(wording: str, lines: list[str]) -> str | None:
    cells = {re.sub(r"^[#*\s]*(\d+(\.\d+)*\s+)?", "", c).rstrip("* ")
             for t in lines for c in t.split("\t")}
    close = closest(wording, sorted(c for c in cells if 0.7 < len(c) / len(wording) < 1.4))
    return close[0] if close else None


def remit_items(report: Report, reports: list[Report]) -> list[Item]:
    remit = compare.remit_matrix(reports)[report.municipality]
    if set(remit) == {"unknown"}:
        return [Item("remit", DECIDE, "unknown: which activities does the committee run?",
                     "remit.csv", csv_row([report.municipality, "<category>",
                                           "yes|partial|no", "<quote from the report>",
                                           "<note>"]))]
    return [Item("remit", FOUND, ", ".join(f"{c}: {v}" for c, v in remit.items()))]
