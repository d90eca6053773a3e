"""Figures that exist only in running prose (e.g. "Personalomsättningen … uppgår till
11,9 procent"). Each is anchored in ``crosswalks/prose_facts.csv`` by municipality,
document type and a wording template whose number is a slot (``uppgår till {n} procent``);
the code finds the sentence in every report of that committee, parses the number from the
slot and takes the year relative to the report, so next year's report with the same wording
needs no edit (years in row_label, scope and definition may be slots too: "vs {year-1}"). A
wording found twice in one report stops the run; a wording not found is
returned as unmatched, for the review to show."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from socialstudy.core.registry import Report
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.crosswalks.wording import LineIndex, Wording, compile_wording, render_years
from socialstudy.errors import CrosswalkError, NumberFormatError
from socialstudy.extract.forecasts import supersede
from socialstudy.extract.numbers import format_decimal, parse_number
from socialstudy.extract.rows import Fact
from socialstudy.extract.tables import read_lines

CROSSWALK = "socialstudy/crosswalks/prose_facts.csv"
MONEY = {"mnkr": Decimal(1000), "mkr": Decimal(1000), "tkr": Decimal(1)}
# Prose states direction in words ("underskott på 35,5", "minskning med 0,6"), not with a
# sign: deficits and decreases turn negative (budget deviation: positive = better).
DIRECTION = {"": 1, "surplus": 1, "increase": 1, "deficit": -1, "decrease": -1}


def anchored_line(report: Report, lines: list[str], line_no: int, quote: str,
                  crosswalk: str, crosswalk_line: str) -> str:
    """The raw line ``line_no``, after checking that ``quote`` stands on it (goal anchors)."""
    if not 1 <= line_no <= len(lines) or quote not in lines[line_no - 1]:
        raise CrosswalkError(
            f"quote {quote[:60]!r} is not on line {line_no} of {report.file}",
            file=f"socialstudy/crosswalks/{crosswalk}", line=int(crosswalk_line),
            fix=f"copy the exact text from data/raw/{report.file} and cite its line")
    return lines[line_no - 1]


def _fail(row, problem: str, fix: str | None = None) -> CrosswalkError:
    return CrosswalkError(problem, file=CROSSWALK, line=row.line, fix=fix)


def load_prose_rows() -> tuple:
    """Crosswalk rows (``specs.yml`` refuses a repeated wording), checked: each has a
    known direction and year offset, and its wording compiles (``wordings``)."""
    rows = read_crosswalk("prose_facts.csv")
    for row in rows:
        if row.direction not in DIRECTION or row.year_offset not in ("0", "-1") \
                or row.unit != row.unit.strip():
            raise _fail(row, "direction must be one of "
                        f"{sorted(d for d in DIRECTION if d)} or empty, year_offset 0 or -1")
        wordings(row)
    return rows


@cache
def wordings(row) -> tuple[Wording, Wording | None]:
    """A row's compiled wording and context (None where it has none), compiled once."""
    try:
        return (compile_wording(row.wording),
                compile_wording(row.context, number_slot=False) if row.context else None)
    except ValueError as exc:
        raise _fail(row, f"wording: {exc}") from None


def match_report(report: Report, rows: list | None = None,
                 lines: list[str] | None = None) -> tuple[list[Fact], list]:
    """(facts, unmatched crosswalk rows) of one report. Rows of other committees or
    document types are ignored; a row whose wording stands twice raises CrosswalkError."""
    rows = load_prose_rows() if rows is None else rows
    mine = [r for r in rows if r.municipality == report.municipality
            and r.document_type == report.document_type]
    if not mine:
        return [], []
    lines = read_lines(report.path) if lines is None else lines
    index = LineIndex(lines)
    facts, unmatched = [], []
    for row in mine:
        found = _find(row, index, report)
        if found is None:
            unmatched.append(row)
        else:
            facts.append(_fact(row, report, *found))
    return supersede(facts, lines), unmatched


def _find(row, index: LineIndex, report: Report) -> tuple[str, str, int, int] | None:
    """(matched text, number text, line, column) of the row's one place in the report."""
    wording, context = wordings(row)
    hits = wording.find(index.text, report.fiscal_year)
    if context is not None:
        lines = {index.locate(m.start())[0]
                 for m in context.find(index.text, report.fiscal_year)}
        hits = [m for m in hits if index.locate(m.start())[0] in lines]
    if not hits:
        return None
    places = [index.locate(m.start("n")) for m in hits]
    if len(hits) > 1:
        raise _fail(row, f"wording {wording.text[:60]!r} stands {len(hits)} times in "
                    f"{report.file} (lines {', '.join(str(p[0]) for p in places)})",
                    fix="quote more of the sentence, or add a 'context' wording found only "
                        "on the intended line")
    line, col = places[0]
    return hits[0].group(0), hits[0].group("n"), line, col


def _fact(row, report: Report, quote: str, number: str, line: int, col: int) -> Fact:
    try:
        parsed = parse_number(number)
    except NumberFormatError as exc:  # the slot only matches numbers; kept for safety
        raise _fail(row, f"number {number!r} in {report.file}:{line}: {exc.problem}") from None
    value, unit = parsed.value * DIRECTION[row.direction], row.unit
    text = {c: render_years(getattr(row, c), report.fiscal_year) for c in ("row_label", "scope",
                                                                  "definition")}
    if unit in MONEY:
        value, unit = value * MONEY[unit], "tkr"
    return Fact(
        doc_id=report.doc_id, municipality=report.municipality,
        fiscal_year=report.fiscal_year + int(row.year_offset), period=row.period,
        table_id="", row_label=text["row_label"], column_label="", measure=row.variable,
        basis="", value=format_decimal(value), unit=unit, printed_unit=row.unit,
        decimals=parsed.decimals, footnote="", source_kind="prose", source_file=report.file,
        source_line=line, source_col=col, raw=quote, topic=row.topic, scope=text["scope"],
        definition=text["definition"])

