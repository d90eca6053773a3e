"""Damaged cells on rows the study uses: a cell of such a row that could not be read (a
reject of ``rejects.csv``: a tab inside a number, a ragged row, a word in a number) makes
the comparison row it would have fed say *not reported — cell at line L could not be
read: reason* (so does a cost-type line that prints no value for one of its table's
years: a lost cell), never a silent gap and never a shifted value; and the run ends with one
line per affected table (``measures/run_summary.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd

REJECTS = "rejects.csv"
HEADER = "header at line "  # a reject of every value of a table whose header is unreadable


def load_rejects(processed: Path) -> pd.DataFrame:
    """``rejects.csv`` of an output tree (empty when the tree has none yet)."""
    path = processed / REJECTS
    if not path.exists():
        return pd.DataFrame(columns=["doc_id", "table_id", "source_file", "source_line",
                                     "row_label", "raw", "reason"])
    return pd.read_csv(path, dtype=str, keep_default_na=False)


class Unreadable(NamedTuple):
    doc_id: str
    row_label: str
    source_file: str
    source_line: str
    raw: str
    reason: str
    table_id: str = ""


class Records(tuple):
    """Immutable records that ride along in a frame's ``attrs``, shared, not copied: pandas
    deep-copies ``attrs`` into every frame or column an operation returns (each ``facts.x``),
    and copying some forty named tuples made a column read eight times slower."""

    def __deepcopy__(self, memo) -> Records:
        return self


def as_records(rejects: pd.DataFrame) -> Records:
    """Rejects as plain tuples, to ride along with the facts in ``facts.attrs`` (pandas
    compares attrs when it combines frames, which a DataFrame there would break)."""
    tables = rejects.table_id if "table_id" in rejects else [""] * len(rejects)
    return Records(Unreadable(*values) for values in zip(
        rejects.doc_id, rejects.row_label, rejects.source_file, rejects.source_line,
        rejects.raw, rejects.reason, tables))


def reason(rejects: tuple[Unreadable, ...] | None, doc_id: str, labels: set[str]
           ) -> str | None:
    """'not reported — cell at line L could not be read: reason' for the first damaged
    cell of a row labelled one of ``labels`` in ``doc_id``; None when none is damaged."""
    for hit in rejects or ():
        if hit.doc_id == doc_id and hit.row_label.strip() in labels:
            return text(hit)
    return None


def text(hit: Unreadable) -> str:
    """'not reported — cell at line L could not be read (file, printed 'x'): reason', or
    'not reported — header at line L could not be read: … (file, line L prints 'x')'."""
    if hit.reason.startswith(HEADER):
        return (f"not reported — {hit.reason} ({hit.source_file}, line {hit.source_line} "
                f"prints {hit.raw!r})")
    return (f"not reported — cell at line {hit.source_line} could not be read "
            f"({hit.source_file}, printed {hit.raw!r}): {hit.reason}")


def unread_header(facts: pd.DataFrame, report, crosswalk: dict, chosen: pd.DataFrame
                  ) -> list[tuple[object, dict]]:
    """(crosswalk entry, row fields) of each crosswalked line of this report's table whose
    header could not be read, when that table holds more of the crosswalk's labels than
    ``chosen`` (the table the comparison would use instead): its lines say 'not reported',
    never another table's lines in their place."""
    labels = {label for muni, label in crosswalk if muni == report.municipality}
    tables: dict[str, dict[str, Unreadable]] = {}
    for hit in facts.attrs.get("rejects") or ():
        if hit.doc_id == report.doc_id and hit.reason.startswith(HEADER) \
                and hit.row_label.strip() in labels:
            tables.setdefault(hit.table_id, {}).setdefault(hit.row_label.strip(), hit)
    lost = max(tables.values(), key=len, default={})
    if len(lost) <= chosen.row_label.nunique():
        return []
    return [(crosswalk[(report.municipality, label)], {
        "fiscal_year": report.fiscal_year, "period": report.period, "report_label": label,
        "source_kind": "table", "source_file": hit.source_file, "source_line": int(hit.source_line),
        "raw": hit.raw, "reason": text(hit)}) for label, hit in sorted(lost.items())]


