"""Tables -> tidy facts. One fact per numeric cell, with its year, period, measure, unit
(money always in tkr), printed sign and provenance. Cells that look numeric but are not
numbers become rejects; nothing is dropped silently."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from socialstudy.core.registry import Report
from socialstudy.errors import NumberFormatError
from socialstudy.extract.columns import (
    MONEY_FACTOR,
    PERCENT_HINT,
    ROW_PERCENT,
    basis,
    cell_unit,
    classify_measure,
    column_measure,
    header_columns,
    resolve_year,
    row_measure,
)
from socialstudy.extract.damaged import (
    header_width,
    is_ragged,
    ragged_rejects,
    ragged_rows,
    wrapped_rows,
)
from socialstudy.extract.forecast_columns import forecast_deviations
from socialstudy.extract.label_case import recased
from socialstudy.extract.numbers import Parsed, format_decimal, looks_numeric, parse_number
from socialstudy.extract.overrides import Overrides
from socialstudy.extract.row_arithmetic import shifted_rows
from socialstudy.extract.rows import Cell, Fact, Issue, Reject
from socialstudy.extract.split_header import header_rejects, read_split_header
from socialstudy.extract.tables import YEAR, Row, Table

_PRINTED = {"pp": "percentage_points"}


@dataclass
class CleanResult:
    """One table's (or the corpus's) rows, each list its own output table."""
    facts: list[Fact] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def extend(self, other: CleanResult) -> None:
        for name in ("facts", "rejects", "cells", "issues"):
            getattr(self, name).extend(getattr(other, name))


def clean_table(table: Table, report: Report, override: Overrides | None,
                measures: list[tuple[re.Pattern, str, str]]) -> CleanResult:
    """One table -> its cell inventory, facts, rejects and issues."""
    if override and override.unit:
        table.unit = override.unit
    result = CleanResult(cells=table_cells(table, report))
    if table.kind == "toc":
        result.issues.append(issue("table_of_contents", report, table, table.first_line,
                                   note="page numbers of the table of contents are not data"))
        return result
    split = read_split_header(table, report, override, measures)
    if split is not None and split.table is None:  # no value is read under a wrong column
        result.rejects, result.issues = header_rejects(table, report, split), [split.issue]
        return result
    table = split.table if split is not None else table
    columns = header_columns(table, override)
    result.facts, result.rejects = table_facts(table, report, columns, measures)
    result.facts = recased(result.facts, report.municipality)
    result.rejects += review_rejects(table, report)
    result.issues = [split.issue] if split is not None else []
    result.issues += (ragged_rows(table, report, _value_rows(table)) + header_issues(table, report)
                     + unknown_headers(table, report, columns, result.facts, measures))
    return result


def table_cells(table: Table, report: Report) -> list[Cell]:
    """Every non-empty cell with its role (header, rule, label, value)."""
    cells = []
    for row in table.rows:
        for j, raw in enumerate(row.cells):
            if raw.strip():
                role = row.kind if row.kind in ("header", "rule") else (
                    "label" if j == 0 else "value")
                cells.append(Cell(report.doc_id, table.table_id, row_line(row, j), j, role,
                                  raw))
    return cells


def row_line(row: Row, col: int) -> int:
    """The raw line of a cell: its own line in a one-cell-per-line table, else the row's."""
    return row.cell_lines[col] if row.cell_lines and col < len(row.cell_lines) else row.line


def review_rejects(table: Table, report: Report) -> list[Reject]:
    """Rows the layout reader could not split or place unambiguously: one reject each,
    naming the readings left; never a fact."""
    return [Reject(report.doc_id, table.table_id, report.file, row.line, 1, row.label, "",
                   " | ".join(row.cells[1:]) or row.cells[0], row.review)
            for row in table.rows if row.kind == "review"]


def _value_rows(table: Table) -> list[tuple[Row, Row | None]]:
    """Body rows with values, each with the continuation row that wraps its numbers."""
    body = [r for r in table.body if r.kind in ("body", "continuation")]
    return [(row, body[i + 1] if i + 1 < len(body) and body[i + 1].kind == "continuation"
             else None) for i, row in enumerate(body) if row.kind == "body"]


