"""Find what a crosswalk row points at. Judgements are keyed by what a reader recognises –
municipality + report label for table rows, municipality + quoted wording for prose –
never by a line number, so next year's report of a known committee maps with no edit.
The line is found here; a label or wording that matches ambiguously stops the run naming
the crosswalk file and row."""

from __future__ import annotations

import re

import pandas as pd

from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.crosswalks.specs import SPECS, Row
from socialstudy.errors import CrosswalkError

OCCURRENCES = ("", "first", "last")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# a numbered heading ("#### 4.1 Invånare i …") opens the next goal, known or not
_NUMBERED_HEADING = re.compile(r"^#+\s*[*_]*\s*\d+(\.\d+)*\.?\s")


def keyed_crosswalk(name: str) -> dict[tuple, Row]:
    """Rows of a crosswalk indexed by its key in ``specs.yml`` (the loader refuses a
    repeated key: the last row would otherwise silently win)."""
    rows = {}
    for row in read_crosswalk(name):
        if getattr(row, "occurrence", "") not in OCCURRENCES:
            raise CrosswalkError(f"occurrence {row.occurrence!r} is not one of "
                                 f"{list(OCCURRENCES)}", file=f"socialstudy/crosswalks/{name}",
                                 line=row.line)
        rows[tuple(getattr(row, c) for c in SPECS[name].key)] = row
    return rows


def occurrence(facts: pd.DataFrame) -> pd.Series:
    """Where a row label stands among the rows of its table that carry the same label:
    '' (the only one), 'first', 'last' or 'middle' (Strängnäs prints 'Socialnämnden' both
    as the committee's own unit and as the total of the same table)."""
    lines = facts[["table_id", "row_label", "source_line"]].drop_duplicates()
    rank = lines.groupby(["table_id", "row_label"]).source_line.rank(method="dense")
    count = lines.groupby(["table_id", "row_label"]).source_line.transform("nunique")
    where = pd.Series("middle", index=lines.index)
    where[count == 1] = ""
    where[(count > 1) & (rank == 1)] = "first"
    where[(count > 1) & (rank == count)] = "last"
    keyed = dict(zip(zip(lines.table_id, lines.row_label, lines.source_line), where))
    return pd.Series([keyed[k] for k in zip(facts.table_id, facts.row_label, facts.source_line)],
                     index=facts.index, dtype=str)


def match_labels(facts: pd.DataFrame, crosswalk: dict[tuple, Row], name: str) -> pd.Series:
    """The crosswalk row (or None) of each table fact, keyed by municipality, row label and
    occurrence. A row the crosswalk cannot place – an unqualified label repeated in one
    table, a label qualified 'first'/'last' standing alone or in the middle – stops the
    run here, naming the crosswalk row and the report line."""
    qualified: dict[tuple, Row] = {}
    for (muni, label, occ), row in crosswalk.items():
        if occ:
            qualified.setdefault((muni, label), row)
    out = []
    for muni, label, occ, doc_id, line in zip(facts.municipality, facts.row_label,
                                             occurrence(facts), facts.doc_id,
                                             facts.source_line):
        plain = crosswalk.get((muni, label, ""))
        if occ in ("first", "last") and (muni, label, occ) in crosswalk:
            out.append(crosswalk[(muni, label, occ)])
        elif occ == "" and plain is not None:
            out.append(plain)
        elif (occ == "" and (muni, label) in qualified) or (occ and plain is not None) or (
                occ == "middle" and (muni, label) in qualified):
            row = plain or qualified[(muni, label)]
            raise ambiguity_error(label, occ, row, name, doc_id, line)
        else:
            out.append(None)
    return pd.Series(out, index=facts.index, dtype=object)


def ambiguity_error(label: str, occ: str, row: Row, name: str, doc_id: str,
                    line: int) -> CrosswalkError:
    where = occ or "one of several"
    return CrosswalkError(
        f"label {label!r} stands in {doc_id} line {line} as the {where} "
        "row of that label in its table; the crosswalk cannot tell which meaning applies",
        file=f"socialstudy/crosswalks/{name}", line=row.line,
        fix="key the rows by occurrence ('first', 'last') or run "
            f"`python -m socialstudy review {doc_id}` for a proposal")


def segments(text: str, skip: str = "") -> list[str]:
    """Cells of a table line (tab-separated) or sentences of prose; ``skip`` drops the
    cell holding it, or the prose up to and including it."""
    if "\t" in text:
        return [c.strip() for c in text.split("\t") if not skip or skip not in c]
    if skip:
        text = text[text.index(skip) + len(skip):]
    return [s.strip().rstrip(".") for s in _SENTENCE.split(text) if s.strip()]


def lines_with(lines: list[str], wording: str) -> list[int]:
    """1-based numbers of the lines that contain ``wording``."""
    return [i for i, text in enumerate(lines, start=1) if wording in text]


def description(entry: Row | None, lines: list[str], own: int | None = None,
                name: str = "activities.csv") -> tuple[str, int | None]:
    """The report's own description of a line (``description``: one quote, or several
    separated by ' || ' where one label stands in reports of different years) and the line
    holding it: the table line ``own`` itself where the quote stands there (a label that
    describes itself), else the first line of ``lines`` holding it; ('', None) for a row
    without one. A quote found in none of the report's lines stops the run naming the
    crosswalk row."""
    quotes = [q.strip() for q in getattr(entry, "description", "").split(" || ")
              if q.strip()]
    for quote in quotes:
        hits = lines_with(lines, quote)
        if own in hits:
            return quote, own
        if hits:
            return quote, hits[0]
    if not quotes:
        return "", None
    raise CrosswalkError(f"description {quotes[0][:60]!r} is not in the report of line "
                         f"'{entry.report_label}'",
                         file=f"socialstudy/crosswalks/{name}", line=entry.line,
                         fix="quote the report's wording exactly (alternatives: ' || ')")


def locate_goal(lines: list[str], entry: Row, others: list[str], levels: list
                ) -> tuple[int, str, int] | None:
    """(goal line, status wording, status line) of a goal keyed by its wording, or None
    when the wording is not in the report. The status is ``status_quote`` where the
    crosswalk gives one (a shared statement anywhere in the report), else the first cell
    or sentence after the goal – before the next goal or numbered heading – that matches
    ``status_cue`` and a goal_levels pattern. Occurrences of the wording without such a status
    (a list of
    goals, a table of contents) are passed over."""
    goal = entry.goal_text
    for goal_line in lines_with(lines, goal):
        if entry.status_quote:
            quoted = lines_with(lines, entry.status_quote)
            if not quoted:
                raise CrosswalkError(
                    f"status_quote {entry.status_quote[:60]!r} is not in the report",
                    file="socialstudy/crosswalks/goal_assessments.csv",
                    line=entry.line, fix="quote the report's wording exactly")
            return goal_line, entry.status_quote, quoted[0]
        found = _status_after(lines, goal_line, goal, others, entry.status_cue, levels)
        if found:
            return (goal_line,) + found
    return None


def _status_after(lines: list[str], goal_line: int, goal: str, others: list[str], cue: str,
                  levels: list) -> tuple[str, int] | None:
    for number in range(goal_line, len(lines) + 1):
        text = lines[number - 1]
        if number > goal_line and (_NUMBERED_HEADING.match(text)
                                   or any(other in text for other in others)):
            return None
        for segment in segments(text, goal if number == goal_line else ""):
            if re.search(cue, segment) and any(p.search(segment) for p, _, _ in levels):
                return segment, number
    return None
