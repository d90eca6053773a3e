"""Tables -> tidy facts. One fact per numeric cell, with its year, period, measure, unit
(money always in tkr), printed sign and provenance. Cells that look numeric but are not
numbers become rejects; nothing is dropped silently."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .crosswalk import read_crosswalk
from .errors import NumberFormatError
from .extract import YEAR, Row, Table
from .numbers import clean_label, format_decimal, looks_numeric, parse_number
from .registry import Report

MONEY_FACTOR = {"tkr": Decimal(1), "mnkr": Decimal(1000), "mkr": Decimal(1000)}
PERCENT_HINT = re.compile(r"%|procent|\bandel\b", re.I)
JAN_APR = re.compile(r"2020\s*01\s*-\s*2020\s*04|\d{4}01-\d{4}04|jan\w*\s*-\s*apr", re.I)
FULL_YEAR = re.compile(r"jan\w*\s*-\s*dec|helår", re.I)
RANGE = re.compile(r"((?:19|20)\d{2})\s*-\s*((?:19|20)\d{2})(?!\d)")
YEAR_ONLY = re.compile(r"\s*(?:19|20)\d{2}\s*\**\s*")
PREVIOUS_YEAR = re.compile(r"föregående år", re.I)

FACT_COLUMNS = ["doc_id", "municipality", "fiscal_year", "period", "table_id", "row_label",
                "column_label", "measure", "basis", "value", "unit", "printed_unit",
                "decimals", "footnote", "source_kind", "source_file", "source_line",
                "source_col", "raw", "note"]
REJECT_COLUMNS = ["doc_id", "table_id", "source_file", "source_line", "source_col",
                  "row_label", "column_label", "raw", "reason"]
CELL_COLUMNS = ["doc_id", "table_id", "source_line", "source_col", "role", "raw"]
ISSUE_COLUMNS = ["check", "doc_id", "table_id", "source_line", "row_label", "column_label",
                 "expected", "actual", "difference", "tolerance", "status", "note"]


@dataclass
class Overrides:
    unit: str = ""
    columns: list[str] = field(default_factory=list)
    totals: dict[int, list[int]] = field(default_factory=dict)
    why: str = ""


def load_overrides() -> dict[tuple[str, int], Overrides]:
    result = {}
    for row in read_crosswalk("table_overrides.csv", ("doc_id", "first_line", "unit", "columns",
                                                       "totals", "why")):
        totals: dict[int, list[int]] = {}
        for spec in filter(None, row["totals"].split(";")):
            total, _, parts = spec.partition("=")
            totals[int(total)] = _line_list(parts)
        result[(row["doc_id"], int(row["first_line"]))] = Overrides(
            unit=row["unit"], columns=[c for c in row["columns"].split("|") if c],
            totals=totals, why=row["why"])
    return result


def _line_list(spec: str) -> list[int]:
    lines: list[int] = []
    for part in filter(None, spec.split("+")):
        lo, _, hi = part.partition("-")
        lines.extend(range(int(lo), int(hi or lo) + 1))
    return lines


def load_measures() -> list[tuple[re.Pattern, str, str]]:
    return [(re.compile(r["pattern"], re.I), r["applies_to"], r["measure"])
            for r in read_crosswalk("measures.csv", ("pattern", "applies_to", "measure"))]


def header_columns(table: Table, override: Overrides | None) -> list[list[str]]:
    """For each value column, its header cells from the top row down, with spanning
    cells (an empty cell right of a filled one in the same header row) filled in."""
    n = table.n_cols
    if override and override.columns:
        return [[label] for label in override.columns] + [[] for _ in range(n - 1 - len(override.columns))]
    columns: list[list[str]] = [[] for _ in range(n - 1)]
    for row in table.header:
        cells = [clean_label(c) for c in row.cells[1:]]  # printed cells only: a ragged
        last = ""                                        # body cell gets no label
        for j, text in enumerate(cells):
            if text:
                last = text
            elif last:
                text = last
            if text:
                columns[j].append(text)
    return columns


def classify_measure(column_cells: list[str], row_label: str,
                     measures: list[tuple[re.Pattern, str, str]]) -> str:
    """Measure from the row label (rare) or the most specific header cell that names one."""
    for pattern, applies, measure in measures:
        if applies == "row" and pattern.search(row_label):
            return measure
    worded = [c for c in column_cells if not YEAR_ONLY.fullmatch(c)]
    for cell in list(reversed(worded)) + list(reversed(column_cells)):
        for pattern, applies, measure in measures:
            if applies == "column" and pattern.search(cell):
                return measure
    return "unclassified"


def resolve_year(column_cells: list[str], measure: str, table_years: list[int],
                 report: Report) -> tuple[int, str]:
    """(fiscal_year, period) a column refers to; see the notebook 01 for the rules."""
    label = " | ".join(column_cells)
    period = ""
    if JAN_APR.search(label):
        period = "jan_apr"
    elif FULL_YEAR.search(label):
        period = "full_year"
    if measure in ("change", "change_pct"):
        year = max(table_years, default=report.fiscal_year)
    elif PREVIOUS_YEAR.search(label):
        year = report.fiscal_year - 1
    else:
        year = None
        for cell in reversed(column_cells):
            span = RANGE.search(cell)
            if span and not JAN_APR.search(cell):
                year, period = int(span.group(2)), "multi_year"
                break
            found = YEAR.findall(cell)
            if found:
                year = int(found[0])
                break
        if year is None:
            year = report.fiscal_year
    if not period:
        if measure in ("budget", "forecast", "target") or report.is_full_year:
            period = "full_year"
        elif year == report.fiscal_year:
            period = report.period
        else:
            period = "unspecified"
    return year, period


def _basis(label: str) -> str:
    low = label.lower()
    for word, basis in (("intäkter", "revenue"), ("kostnader", "cost"), ("netto", "net")):
        if word in low:
            return basis
    return ""


def _cell_unit(parsed_percent: bool, row_label: str, column_label: str, table_unit: str) -> str:
    if parsed_percent or PERCENT_HINT.search(column_label) or re.search(
            r"\(%\)|procent|^andel|\bandel\b", row_label, re.I):
        return "percent"
    if re.search(r"kr/inv", row_label, re.I):
        return "sek_per_inhabitant"
    if table_unit in MONEY_FACTOR:
        return table_unit
    if re.search(r"i kronor", row_label, re.I):
        return "sek"
    return "number"


@dataclass
class CleanResult:
    facts: list[dict] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)
    cells: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)


def clean_table(table: Table, report: Report, result: CleanResult,
                overrides: dict[tuple[str, int], Overrides],
                measures: list[tuple[re.Pattern, str, str]]) -> None:
    """Append one table's facts, rejects, cell inventory and issues to ``result``."""
    override = overrides.get((report.doc_id, table.first_line))
    unit = (override.unit if override and override.unit else table.unit)
    table.unit = unit
    columns = header_columns(table, override)
    header_text = " ".join(" ".join(c) for c in columns)
    table_years = [int(y) for y in YEAR.findall(header_text)]
    n_header = max((len(r.cells) for r in table.header), default=0)

    for row in table.rows:
        for j, raw in enumerate(row.cells):
            if raw.strip():
                if row.kind in ("header", "rule"):
                    role = row.kind
                else:
                    role = "label" if j == 0 else "value"
                result.cells.append(_cell(report, table, row.line, j, role, raw))
    if table.kind == "toc":
        result.issues.append(_issue("table_of_contents", report, table, table.first_line, "", "",
                                    note="page numbers of the table of contents are not data"))
        return

    body = [r for r in table.body if r.kind in ("body", "continuation")]
    for idx, row in enumerate(body):
        if row.kind == "continuation":
            continue
        nxt = body[idx + 1] if idx + 1 < len(body) and body[idx + 1].kind == "continuation" else None
        if n_header and len(row.cells) > n_header and any(
                c.strip() for c in row.cells[n_header:]):
            result.issues.append(_issue(
                "ragged_row", report, table, row.line, row.label, "",
                note=f"{len(row.cells)} cells but the header has {n_header}; extra cells "
                     "have no column label"))
        for j, raw in enumerate(row.cells[1:], start=1):
            cont = nxt.cells[j] if nxt is not None and j < len(nxt.cells) else ""
            text = f"{raw} {cont.strip()}" if cont.strip() else raw
            if not looks_numeric(text) or not raw.strip():
                continue
            column_cells = columns[j - 1] if j - 1 < len(columns) else []
            column_label = " | ".join(column_cells)
            try:
                parsed = parse_number(text)
            except NumberFormatError as exc:
                result.rejects.append({
                    "doc_id": report.doc_id, "table_id": table.table_id,
                    "source_file": report.file, "source_line": row.line, "source_col": j,
                    "row_label": row.label, "column_label": column_label, "raw": raw,
                    "reason": exc.problem})
                continue
            measure = classify_measure(column_cells, row.label, measures)
            year, period = resolve_year(column_cells, measure, table_years, report)
            cell_unit = _cell_unit(parsed.percent, row.label, column_label, unit)
            value = parsed.value
            if measure == "change" and cell_unit == "percent" and not parsed.percent:
                cell_unit = "percentage_points"
            if cell_unit in MONEY_FACTOR:
                value, cell_unit = value * MONEY_FACTOR[cell_unit], "tkr"
            result.facts.append({
                "doc_id": report.doc_id, "municipality": report.municipality,
                "fiscal_year": year, "period": period, "table_id": table.table_id,
                "row_label": row.label, "column_label": column_label, "measure": measure,
                "basis": _basis(column_label), "value": format_decimal(value),
                "unit": cell_unit, "printed_unit": "%" if parsed.percent else (unit or ""),
                "decimals": parsed.decimals, "footnote": parsed.footnote,
                "source_kind": "table", "source_file": report.file, "source_line": row.line,
                "source_col": j, "raw": raw if not cont.strip() else f"{raw}\n{cont}",
                "note": f"number wrapped onto line {nxt.line}" if cont.strip() else ""})
    if not table.header:
        result.issues.append(_issue("no_header", report, table, table.first_line, "", "",
                                    note="table has no header row; its facts have measure "
                                         "'unclassified'"))
    for j, column_cells in enumerate(columns, start=1):
        if column_cells and classify_measure(column_cells, "", measures) == "unclassified" \
                and any(f["table_id"] == table.table_id and f["source_col"] == j
                        and f["measure"] == "unclassified" for f in result.facts):
            result.issues.append(_issue(
                "unknown_header", report, table, table.header[0].line if table.header else
                table.first_line, "", " | ".join(column_cells),
                note="column header not in measures.csv; its facts have measure "
                     "'unclassified' (reported, not guessed)"))


def _cell(report: Report, table: Table, line: int, col: int, role: str, raw: str) -> dict:
    return {"doc_id": report.doc_id, "table_id": table.table_id, "source_line": line,
            "source_col": col, "role": role, "raw": raw}


def _issue(check: str, report: Report, table: Table, line: int, row_label: str,
           column_label: str, *, expected: str = "", actual: str = "", difference: str = "",
           tolerance: str = "", status: str = "issue", note: str = "") -> dict:
    return {"check": check, "doc_id": report.doc_id, "table_id": table.table_id,
            "source_line": line, "row_label": row_label, "column_label": column_label,
            "expected": expected, "actual": actual, "difference": difference,
            "tolerance": tolerance, "status": status, "note": note}
