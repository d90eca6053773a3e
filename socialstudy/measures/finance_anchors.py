"""Where the finance measures find their numbers: prose wording templates and table rows
named in two crosswalks, keyed by municipality and the report's own words (never by line).

Code finds the line and checks it: a template that matches twice in one report, or not at
all in a report it was written for (``must_match_in``), stops the run naming the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import read_crosswalk, unmapped
from socialstudy.crosswalks.specs import Row
from socialstudy.crosswalks.wording import Wording, compile_wording
from socialstudy.errors import CrosswalkError, RawFileError
from socialstudy.extract.numbers import parse_number
from socialstudy.extract.prose import MONEY
from socialstudy.extract.tables import read_lines
from socialstudy.measures import tabular
from socialstudy.measures.filled import fill

PROSE = "finance_prose.csv"
TABLES = "finance_tables.csv"
NOT_REPORTED = "finance_not_reported.csv"


@dataclass(frozen=True)
class Anchor:
    """One prose figure found on its line: value in tkr (money) or the printed unit."""

    report: Report
    topic: str
    item: str
    year: int
    value: Decimal
    unit: str
    line: int
    quote: str
    definition: str


def prose_anchors(reports: list[Report], topic: str) -> list[Anchor]:
    """Every figure of ``topic`` that the crosswalk's templates find in ``reports``."""
    rows = [r for r in read_crosswalk(PROSE) if r.topic == topic]
    found = []
    for report in reports:
        lines = None
        for row in rows:
            if row.municipality != report.municipality:
                continue
            lines = lines if lines is not None else read_lines(report.path)
            anchor = _find(report, lines, row)
            if anchor is not None:
                found.append(anchor)
    return found


def _find(report: Report, lines: list[str], row: Row) -> Anchor | None:
    year = report.fiscal_year + int(row.year_offset)
    where = dict(file=f"socialstudy/crosswalks/{PROSE}", line=row.line)
    wording = _wording(row, where)
    hits = [(i, m) for i, text in enumerate(lines, start=1) for m in wording.find(text, year)]
    if len(hits) > 1:
        raise CrosswalkError(f"template matches {len(hits)} times in {report.file} (lines "
                             f"{', '.join(str(i) for i, _ in hits)})", **where,
                             fix="quote more of the sentence so that it matches once")
    if not hits:
        if report.doc_id in row.must_match_in.split(";"):
            raise CrosswalkError(f"template not found in {report.file}", **where,
                                 fix=f"copy the wording from data/raw/{report.file}")
        return None
    line, match = hits[0]
    number = match.groupdict().get("n")
    value = parse_number(number).value if number is not None else Decimal(row.stated_value)
    value *= -1 if row.sign == "-" else 1
    unit = row.unit
    if unit in MONEY:
        value, unit = value * MONEY[unit], "tkr"
    return Anchor(report, row.topic, row.item, year, value, unit, line, match.group(0),
                  row.definition)


def _wording(row: Row, where: dict) -> Wording:
    """The row's template as a wording (``crosswalks.wording``: ``{n}`` the number with its
    printed sign, ``{_}`` another number, ``{year}`` the fiscal year plus the row's
    ``year_offset``); a template without ``{n}`` needs the value its words state
    (``stated_value``)."""
    numbered = "{n}" in row.template
    if not numbered and not row.stated_value:
        raise CrosswalkError("template has no {n} slot and no stated_value", **where,
                             fix="add {n} where the number stands, or the value the words state")
    try:
        return compile_wording(row.template, number_slot=numbered, signed=True)
    except ValueError as exc:
        raise CrosswalkError(f"template: {exc}", **where,
                             fix="write the sentence as the report prints it, {n} once") from None


def table_rows(facts: pd.DataFrame, reports: list[Report], measure: str) -> pd.DataFrame:
    """Table facts of the rows the crosswalk names for ``measure``, one row per report.
    A label printed in several tables with the same values (a total repeated in a summary)
    is taken once; different values stop the run. A label repeated within one table is
    resolved by the crosswalk's ``occurrence`` (first | last)."""
    rows = [r for r in read_crosswalk(TABLES) if r.measure == measure]
    docs = {r.doc_id: r for r in reports}
    table = facts[(facts.source_kind == "table") & facts.doc_id.isin(docs)]
    at: dict[tuple, list[int]] = {}  # (municipality, label) -> positions: one pass, not one a row
    for position, key in enumerate(zip(table.municipality.to_numpy(),
                                       table.row_label.to_numpy())):
        at.setdefault(key, []).append(position)
    picked = []
    for row in rows:
        hits = table.iloc[at.get((row.municipality, row.report_label), [])]
        if row.column_pattern:
            hits = hits[hits.column_label.str.contains(row.column_pattern, regex=True)]
        unreadable = _unreadable_docs(facts, row)  # reported as 'not reported' instead
        require_rows(row, set(docs), set(hits.doc_id) | unreadable, TABLES)
        for doc_id, doc_hits in hits.groupby("doc_id"):
            scope = fill(row.scope, docs[doc_id],
                         dict(file=f"socialstudy/crosswalks/{TABLES}", line=row.line))
            picked.append(_one_row(doc_hits, row).assign(scope=scope))
    if not picked:
        return facts.iloc[0:0].assign(scope="")
    return pd.concat(picked).sort_values(["doc_id", "source_line", "source_col"],
                                         kind="mergesort").reset_index(drop=True)


