"""The review's goal and remit decisions. Beyond the wordings of known committees, a goal
table in the committee's own words (``Mål … Uppfyllt Ja/Nej`` with ``Ja`` under each goal,
or ``Uppfyllt`` / ``Delvis uppfyllt`` / ``Ej uppfyllt``, or a colour named in words)
yields one goal row per goal, keeping the committee's wording; its level comes from
``goal_levels.csv`` and the row is proposed only when the run's own goal matcher finds
that status for that goal. A text that names no committee may hold the municipality's
goals: its rows wait for a person's confirmation (a ``<confirm …>`` cell), never pasted
as the committee's."""

from __future__ import annotations

import re

from socialstudy.core.registry import Report
from socialstudy.crosswalks import matching
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.crosswalks.specs import SPECS
from socialstudy.extract.tables import read_lines
from socialstudy.measures import compare, outcomes
from socialstudy.measures.tabular import NOT_MAPPED
from socialstudy.tools.review_common import ABSENT, DECIDE, FOUND, UNMAPPED, Item, closest, csv_row


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
    items += own_vocabulary_items(report, set(goals.goal_text) | {r.goal_text for r in mine})
    if not items and not mine:
        items.append(Item("goals", UNMAPPED, f"goal_assessments.csv has no row for "
                          f"{report.municipality}, and neither another committee's goal "
                          "wording nor a goal table with each goal's status on its own line "
                          "stands in the report"))
    return items


STATUS_LINE = re.compile(r"(?i)^\s*(ja|nej|(?:delvis |ej |inte )?(?:uppfyllt|uppnått)|"
                         r"grön|gul|röd)\s*(\(prognos\))?\s*$")
GOAL_HEADER = re.compile(r"(?i)^\s*mål\b.*\b(uppfyll|ja/nej|bedömning|status)")
CUES = {"ja": r"(?i)^\s*(ja|nej)\s*(\(prognos\))?\s*$",
        "colour": r"(?i)^\s*(grön|gul|röd)\s*(\(prognos\))?\s*$",
        "words": r"(?i)^\s*(delvis |ej |inte )?(uppfyllt|uppnått)"}


def own_vocabulary_items(report: Report, known: set[str]) -> list[Item]:
    """Goal rows for every goal of a goal table whose status stands on its own line in
    the committee's words, each checked with the run's own matcher."""
    lines = read_lines(report.path)
    levels = outcomes.goal_levels()
    found = [(goal, status, line) for goal, status, line in _goal_statuses(lines)
             if goal not in known]
    committee = any(re.search(r"(?i)nämnd", t) for t in lines)
    items = []
    for k, (goal, status, line) in enumerate(found, 1):
        word = status.strip().lower().split()[0]
        cue = CUES["ja" if word in ("ja", "nej") else "colour" if word in ("grön", "gul", "röd")
                   else "words"]
        entry = SPECS["goal_assessments.csv"].row(
            municipality=report.municipality, goal_no=f"r{k}", goal_text=goal,
            status_cue=cue, status_quote="", assessment_kind="year_end_attainment", note="",
            line=0)
        others = [g for g, _, _ in found if g != goal]
        located = matching.locate_goal(lines, entry, others, levels)
        if located is None or located[2] != line:
            continue
        level = outcomes.harmonize_status(located[1], levels)[0]
        note = (f"proposed by review: '{status.strip()}' (line {line}) is {level} on the "
                "common scale (goal_levels.csv); the committee's wording is kept")
        if not committee:
            note = ("<confirm: the text names no committee; this may be the municipality's "
                    f"goal, not the committee's> {note}")
        items.append(Item(f"goal {line}", DECIDE, f"'{goal[:70]}' assessed '{status.strip()}'"
                          f" at line {line} -> {level}", "goal_assessments.csv",
                          csv_row([report.municipality, f"r{k}", goal, cue, "",
                                   entry.assessment_kind, note])))
    return items


def _goal_statuses(lines: list[str]) -> list[tuple[str, str, int]]:
    """(goal wording, status, status line) of each status line below a goal-table header:
    the goal is the first line after the header."""
    out, header = [], None
    for no, text in enumerate(lines, 1):
        if GOAL_HEADER.match(text):
            header = no
        elif STATUS_LINE.match(text) and header is not None:
            goal = next((t.strip() for t in lines[header:no - 1] if t.strip()), None)
            if goal:
                out.append((goal, text, no))
            header = None
    return out


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