def table_facts(table: Table, report: Report, columns: list[list[str]],
                measures: list[tuple[re.Pattern, str, str]]
                ) -> tuple[list[Fact], list[Reject]]:
    """A fact for every value cell that parses, a reject (with the reason) for every other
    numeric-looking one."""
    table_years = [int(y) for y in YEAR.findall(" ".join(" ".join(c) for c in columns))]
    by_column = forecast_deviations(table, [column_measure(cells, measures)
                                            for cells in columns])  # once per column
    facts, rejects, years = [], [], {}  # years: (column, measure) -> (year, period)
    n_header = header_width(table)
    wrapped = {**shifted_rows(table, columns, by_column, n_header), **wrapped_rows(table)}
    for row, nxt in _value_rows(table):
        if is_ragged(row, n_header) or row.line in wrapped:
            rejects.extend(ragged_rejects(table, report, row, columns, n_header,
                                          wrapped.get(row.line, "")))
            continue
        by_row = row_measure(row.label, measures)
        for j, raw in enumerate(row.cells[1:], start=1):
            cont = nxt.cells[j].strip() if nxt is not None and j < len(nxt.cells) else ""
            text = f"{raw} {cont}" if cont else raw
            if not raw.strip() or not looks_numeric(text):
                continue
            column_cells = columns[j - 1] if j - 1 < len(columns) else []
            column_label = " | ".join(column_cells)
            try:
                parsed = parse_number(text)
            except NumberFormatError as exc:
                rejects.append(Reject(report.doc_id, table.table_id, report.file, row.line, j,
                                      row.label, column_label, raw, exc.problem))
                continue
            if _percent_in_money(parsed, table, row, column_label):
                rejects.append(Reject(report.doc_id, table.table_id, report.file, row.line, j,
                                      row.label, column_label, raw, PERCENT_IN_MONEY.format(
                                          unit=table.unit)))
                continue
            measure = by_row or (by_column[j - 1] if j - 1 < len(columns)
                                 else column_measure([], measures))
            if (j, measure) not in years:
                years[j, measure] = resolve_year(column_cells, measure, table_years, report)
            year, period = years[j, measure]
            facts.append(_fact(table, report, row, j, parsed, column_label, measure, year,
                               period, f"{raw}\n{nxt.cells[j]}" if cont else raw,
                               f"number wrapped onto line {nxt.line}" if cont else ""))
    return facts, rejects


PERCENT_IN_MONEY = ("a percent cell among amounts in a money table ({unit}): neither the "
                    "header nor the row label speaks of percent, so it is not used as an amount")


def _percent_in_money(parsed: Parsed, table: Table, row: Row, column_label: str) -> bool:
    """A cell printed with '%' or '%-enheter' in a row of amounts of a money table, where
    neither its header nor its label speaks of percent ('-54,5 %' in the outcome column of
    a tkr table): never an amount of 54.5 tkr. A row of percents (a key-figure table's
    sick leave) stays a row of percent facts."""
    return (table.unit in MONEY_FACTOR and (parsed.percent or parsed.unit == "pp")
            and not PERCENT_HINT.search(column_label) and not ROW_PERCENT.search(row.label)
            and any(_is_amount(cell) for cell in row.cells[1:]))


def _is_amount(cell: str) -> bool:
    try:
        parsed = parse_number(cell) if cell.strip() and looks_numeric(cell) else None
    except NumberFormatError:
        return False
    return parsed is not None and not parsed.percent and parsed.unit != "pp"


def _fact(table: Table, report: Report, row: Row, col: int, parsed: Parsed,
          column_label: str, measure: str, year: int, period: str, raw: str,
          note: str) -> Fact:
    unit = cell_unit(parsed, row.label, column_label, table.unit)
    value = parsed.value
    if measure == "change" and unit == "percent" and not parsed.percent:
        unit = "percentage_points"
    if unit in MONEY_FACTOR:
        value, unit = value * MONEY_FACTOR[unit], "tkr"
    elif unit == "sek_in_money_table":
        value, unit = value / 1000, "tkr"
    printed = "%" if parsed.percent else (_PRINTED.get(parsed.unit, parsed.unit)
                                          or table.unit or "")
    return Fact(
        doc_id=report.doc_id, municipality=report.municipality, fiscal_year=year,
        period=period, table_id=table.table_id, row_label=row.label,
        column_label=column_label, measure=measure, basis=basis(column_label),
        value=format_decimal(value), unit=unit, printed_unit=printed,
        decimals=parsed.decimals, footnote=parsed.footnote, source_kind="table",
        source_file=report.file, source_line=row_line(row, col), source_col=col, raw=raw,
        note="; ".join(n for n in (note, row.repaired.get(col, "")) if n))


def header_issues(table: Table, report: Report) -> list[Issue]:
    if table.header:
        return []
    return [issue("no_header", report, table, table.first_line,
                  note="table has no header row; its facts have measure 'unclassified'")]


def unknown_headers(table: Table, report: Report, columns: list[list[str]],
                    facts: list[Fact], measures: list[tuple[re.Pattern, str, str]]
                    ) -> list[Issue]:
    """Columns whose header names no measure of measures.csv and whose facts are
    therefore 'unclassified' (looks only at this table's facts: linear in the corpus)."""
    unclassified = {f.source_col for f in facts if f.measure == "unclassified"}
    line = table.header[0].line if table.header else table.first_line
    return [issue("unknown_header", report, table, line, "", " | ".join(cells),
                  note="column header not in measures.csv; its facts have measure "
                       "'unclassified' (reported, not guessed)")
            for j, cells in enumerate(columns, start=1)
            if cells and j in unclassified
            and classify_measure(cells, "", measures) == "unclassified"]


def issue(check: str, report: Report, table: Table, line: int, row_label: str = "",
          column_label: str = "", **values: str) -> Issue:
    return Issue(check, report.doc_id, table.table_id, line, row_label, column_label,
                 **values)