def _unreadable_docs(facts: pd.DataFrame, row: Row) -> set[str]:
    """Reports in which the crosswalk row's label has a cell that could not be read."""
    return {r.doc_id for r in facts.attrs.get("rejects", ())
            if r.row_label.strip() == row.report_label.strip()}


def labels_of(municipality: str, measures: tuple[str, ...]) -> set[str]:
    """The printed labels finance_tables.csv names for ``measures`` of a municipality."""
    return {r.report_label.strip() for r in read_crosswalk(TABLES)
            if r.municipality == municipality and r.measure in measures}


def require_rows(row: Row, docs: set[str], found: set[str], crosswalk: str) -> None:
    """A crosswalk row written for a report (``must_match_in``) must find its figure there:
    a renamed label or a changed extraction stops the run instead of going missing."""
    for doc_id in sorted(set(row.must_match_in.split(";")) & docs - found):
        raise CrosswalkError(f"{row.report_label!r} ({row.municipality}) not found in "
                             f"the facts of {doc_id}", file=f"socialstudy/crosswalks/{crosswalk}",
                             line=row.line,
                             fix="check the label against data/processed/facts.csv")


def _one_row(hits: pd.DataFrame, row: Row) -> pd.DataFrame:
    where = dict(file=f"socialstudy/crosswalks/{TABLES}", line=row.line)
    tables = sorted(set(hits.table_id))
    first = hits[hits.table_id == tables[0]]
    for other in tables[1:]:
        again = hits[hits.table_id == other]
        if not _same_values(first, again):
            raise _disagree(row, first, again)
    lines = sorted(set(first.source_line))
    if len(lines) > 1:
        if row.occurrence not in ("first", "last"):
            raise CrosswalkError(f"label {row.report_label!r} stands on lines {lines} of "
                                 f"{tables[0]}", **where,
                                 fix="set occurrence to first or last (e.g. last for a total)")
        first = first[first.source_line == (lines[0] if row.occurrence == "first"
                                            else lines[-1])]
    return first


def _disagree(row: Row, one: pd.DataFrame, other: pd.DataFrame) -> RawFileError:
    """A label printed with different figures in two tables of a report: the error names
    the report's lines (where the fault is), not the crosswalk row that found them."""
    a, b = one.iloc[0], other.iloc[0]
    for x in one.itertuples():
        y = other[(other.fiscal_year == x.fiscal_year) & (other.measure == x.measure)]
        if len(y) and abs(abs(x.number) - abs(y.number.iloc[0])) > 1.5 * max(
                rounding_step(x.printed_unit, x.decimals),
                rounding_step(y.printed_unit.iloc[0], y.decimals.iloc[0])):
            a, b = x, y.iloc[0]
            break
    return RawFileError(
        f"{row.report_label!r} prints {a.raw!r} here ({a.fiscal_year}, {a.measure}) but "
        f"{b.raw!r} at line {b.source_line}: the report's two tables disagree",
        file=f"data/raw/{a.source_file}", line=int(a.source_line),
        fix="if the text was edited, restore it (reports.yml has its SHA-256); if the "
            "report really prints both, narrow socialstudy/crosswalks/finance_tables.csv:"
            f"{row.line} with column_pattern")


def _same_values(one: pd.DataFrame, other: pd.DataFrame) -> bool:
    """The same figures, up to sign and the printed rounding (a report may print a
    total as 501 534 in one table and 501 533 in another)."""
    def cells(hits):
        return {(y, m, c): (abs(n), rounding_step(u, d)) for y, m, c, n, u, d in zip(
            hits.fiscal_year, hits.measure, hits.column_label, hits.number, hits.printed_unit,
            hits.decimals)}
    a, b = cells(one), cells(other)
    return a.keys() == b.keys() and all(
        abs(a[k][0] - b[k][0]) <= 1.5 * max(a[k][1], b[k][1]) for k in a)


def rounding_step(printed_unit: str, decimals) -> float:
    """Rounding step of a printed amount in tkr (0,1 mnkr = 100 tkr)."""
    scale = 1000 if printed_unit in ("mnkr", "mkr") else 1
    return scale * 10 ** -int(decimals or 0)


def lacking(report: Report, measure: str, default: str, topic: str = "") -> dict[str, str]:
    """Status and reason of a row for a measure the report lacks: 'not reported' with the
    crosswalk's row for the measure, else its row for the whole ``topic`` (e.g.
    staffing_detail), else ``default`` (a report nobody has read for this measure yet) –
    or, for a committee the finance crosswalks do not cover yet, 'not mapped' with the
    reason 'not mapped yet – …' (the default would claim the report lacks it). Sentences
    read the status; they never tell the cases apart by the reason's words."""
    doc_id = report.doc_id
    reasons = {(r.doc_id, r.measure): r for r in read_crosswalk(NOT_REPORTED)}
    row = reasons.get((doc_id, measure)) or reasons.get((doc_id, topic))
    if row is not None and row.reason:  # a template: years, lines, numbers from here
        return {"status": tabular.NOT_REPORTED, "reason": fill(
            row.reason, report, dict(file=f"socialstudy/crosswalks/{NOT_REPORTED}",
                                     line=row.line))}
    names = (("staffing_detail.csv",) if topic == "staffing_detail"
             else ("finance_tables.csv", "finance_prose.csv"))
    why = unmapped(report.municipality, doc_id, *names)
    if why:
        return {"status": tabular.NOT_MAPPED, "reason": why}
    return {"status": tabular.NOT_REPORTED, "reason": default}