def unreadable_lines(rejects: tuple[Unreadable, ...] | None, doc_id: str, table_id: str,
                     labels: set[str]) -> dict[tuple[int, str], Unreadable]:
    """{(line, label): first damaged cell} of the rows of one table labelled one of
    ``labels`` (a cost type's row whose cells could not be read)."""
    found: dict[tuple[int, str], Unreadable] = {}
    for hit in rejects or ():
        label = hit.row_label.strip()
        if hit.doc_id == doc_id and hit.table_id == table_id and label in labels:
            found.setdefault((int(hit.source_line), label), hit)
    return found


def unreadable_rows(facts: pd.DataFrame, table: pd.DataFrame, municipality: str,
                    crosswalk: dict) -> list[tuple]:
    """(fact, crosswalk entry, label, line, damaged cell) for each year of ``table`` (one
    report's cost-type table) and each of its crosswalked lines whose cell for that year
    could not be read: the rows a comparison writes as 'not reported'."""
    labels = {label for muni, label in crosswalk if muni == municipality}
    hits = unreadable_lines(facts.attrs.get("rejects"), table.doc_id.iloc[0],
                            table.table_id.iloc[0], labels)
    hits = {**_retyped_lines(facts, table, labels), **_short_lines(table, labels), **hits}
    return [(fact, crosswalk[(municipality, label)], label, line, hit)
            for (line, label), hit in hits.items()
            for fact in table.drop_duplicates(["fiscal_year", "period"]).itertuples()
            if table[(table.source_line == line) & (table.fiscal_year == fact.fiscal_year)].empty]


def _retyped_lines(facts: pd.DataFrame, table: pd.DataFrame, labels: set[str]
                   ) -> dict[tuple[int, str], Unreadable]:
    """{(line, crosswalk label): cell} of a crosswalked label the table does not print
    where one of its rows prints a label no crosswalk names and that label is close to it
    and to no other ('Lokalerx' for 'Lokaler'): a retyped label, whose line would
    otherwise leave the comparison in silence."""
    import difflib
    missing = sorted(labels - set(table.row_label.str.strip()))
    mine = facts[(facts.table_id == table.table_id.iloc[0]) & (facts.source_kind == "table")]
    found = {}
    for line, rows in mine[~mine.row_label.str.strip().isin(labels)].groupby("source_line"):
        first = rows.iloc[0]
        close = difflib.get_close_matches(first.row_label.strip(), missing, n=2, cutoff=0.8)
        if len(close) == 1:
            found[(int(line), close[0])] = Unreadable(
                first.doc_id, close[0], first.source_file, str(line), first.row_label,
                f"the line prints {first.row_label!r}, which no crosswalk row names; the "
                f"table prints no {close[0]!r}, so it is taken for that line retyped and "
                "none of its values is used", first.table_id)
    return found


def _short_lines(table: pd.DataFrame, labels: set[str]) -> dict[tuple[int, str], Unreadable]:
    """{(line, label): cell} of the crosswalked lines that print no value for a year the
    other lines of the table give: a lost cell (the values after it moved one column left)."""
    years = set(zip(table.fiscal_year, table.period))
    found = {}
    for line, rows in table[table.row_label.str.strip().isin(labels)].groupby("source_line"):
        if set(zip(rows.fiscal_year, rows.period)) < years:
            first = rows.iloc[0]
            found[(int(line), first.row_label.strip())] = Unreadable(
                first.doc_id, first.row_label, first.source_file, str(line),
                " | ".join(rows.raw), "the line prints fewer values than the table has years, "
                "so a cell is missing and the values after it may stand in the wrong columns",
                first.table_id)
    return found


# the finance_tables measures each revenue_dependence measure is computed from
REVENUE_SOURCES = {"revenue_tkr": ("revenue_total",), "gross_cost_tkr": ("cost_total",),
                   "revenue_share_of_gross_cost_pct": ("revenue_total", "cost_total"),
                   "grants_tkr": ("grants",),
                   "grants_share_of_gross_cost_pct": ("grants", "cost_total"),
                   "revenue_change_tkr": ("revenue_total",),
                   "revenue_change_pct": ("revenue_total",)}


def revenue_reason(facts: pd.DataFrame, report, measure: str) -> str | None:
    """'not reported — cell at line L could not be read: …' when a row a revenue measure
    is computed from has a damaged cell in this report."""
    from socialstudy.measures.finance_anchors import labels_of
    labels = labels_of(report.municipality, REVENUE_SOURCES.get(measure, ()))
    return reason(facts.attrs.get("rejects"), report.doc_id, labels)
