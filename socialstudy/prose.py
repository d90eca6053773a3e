"""Figures that exist only in running prose (e.g. "Personalomsättningen … uppgår till
11,9 procent"). Each is anchored in ``crosswalks/prose_facts.csv`` by its line and an
exact quote; the number is parsed from the quote, never typed in, and a quote that is not
on its cited line stops the run."""

from __future__ import annotations

from decimal import Decimal

from .crosswalk import read_crosswalk
from .errors import CrosswalkError, NumberFormatError
from .extract import read_lines
from .numbers import format_decimal, parse_number
from .registry import Report, by_doc_id

COLUMNS = ("doc_id", "source_line", "quote", "number_text", "topic", "variable", "row_label",
           "unit", "fiscal_year", "period", "scope", "definition")
MONEY = {"mnkr": Decimal(1000), "mkr": Decimal(1000), "tkr": Decimal(1)}


DIRECTION = {"[deficit]": -1, "[decrease]": -1, "[surplus]": 1, "[increase]": 1}


def direction_sign(definition: str) -> int:
    """Prose states direction in words ("underskott på 35,5", "minskning med 0,6"), not with
    a sign; the anchor records it as a leading tag, so deficits and decreases turn negative
    (budget deviation: positive = better than budget)."""
    tag = definition.split(" ", 1)[0]
    return DIRECTION.get(tag, 1)


def anchored_line(report: Report, lines: list[str], line_no: int, quote: str,
                  crosswalk: str, crosswalk_line: str) -> str:
    """The raw line ``line_no``, after checking that ``quote`` stands on it."""
    if not 1 <= line_no <= len(lines) or quote not in lines[line_no - 1]:
        raise CrosswalkError(
            f"quote {quote[:60]!r} is not on line {line_no} of {report.file}",
            file=f"socialstudy/crosswalks/{crosswalk}", line=int(crosswalk_line),
            fix=f"copy the exact text from data/raw/{report.file} and cite its line")
    return lines[line_no - 1]


def load_prose_rows() -> list[dict[str, str]]:
    return read_crosswalk("prose_facts.csv", COLUMNS)


def prose_facts(reports: list[Report]) -> list[dict]:
    """Facts with ``source_kind='prose'`` for the reports given."""
    docs = by_doc_id(reports)
    lines_of: dict[str, list[str]] = {}
    facts = []
    for row in load_prose_rows():
        report = docs.get(row["doc_id"])
        if report is None:
            continue
        lines = lines_of.setdefault(report.doc_id, read_lines(report.path))
        line_no = int(row["source_line"])
        text = anchored_line(report, lines, line_no, row["quote"], "prose_facts.csv",
                             row["_line"])
        if row["number_text"] not in row["quote"]:
            raise CrosswalkError(f"number_text {row['number_text']!r} is not in its quote",
                                 file="socialstudy/crosswalks/prose_facts.csv",
                                 line=int(row["_line"]), fix="cite the number as printed")
        try:
            parsed = parse_number(row["number_text"])
        except NumberFormatError as exc:
            raise CrosswalkError(f"number_text {row['number_text']!r}: {exc.problem}",
                                 file="socialstudy/crosswalks/prose_facts.csv",
                                 line=int(row["_line"])) from None
        value, unit = parsed.value * direction_sign(row["definition"]), row["unit"]
        if unit in MONEY:
            value, unit = value * MONEY[unit], "tkr"
        facts.append({
            "doc_id": report.doc_id, "municipality": report.municipality,
            "fiscal_year": int(row["fiscal_year"]), "period": row["period"],
            "table_id": "", "row_label": row["row_label"], "column_label": "",
            "measure": row["variable"], "basis": "", "value": format_decimal(value),
            "unit": unit, "printed_unit": row["unit"], "decimals": parsed.decimals,
            "footnote": "", "source_kind": "prose", "source_file": report.file,
            "source_line": line_no,
            "source_col": text.index(row["quote"]) + row["quote"].index(row["number_text"]) + 1, "raw": row["quote"],
            "note": f"{row['topic']} | scope: {row['scope']} | {row['definition']}"})
    return facts
