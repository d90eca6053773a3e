"""Which table rows of a report name a committee, and which of them names the study's own
committee, a social-services committee. The review proposes a committee's total only
from a row that names it – its name as ``socialstudy/reference/finance_phrases.yaml``
declares it (``own``: *Socialnämnden*, *Social- och äldrenämnden*, …) – never another
committee's row: Gnesta's 2013 operating statement (tests/fixtures/real/
gnesta_2013_ar_drift) names Kommunstyrelsen (line 12), Miljö- och byggnämnden (line 20)
and Barn- och utbildningsnämnden (line 26), none of them social, so nothing of it is the
social committee's total. When no row names it, the review says so in one sentence and
lists the committee rows the report does have, each with its line, and the fix."""

from __future__ import annotations

import re

import pandas as pd

from socialstudy.tools.review_prose import OWN

COMMITTEE = re.compile(r"(?i)nämnd(en)?(\s+totalt)?$")
BOARD = re.compile(r"(?i)styrelsen?(\s+totalt)?$")  # 'Kommunstyrelsen' heads a block too
DECLARED = "`own` in socialstudy/reference/finance_phrases.yaml"

Rows = list[tuple[str, int]]


def names_committee(label: str) -> bool:
    """A label that names a committee itself ('Socialnämnd', 'Summa socialnämnden',
    'Vård- och omsorgsnämnden totalt'): the committee's total row, never an activity."""
    text = _bare(label)
    return bool(COMMITTEE.search(text) or re.match(r"(?i)summa\b.*nämnd", text))


def names_social(label: str) -> bool:
    """A label that names the study's committee (a social-services committee) as the
    declaration ``own`` spells it."""
    return names_committee(label) and bool(OWN.search(_bare(label)))


def _bare(label: str) -> str:
    return label.strip().rstrip("*: ").strip()


def total_line(rows: Rows) -> int | None:
    """Line of the social committee's total among a table's (label, line) rows: the last
    row naming it (its own-costs row, e.g. 'Socialnämnd' above 'Socialnämnden', stands
    above it and stays an activity). None when no row names it: another committee's row
    is never proposed as the social committee's total (``why_no_total`` says why)."""
    return max((line for label, line in rows if names_social(label)), default=None)


def committee_rows(rows: Rows) -> Rows:
    """(label, line) of every row naming a committee or a board, by line, each once."""
    return sorted({(label, int(line)) for label, line in rows
                   if names_committee(label) or BOARD.search(_bare(label))},
                  key=lambda r: (r[1], r[0]))


def table_rows(facts: pd.DataFrame) -> Rows:
    """(label, line) of every row of every table the run read in the report."""
    table = facts[facts.source_kind == "table"][["row_label", "source_line"]]
    return [(label, int(line)) for label, line in table.drop_duplicates().itertuples(
        index=False)]


def why_no_total(rows: Rows) -> str | None:
    """The sentence (and its fix) for rows that name committees, none of them the social
    committee; None when a row names it or no row names any committee."""
    named = committee_rows(rows)
    if not named or any(names_social(label) for label, _ in named):
        return None
    where = ", ".join(f"{line} ({label})" for label, line in named)
    lines = "lines" if len(named) > 1 else "line"
    return (f"no row names a social-services committee (none matches the names declared "
            f"as {DECLARED}); the report's committee rows are at {lines} {where}, so none is "
            "proposed as the committee's total. If the report is not a "
            "social-services committee's, add the pages that hold the committee's rows or "
            "remove it from data/raw/reports.yml; if one of these rows is the committee's "
            "own, add it to activities.csv with category total; if the committee goes by "
            "another name, add that name to `own`")
