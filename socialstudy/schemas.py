"""Declared schemas of the processed tables, and a checker that enforces them.

Every CSV under ``data/processed/`` has a schema here: its columns in order, each with a
type, a description, constraints (required, enum, pattern, minimum/maximum) and, where a
column holds a quantity, a ``unit`` note; the table has a title, a description and a
primary key. ``build.write_csv`` calls :func:`validate` before writing, so a table that
breaks its schema is never written, and ``datapackage.write_datapackage`` publishes the
same specs as a Frictionless Data Package.

A spec is a plain dict whose fields are Frictionless Table Schema field descriptors::

    register("cost_by_type", {
        "title": "Costs by type of cost",
        "description": "One row per municipality, year and type of cost ...",
        "primary_key": ["municipality", "fiscal_year", "cost_type"],
        "fields": [
            common("municipality"),               # shared definitions, see COMMON_FIELDS
            common("fiscal_year"),
            {"name": "cost_type", "type": "string", "description": "...",
             "constraints": {"required": True, "enum": ["personnel", "purchased"]}},
            {"name": "value", "type": "number", "description": "...", "unit": "tkr",
             "constraints": {"required": True}},
        ],
        # optional, checked here but not exported to Frictionless: rules across columns,
        # checked row by row, and keys that hold for a subset of rows
        "row_checks": [row_check("value is not negative", ["value"],
                                 lambda r: r["value"] is None or Decimal(r["value"]) >= 0)],
        "unique_where": [unique_where("one personnel row per municipality",
                                      ["municipality"],
                                      lambda r: r["cost_type"] == "personnel")],
    })

That is the whole extension point: one ``register(name, spec)`` call per table, at import
time of the module that writes it (or here). ``name`` is the CSV's stem (``facts`` for
``facts.csv``). Types: ``string``, ``integer``, ``number``. Constraints: ``required``,
``unique``, ``enum``, ``pattern`` (full match), ``minimum``, ``maximum``, ``minLength``,
``maxLength``. An empty cell is null: it passes every constraint except ``required``.
Values are checked as they will be written to CSV (``284`` and ``"284"`` are the same), so
frames straight from the pipeline and frames read back from CSV validate alike.
"""

from __future__ import annotations

import copy
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

import pandas as pd

from .errors import SchemaError

TYPES = ("string", "integer", "number")
CONSTRAINTS = ("required", "unique", "enum", "pattern", "minimum", "maximum", "minLength",
               "maxLength")
MAX_SHOWN = 5

_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

SCHEMAS: dict[str, dict] = {}

# ------------------------------------------------------------------------------------------
# Vocabularies
# ------------------------------------------------------------------------------------------

FACT_UNITS = ["tkr", "percent", "percentage_points", "number", "sek", "sek_per_inhabitant",
              "count"]
PERIODS = ["full_year", "jan_apr", "multi_year", "unspecified", "r12_nov", "point_in_time"]
SOURCE_KINDS = ["table", "prose"]
MONEY_UNITS = ["tkr", "mnkr", "mkr"]
PRINTED_UNITS = sorted(set(["%"] + MONEY_UNITS + FACT_UNITS))
BASES = ["cost", "net", "revenue"]
TABLE_KINDS = ["data", "toc"]
CELL_ROLES = ["header", "label", "value", "rule"]
QUALITY_CHECKS = ["crossfoot", "no_header", "ragged_row", "table_of_contents",
                  "unknown_header", "no_tables", "space_separated_columns",
                  "prose_facts_unmatched", "table_overrides_unmatched"]
QUALITY_STATUSES = ["ok", "mismatch", "issue"]
MIN_YEAR, MAX_YEAR = 2000, 2035

DOC_ID_PATTERN = r"[a-z0-9]+(?:_[a-z0-9]+)*"
TABLE_ID_PATTERN = DOC_ID_PATTERN + r":L\d{4,}"

# ------------------------------------------------------------------------------------------
# Shared column definitions
# ------------------------------------------------------------------------------------------

COMMON_FIELDS: dict[str, dict] = {
    "doc_id": {
        "name": "doc_id", "type": "string",
        "description": "Identifier of the source report in data/raw/reports.yml.",
        "constraints": {"required": True, "pattern": DOC_ID_PATTERN}},
    "municipality": {
        "name": "municipality", "type": "string",
        "description": "Municipality (kommun) whose social-services committee wrote the "
                       "report, as in the registry.",
        "constraints": {"required": True}},
    "fiscal_year": {
        "name": "fiscal_year", "type": "integer",
        "description": "Year the value refers to (not necessarily the report's year: "
                       "prior-year and target-year columns keep their own year).",
        "unit": "calendar year",
        "constraints": {"required": True, "minimum": MIN_YEAR, "maximum": MAX_YEAR}},
    "table_id": {
        "name": "table_id", "type": "string",
        "description": "Table the row belongs to: '<doc_id>:L<first line, 4 digits>'.",
        "constraints": {"required": True, "pattern": TABLE_ID_PATTERN}},
    "source_file": {
        "name": "source_file", "type": "string",
        "description": "Raw text file under data/raw/ the value was read from.",
        "constraints": {"required": True, "pattern": r"[^/\\]+\.txt"}},
    "source_line": {
        "name": "source_line", "type": "integer",
        "description": "Line of the raw file (1-based) where the cell or quote stands.",
        "unit": "line number",
        "constraints": {"required": True, "minimum": 1}},
    "source_col": {
        "name": "source_col", "type": "integer",
        "description": "Tab-separated cell of the line (0 = row label, 1 = first value).",
        "unit": "column index",
        "constraints": {"required": True, "minimum": 0}},
    "row_label": {
        "name": "row_label", "type": "string",
        "description": "Row label as printed, markup and footnote marks removed.",
        "constraints": {}},
    "column_label": {
        "name": "column_label", "type": "string",
        "description": "Column header cells from top to bottom, joined by ' | ' (spanning "
                       "headers filled in).",
        "constraints": {}},
    "raw": {
        "name": "raw", "type": "string",
        "description": "The cell exactly as in the raw file, markup included.",
        "constraints": {"required": True}},
}


def common(name: str, **overrides: Any) -> dict:
    """A copy of a shared column definition; ``overrides`` replace top-level keys
    (pass ``constraints={...}`` to replace the constraints)."""
    spec = copy.deepcopy(COMMON_FIELDS[name])
    spec.update(copy.deepcopy(overrides))
    return spec


def unique_where(rule: str, columns: list[str], where: Callable[[dict], bool]) -> dict:
    """``columns`` are unique among the rows for which ``where(row)`` is true (a key that
    holds for a subset of rows, e.g. table facts only)."""
    return {"rule": rule, "columns": list(columns), "where": where}


def row_check(rule: str, columns: list[str], check: Callable[[dict], bool]) -> dict:
    """A rule across columns: ``check(row)`` gets the row as {column: text or None} and
    returns True when the row is fine."""
    return {"rule": rule, "columns": list(columns), "check": check}


# ------------------------------------------------------------------------------------------
# Registry
# ------------------------------------------------------------------------------------------

def register(name: str, spec: dict, *, replace: bool = False) -> dict:
    """Declare the schema of ``<name>.csv``; the spec is checked for internal consistency
    here, so a typo in a schema fails at import, not at write time."""
    if name in SCHEMAS and not replace:
        raise ValueError(f"schema {name!r} is already registered (pass replace=True)")
    spec = dict(spec)
    for key in ("title", "description", "fields"):
        if not spec.get(key):
            raise ValueError(f"schema {name!r}: spec needs a {key!r}")
    names = [f.get("name") for f in spec["fields"]]
    if len(set(names)) != len(names):
        raise ValueError(f"schema {name!r}: duplicate field names")
    for field in spec["fields"]:
        where = f"schema {name!r}, field {field.get('name')!r}"
        if field.get("type") not in TYPES:
            raise ValueError(f"{where}: type must be one of {TYPES}")
        if not field.get("description"):
            raise ValueError(f"{where}: needs a description")
        unknown = set(field.get("constraints", {})) - set(CONSTRAINTS)
        if unknown:
            raise ValueError(f"{where}: unsupported constraints {sorted(unknown)}")
        if "pattern" in field.get("constraints", {}):
            re.compile(field["constraints"]["pattern"])
    spec.setdefault("primary_key", [])
    spec.setdefault("row_checks", [])
    spec.setdefault("unique_where", [])
    for col in spec["primary_key"] + [c for rc in spec["row_checks"] + spec["unique_where"]
                                      for c in rc["columns"]]:
        if col not in names:
            raise ValueError(f"schema {name!r}: {col!r} is not one of its fields")
    SCHEMAS[name] = spec
    return spec


def names() -> list[str]:
    return sorted(SCHEMAS)


def get(name: str) -> dict:
    try:
        return SCHEMAS[name]
    except KeyError:
        raise SchemaError(f"no schema declared for table {name!r} (known: {names()})",
                          fix="register(name, spec) in socialstudy/schemas.py") from None


def columns(name: str) -> list[str]:
    return [f["name"] for f in get(name)["fields"]]


def table_schema(name: str) -> dict:
    """The Frictionless Table Schema descriptor (fields, primaryKey, missingValues)."""
    spec = get(name)
    fields = []
    for field in spec["fields"]:
        out = {k: copy.deepcopy(v) for k, v in field.items() if k != "constraints"}
        if field.get("constraints"):
            out["constraints"] = copy.deepcopy(field["constraints"])  # patterns: full match
        fields.append(out)
    descriptor = {"fields": fields, "missingValues": [""]}
    if spec["primary_key"]:
        descriptor["primaryKey"] = list(spec["primary_key"])
    return descriptor


def frictionless_schema(name: str):
    """The schema as a ``frictionless.Schema`` (checked by frictionless itself)."""
    from frictionless import Schema
    return Schema.from_descriptor(table_schema(name))


# ------------------------------------------------------------------------------------------
# Validation
# ------------------------------------------------------------------------------------------

def _text(value: Any) -> str | None:
    """A cell as it will stand in the CSV; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return _text(value.item())
    text = str(value)
    return text if text != "" else None


def _number(text: str) -> Decimal | None:
    if not _NUMBER.fullmatch(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _cell_problem(field: dict, text: str | None) -> str | None:
    """The rule a single cell breaks, or None."""
    cons = field.get("constraints", {})
    if text is None:
        return "required (no empty cells)" if cons.get("required") else None
    kind = field["type"]
    number = None
    if kind == "integer":
        if not _INTEGER.fullmatch(text):
            return "type integer"
        number = Decimal(text)
    elif kind == "number":
        number = _number(text)
        if number is None:
            return "type number"
    if "enum" in cons and (text if kind == "string" else number) not in (
            cons["enum"] if kind == "string" else [Decimal(str(v)) for v in cons["enum"]]):
        return f"enum {cons['enum']}"
    if "pattern" in cons and not re.fullmatch(cons["pattern"], text):
        return f"pattern {cons['pattern']!r}"
    if "minimum" in cons and number is not None and number < Decimal(str(cons["minimum"])):
        return f"minimum {cons['minimum']}"
    if "maximum" in cons and number is not None and number > Decimal(str(cons["maximum"])):
        return f"maximum {cons['maximum']}"
    if "minLength" in cons and len(text) < cons["minLength"]:
        return f"minLength {cons['minLength']}"
    if "maxLength" in cons and len(text) > cons["maxLength"]:
        return f"maxLength {cons['maxLength']}"
    return None


def _describe(rows: list[dict], positions: list[int], shown_cols: list[str]) -> str:
    parts = []
    for pos in positions[:MAX_SHOWN]:
        row = rows[pos]
        context = [f"{c}={row[c]}" for c in ("doc_id", "source_line") if c in row
                   and c not in shown_cols]
        values = [f"{c}={row[c]!r}" for c in shown_cols]
        parts.append(f"row {pos} (csv line {pos + 2}" + "".join(f", {c}" for c in context)
                     + "): " + ", ".join(values))
    more = f"; … and {len(positions) - MAX_SHOWN} more" if len(positions) > MAX_SHOWN else ""
    return "; ".join(parts) + more


class Violation:
    """One broken rule: table, column(s), rule and the offending row positions."""

    def __init__(self, table: str, column: str, rule: str, rows: list[int], detail: str):
        self.table, self.column, self.rule, self.rows, self.detail = (
            table, column, rule, rows, detail)

    def __str__(self) -> str:
        return (f"table {self.table!r}, column {self.column!r}: rule {self.rule} broken by "
                f"{len(self.rows)} row(s): {self.detail}")


def violations(frame: pd.DataFrame, name: str) -> list[Violation]:
    """Every rule of schema ``name`` that ``frame`` breaks (empty list if it is valid)."""
    spec = get(name)
    expected = [f["name"] for f in spec["fields"]]
    actual = [str(c) for c in frame.columns]
    if actual != expected:
        missing = [c for c in expected if c not in actual]
        extra = [c for c in actual if c not in expected]
        detail = (f"expected {expected}, got {actual}"
                  + (f"; missing {missing}" if missing else "")
                  + (f"; unexpected {extra}" if extra else ""))
        column = (missing or extra or ["(order)"])[0]
        return [Violation(name, column, "columns (names and order)", [], detail)]
    rows = [dict(zip(expected, map(_text, values)))
            for values in frame.itertuples(index=False, name=None)]
    found: list[Violation] = []
    for field in spec["fields"]:
        col = field["name"]
        bad: dict[str, list[int]] = {}
        for pos, row in enumerate(rows):
            problem = _cell_problem(field, row[col])
            if problem:
                bad.setdefault(problem, []).append(pos)
        if field.get("constraints", {}).get("unique"):
            seen: dict[str, int] = {}
            for pos, row in enumerate(rows):
                if row[col] is not None and row[col] in seen:
                    bad.setdefault("unique", []).append(pos)
                seen.setdefault(row[col], pos)
        for rule, positions in bad.items():
            found.append(Violation(name, col, rule, positions,
                                   _describe(rows, positions, [col])))
    keys = [(spec["primary_key"], f"primary key ({', '.join(spec['primary_key'])}) unique",
             None)] if spec["primary_key"] else []
    keys += [(u["columns"], f"unique ({', '.join(u['columns'])}): {u['rule']}", u["where"])
             for u in spec["unique_where"]]
    for key, rule, where in keys:
        first: dict[tuple, int] = {}
        dupes: list[int] = []
        for pos, row in enumerate(rows):
            if where is not None and not where(row):
                continue
            values = tuple(row[c] for c in key)
            if values in first:
                if first[values] not in dupes:
                    dupes.append(first[values])
                dupes.append(pos)
            else:
                first[values] = pos
        if dupes:
            found.append(Violation(name, ", ".join(key), rule, sorted(dupes),
                                   _describe(rows, sorted(dupes), key)))
    for rc in spec["row_checks"]:
        positions = []
        for pos, row in enumerate(rows):
            try:
                ok = rc["check"](row)
            except (TypeError, ValueError, ArithmeticError, KeyError):
                ok = False
            if not ok:
                positions.append(pos)
        if positions:
            found.append(Violation(name, ", ".join(rc["columns"]), repr(rc["rule"]),
                                   positions, _describe(rows, positions, rc["columns"])))
    return found


def validate(frame: pd.DataFrame, name: str) -> None:
    """Raise :class:`SchemaError` naming the table, column, rule and up to five offending
    rows for every rule of schema ``name`` that ``frame`` breaks."""
    found = violations(frame, name)
    if not found:
        return
    error = SchemaError(
        f"table {name!r} violates its schema ({len(found)} rule(s) broken):\n    "
        + "\n    ".join(str(v) for v in found),
        file=f"{name}.csv",
        fix=f"correct the step that produces {name}.csv (or, if the data is right and the "
            f"schema too strict, its spec in socialstudy/schemas.py); nothing was written")
    error.table = name
    error.violations = found
    error.column = found[0].column
    error.rule = found[0].rule
    raise error


def validate_if_declared(frame: pd.DataFrame, name: str) -> bool:
    """Validate when ``name`` has a schema; return whether it had one."""
    if name not in SCHEMAS:
        return False
    validate(frame, name)
    return True


# ------------------------------------------------------------------------------------------
# Row rules shared by several tables
# ------------------------------------------------------------------------------------------

def _table_of_doc(row: dict) -> bool:
    return row["table_id"] is None or row["table_id"].startswith(f"{row['doc_id']}:L")


def _dec(text: str | None) -> Decimal:
    return Decimal(text)  # a None raises TypeError, which counts as a broken rule


TABLE_OF_DOC = row_check("table_id starts with '<doc_id>:L'", ["doc_id", "table_id"],
                         _table_of_doc)

# ------------------------------------------------------------------------------------------
# The processed tables of the extraction step
# ------------------------------------------------------------------------------------------

register("tables", {
    "title": "Tables found in the raw reports",
    "description": "Inventory of every tab-separated table of every raw report: where it "
                   "stands, its title and unit as printed, its shape, and whether it holds "
                   "data or is a table of contents.",
    "primary_key": ["table_id"],
    "fields": [
        common("doc_id"),
        common("table_id"),
        {"name": "kind", "type": "string",
         "description": "'data', or 'toc' for a table of contents (its numbers are pages).",
         "constraints": {"required": True, "enum": TABLE_KINDS}},
        {"name": "title", "type": "string",
         "description": "Title line above the table (markup removed); empty if none.",
         "constraints": {}},
        {"name": "title_line", "type": "integer",
         "description": "Raw-file line of the title; empty if the table has no title.",
         "unit": "line number", "constraints": {"minimum": 1}},
        {"name": "first_line", "type": "integer",
         "description": "First raw-file line of the table.", "unit": "line number",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "last_line", "type": "integer",
         "description": "Last raw-file line of the table.", "unit": "line number",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "n_header_rows", "type": "integer",
         "description": "Number of header rows (a header may span several lines).",
         "unit": "rows", "constraints": {"required": True, "minimum": 0}},
        {"name": "n_rows", "type": "integer",
         "description": "Number of rows, header included.", "unit": "rows",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "n_cols", "type": "integer",
         "description": "Cells of the widest row, label cell included.", "unit": "columns",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "unit", "type": "string",
         "description": "Money unit the table is printed in (from its title, header or "
                        "table_overrides.csv); empty if it prints no money unit.",
         "constraints": {"enum": MONEY_UNITS}},
    ],
    "row_checks": [
        row_check("table_id is '<doc_id>:L<first_line, 4 digits>'",
                  ["doc_id", "table_id", "first_line"],
                  lambda r: r["table_id"] == f"{r['doc_id']}:L{int(r['first_line']):04d}"),
        row_check("first_line <= last_line", ["first_line", "last_line"],
                  lambda r: int(r["first_line"]) <= int(r["last_line"])),
        row_check("title_line < first_line", ["title_line", "first_line"],
                  lambda r: r["title_line"] is None
                  or int(r["title_line"]) < int(r["first_line"])),
        row_check("n_header_rows <= n_rows <= last_line - first_line + 1",
                  ["n_header_rows", "n_rows", "first_line", "last_line"],
                  lambda r: int(r["n_header_rows"]) <= int(r["n_rows"])
                  <= int(r["last_line"]) - int(r["first_line"]) + 1),
    ],
})

# Table facts are unique on (doc_id, source_line, source_col); a prose fact's source_col is
# the 1-based character position of its number in the line, so several numbers quoted from
# one sentence keep distinct keys.
FACTS_KEY = ["doc_id", "source_kind", "source_line", "source_col", "row_label"]

register("facts", {
    "title": "Facts: one number per row, with its provenance",
    "description": "Every number the study uses, one per row: from a table cell "
                   "(source_kind 'table') or from an anchored quote in running prose "
                   "(source_kind 'prose', see socialstudy/crosswalks/prose_facts.csv). Money "
                   "is always in tkr (thousand SEK) with the sign as printed; the year and "
                   "period are those the column refers to.",
    "primary_key": FACTS_KEY,
    "unique_where": [
        unique_where("a table cell gives one fact", ["doc_id", "source_line", "source_col"],
                     lambda r: r["source_kind"] == "table"),
    ],
    "fields": [
        common("doc_id"),
        common("municipality"),
        common("fiscal_year"),
        {"name": "period", "type": "string",
         "description": "Period the value covers: full_year, jan_apr (January–April), "
                        "multi_year (a span of years ending in fiscal_year), r12_nov "
                        "(rolling 12 months to November), point_in_time (a stock at a "
                        "date), unspecified.",
         "constraints": {"required": True, "enum": PERIODS}},
        common("table_id", description="Table of the cell: '<doc_id>:L<first line>'; "
                                       "empty for prose facts.",
               constraints={"pattern": TABLE_ID_PATTERN}),
        common("row_label", description="Row label as printed (markup and footnote marks "
                                        "removed); for prose facts, what the number is."),
        common("column_label", description="Column header cells top to bottom joined by "
                                           "' | '; empty for prose facts."),
        {"name": "measure", "type": "string",
         "description": "What kind of figure: actual, budget, forecast, deviation, change, "
                        "target, …_pct variants, or 'unclassified' when the header is not in "
                        "crosswalks/measures.csv (reported, never guessed); prose facts "
                        "carry their variable name.",
         "constraints": {"required": True, "pattern": r"[a-z][a-z0-9_]*"}},
        {"name": "basis", "type": "string",
         "description": "Gross costs, revenue or net when the column says so; else empty.",
         "constraints": {"enum": BASES}},
        {"name": "value", "type": "number",
         "description": "The number, in the unit of column 'unit' (money converted to tkr), "
                        "sign as printed, plain decimal text (no exponent, no trailing "
                        "zeros).",
         "unit": "given by column 'unit'", "constraints": {"required": True}},
        {"name": "unit", "type": "string",
         "description": "Unit of value: tkr (thousand SEK), percent, percentage_points, "
                        "number, sek, sek_per_inhabitant, count.",
         "constraints": {"required": True, "enum": FACT_UNITS}},
        {"name": "printed_unit", "type": "string",
         "description": "Unit as printed: '%', the table's money unit (tkr/mnkr/mkr), the "
                        "crosswalk unit of a prose fact; empty if none was printed.",
         "constraints": {"enum": PRINTED_UNITS}},
        {"name": "decimals", "type": "integer",
         "description": "Decimals printed (precision of the printed figure).",
         "unit": "digits", "constraints": {"required": True, "minimum": 0, "maximum": 9}},
        {"name": "footnote", "type": "string",
         "description": "Footnote mark printed with the number ('*', '3', …); empty if none.",
         "constraints": {}},
        {"name": "source_kind", "type": "string",
         "description": "'table' for a table cell, 'prose' for an anchored quote.",
         "constraints": {"required": True, "enum": SOURCE_KINDS}},
        common("source_file"),
        common("source_line"),
        common("source_col", description="Tab-separated cell of the line (1 = first value "
                                         "cell); for prose facts the 1-based character "
                                         "position of the number in the line."),
        common("raw", description="The cell exactly as printed (a number wrapped onto the "
                                  "next line: both parts, newline-separated); for prose "
                                  "facts the quoted sentence."),
        {"name": "topic", "type": "string",
         "description": "Prose facts: subject of the quote (staffing, finance, "
                        "cost_structure, revenue_structure); empty for table facts.",
         "constraints": {}},
        {"name": "scope", "type": "string",
         "description": "Prose facts: whose figure it is (whole committee, a section, the "
                        "municipality); empty for table facts.",
         "constraints": {}},
        {"name": "definition", "type": "string",
         "description": "Prose facts: what exactly the figure counts, as far as the report "
                        "says; empty for table facts.",
         "constraints": {}},
        {"name": "note", "type": "string",
         "description": "Free-text remarks (e.g. 'number wrapped onto line 592').",
         "constraints": {}},
    ],
    "row_checks": [
        TABLE_OF_DOC,
        row_check("a 'table' fact has a table_id, a 'prose' fact none; source_col >= 1",
                  ["source_kind", "table_id", "source_col"],
                  lambda r: int(r["source_col"]) >= 1 and (
                      (r["table_id"] is not None) == (r["source_kind"] == "table"))),
    ],
})

register("rejects", {
    "title": "Rejected cells: numeric-looking cells that are not one number",
    "description": "Cells that look like numbers but cannot be read as a single Swedish "
                   "number (two numbers in a cell, a date, a lone dash, a footnote mark "
                   "without value, …), each with the reason. Together with facts they "
                   "account for every numeric-looking cell: nothing is dropped silently.",
    "primary_key": ["doc_id", "source_line", "source_col"],
    "fields": [
        common("doc_id"),
        common("table_id"),
        common("source_file"),
        common("source_line"),
        common("source_col", constraints={"required": True, "minimum": 1}),
        common("row_label"),
        common("column_label"),
        common("raw"),
        {"name": "reason", "type": "string",
         "description": "Why the cell is not a number (from socialstudy.numbers).",
         "constraints": {"required": True}},
    ],
    "row_checks": [TABLE_OF_DOC],
})

register("cells", {
    "title": "Cell inventory of every table",
    "description": "Every non-empty cell of every table with its role, so any fact or "
                   "reject can be traced back to the printed cell and its neighbours.",
    "primary_key": ["doc_id", "source_line", "source_col"],
    "fields": [
        common("doc_id"),
        common("table_id"),
        common("source_line"),
        common("source_col"),
        {"name": "role", "type": "string",
         "description": "header (cell of a header row), label (first cell of a body row), "
                        "value (other body cells), rule (a '---' separator row).",
         "constraints": {"required": True, "enum": CELL_ROLES}},
        common("raw"),
    ],
    "row_checks": [TABLE_OF_DOC],
})

register("quality", {
    "title": "Quality checks: cross-footing and extraction issues",
    "description": "One row per check: cross-footing of totals against their parts "
                   "(status ok or mismatch, with expected, actual, difference and the "
                   "rounding tolerance) and extraction issues (status issue): tables of "
                   "contents, tables without header, unknown headers, ragged rows.",
    "primary_key": ["check", "doc_id", "table_id", "source_line", "row_label",
                    "column_label"],
    "fields": [
        {"name": "check", "type": "string",
         "description": "crossfoot, no_header, ragged_row, table_of_contents or "
                        "unknown_header.",
         "constraints": {"required": True, "enum": QUALITY_CHECKS}},
        common("doc_id"),
        common("table_id"),
        common("source_line", description="Raw-file line checked (the total row, the "
                                          "ragged row, the header or the table start)."),
        common("row_label"),
        common("column_label"),
        {"name": "expected", "type": "number",
         "description": "crossfoot: sum of the parts.",
         "unit": "unit of the checked facts (tkr for money)", "constraints": {}},
        {"name": "actual", "type": "number",
         "description": "crossfoot: the printed total.",
         "unit": "unit of the checked facts (tkr for money)", "constraints": {}},
        {"name": "difference", "type": "number",
         "description": "crossfoot: actual - expected.",
         "unit": "unit of the checked facts (tkr for money)", "constraints": {}},
        {"name": "tolerance", "type": "number",
         "description": "crossfoot: largest difference explained by rounding of the "
                        "printed figures.",
         "unit": "unit of the checked facts (tkr for money)",
         "constraints": {"minimum": 0}},
        {"name": "status", "type": "string",
         "description": "ok / mismatch for crossfoot, issue for the other checks.",
         "constraints": {"required": True, "enum": QUALITY_STATUSES}},
        {"name": "note", "type": "string",
         "description": "What was checked (e.g. 'sum of lines 284-291') or the issue.",
         "constraints": {}},
    ],
    "row_checks": [
        TABLE_OF_DOC,
        row_check("crossfoot rows have status ok/mismatch and all four numbers; other "
                  "checks have status issue", ["check", "status", "expected", "actual",
                                               "difference", "tolerance"],
                  lambda r: (r["status"] in ("ok", "mismatch") and None not in (
                      r["expected"], r["actual"], r["difference"], r["tolerance"]))
                  if r["check"] == "crossfoot" else r["status"] == "issue"),
        row_check("difference = actual - expected, and status ok iff |difference| <= "
                  "tolerance", ["expected", "actual", "difference", "tolerance", "status"],
                  lambda r: r["check"] != "crossfoot" or (
                      _dec(r["difference"]) == _dec(r["actual"]) - _dec(r["expected"])
                      and (abs(_dec(r["difference"])) <= _dec(r["tolerance"]))
                      == (r["status"] == "ok"))),
    ],
})

# ------------------------------------------------------------------------------------------
# The comparison tables (socialstudy.compare, written by notebooks 02-04)
# ------------------------------------------------------------------------------------------
# Each vocabulary maps a code to its meaning; the enum of a column is its keys, and
# socialstudy.dictionary prints the meanings in docs/data_dictionary.md.

from .compare import NOT_REPORTED, STAFFING_VARIABLES, scope_class  # noqa: E402

PERIOD_MEANINGS = {
    "full_year": "the whole fiscal year (January–December)",
    "jan_apr": "January–April of the fiscal year (interim report; not comparable with a "
               "full year)",
    "multi_year": "a span of years ending in fiscal_year",
    "unspecified": "the report does not say which period the figure covers",
    "r12_nov": "rolling 12 months to the end of November of fiscal_year (R12)",
    "point_in_time": "a stock at a date (e.g. employees on 31 December), not a flow",
}
assert list(PERIOD_MEANINGS) == PERIODS

FLOWS = {
    "cost": "a type of cost (gross cost, before revenue), costs positive",
    "revenue": "a type of revenue (or, for prose shares, of financing)",
    "total": "a total row: total cost, total revenue or the net result",
}

COST_CATEGORIES = {
    # category: (flow, meaning, typical Kommun-Bas account groups)
    "personnel": ("cost", "wages, social charges and pensions of the committee's own staff",
                  "class 5 (50–59)"),
    "premises": ("cost", "rents of premises and land and property costs", "60–61"),
    "grants_paid": ("cost", "grants paid (lämnade bidrag), incl. economic-assistance "
                            "payments and payments to personal-assistance providers", "45"),
    "purchased_services": ("cost", "purchased core services (köp av huvudverksamhet): "
                                   "placements in HVB and foster homes, purchased care",
                           "46"),
    "other_costs": ("cost", "residual operating costs: materials, IT, transport, "
                            "consultants and agency staff, other services", "62–78"),
    "depreciation_interest": ("cost", "depreciation and (internal) interest on the "
                                      "committee's fixed assets", "79, 84–85"),
    "fees": ("revenue", "user fees and charges (taxor och avgifter)", "31"),
    "sales": ("revenue", "sales of services to other bodies (försäljning av verksamhet "
                         "och konsulttjänster)", "36"),
    "grants_received": ("revenue", "grants received, mainly state grants (e.g. "
                                   "Migrationsverket, Socialstyrelsen)", "35"),
    "other_revenue": ("revenue", "residual revenue (rents, sales of goods, other); for "
                                 "Strängnäs's prose shares also the municipal tax "
                                 "allocation", "30, 34, 37–39"),
    "total_cost": ("total", "total gross cost of the committee (sum of the cost types)",
                   "n/a"),
    "total_revenue": ("total", "total revenue of the committee (sum of the revenue types)",
                      "n/a"),
    "net_result": ("total", "net result = revenue − cost, shown as net cost (costs "
                            "positive)", "n/a"),
}

ACTIVITY_CATEGORIES = {
    # category: (meaning, nearest RS activity of SCB's räkenskapssammandrag)
    "children_young_people": ("care and support for children, young people and families: "
                              "investigations, placements (HVB, foster homes), open care",
                              "barn- och ungdomsvård"),
    "adults_substance_abuse": ("care for adults with substance-abuse problems",
                               "vård för vuxna med missbruksproblem"),
    "economic_assistance": ("economic assistance (försörjningsstöd) paid to households",
                            "ekonomiskt bistånd"),
    "disability_support": ("support for people with disabilities under LSS/SFB and SoL "
                           "(housing, personal assistance, daily activities, "
                           "socialpsykiatri)",
                           "insatser enligt LSS/SFB; insatser till personer med "
                           "funktionsnedsättning enligt SoL"),
    "elderly_care": ("elderly care: home care and residential care", "äldreomsorg"),
    "health_care": ("municipal health and medical care (HSL)",
                    "hälso- och sjukvård (part of äldreomsorg / LSS in RS)"),
    "administration": ("the committee itself, management and staff units of the "
                       "department (overheads are allocated differently between "
                       "municipalities)", "nämnd- och styrelseverksamhet; gemensam "
                                          "administration"),
    "other": ("activities outside the categories above or units spanning several "
              "(family law, refugee reception, other support to adults, labour-market "
              "measures, a purchasing unit without split)",
              "familjerätt och familjerådgivning; övriga insatser till vuxna; "
              "flyktingmottagande; arbetsmarknadsåtgärder"),
    "total": ("the committee's total (closing row of the activity table)", "n/a"),
}

FITS = {
    "exact": "the report's line is the harmonized category",
    "approximate": "the line is mostly the category; part of it belongs elsewhere or is "
                   "unclear",
    "mixed": "the line spans several categories; it is placed in the dominant one (see the "
             "justification in the crosswalk)",
}

VALUE_STATUSES = {
    "reported": "the amount is printed in a table of the report",
    "share only (prose)": "the report gives only a percentage share in running text; no "
                          "amount",
}

SHARE_BASES = {
    "gross cost": "share of the committee's total gross cost (computed here)",
    "total revenue": "share of the committee's total revenue (computed here)",
    "total cost (as stated in prose)": "share of total cost as printed in the report's text",
    "financing (as stated in prose)": "share of the committee's financing (tax allocation "
                                      "+ own revenue) as printed in the report's text",
}

SIGN_CHECKS = {
    "agrees": "the printed deviation has the sign of budget − net cost (positive = better "
              "than budget)",
    "opposite sign": "the printed deviation has the opposite sign of budget − net cost",
    "too small to tell": "budget − net cost or the printed deviation is below 1 000 tkr, "
                         "too small for the sign check",
}

PCT_SOURCES = {
    "computed from amounts": "100 × deviation_tkr / |budget_tkr| of the committee total",
    "printed by the report": "the percentage as printed (no amounts for that year)",
}

STAFFING_STATUSES = {
    "reported": "the report gives the figure (table or anchored prose quote)",
    NOT_REPORTED: "the report does not give the figure; column reason says why",
}

STAFFING_VARIABLE_MEANINGS = {
    "headcount": ("count", "persons employed (at a date: see definition)"),
    "fte": ("count", "full-time equivalents (årsarbetare)"),
    "turnover_total_pct": ("percent", "staff turnover, all leavers as % of staff (leaver "
                                      "definition and denominator vary: see definition)"),
    "turnover_voluntary_pct": ("percent", "leavers on the employee's own initiative (own "
                                          "resignations) as % of staff"),
    "sick_leave_total_pct": ("percent", "total sick leave as % of ordinary working time"),
    "sick_leave_long_share_pct": ("percent", "long-term sick leave as % of total sick leave "
                                             "(statutory: 60 days or more)"),
    "sick_leave_short_share_pct": ("percent", "short-term sick leave as % of total sick "
                                              "leave"),
    "sick_leave_women_pct": ("percent", "sick leave of women as % of their ordinary "
                                        "working time"),
    "sick_leave_men_pct": ("percent", "sick leave of men as % of their ordinary working "
                                      "time"),
    # further staffing variables quoted from prose (facts.csv, prose_facts.csv)
    "headcount_permanent": ("count", "permanent employees (tillsvidareanställda)"),
    "headcount_temporary": ("count", "fixed-term employees (visstidsanställda)"),
    "headcount_fulltime": ("count", "employees with full-time employment"),
    "headcount_change": ("count", "change in the number of employees"),
    "leavers_count": ("count", "number of employees who left"),
    "share_women_pct": ("percent", "women as % of employees"),
    "share_men_pct": ("percent", "men as % of employees"),
    "sick_leave_short_pct": ("percent", "short-term sick leave (e.g. days 1–14) as % of "
                                        "working time"),
    "sick_leave_short_women_pct": ("percent", "short-term sick leave of women as % of "
                                              "working time"),
    "sick_leave_short_men_pct": ("percent", "short-term sick leave of men as % of working "
                                            "time"),
    "agency_staff_change_pct": ("percent", "change in the number of agency (hired) staff, "
                                           "%"),
    "worked_hours_change_pct": ("percent", "change in hours worked, %"),
    "change_pp": ("percentage_points", "change of a staffing percentage against the "
                                       "previous year, percentage points"),
    "work_environment_reports_count": ("count", "work-environment events reported (risk "
                                                "observations, near-misses, incidents)"),
    "work_accidents_count": ("count", "reported work accidents"),
    "occupational_disease_count": ("count", "reported cases of occupational disease"),
}
assert set(STAFFING_VARIABLES) <= set(STAFFING_VARIABLE_MEANINGS)

SCOPE_CLASSES = {
    "committee": "the whole committee (its department): comparable across municipalities",
    "section": "one section or profession of the committee only",
    "municipality": "the municipality as a whole (all committees), a comparison value",
    "lower_bound": "a lower bound only ('över 30 procent'): not a value",
}

GOAL_LEVELS = {
    # level: (rank, meaning)
    "met": ("4", "fully attained / assignment done"),
    "largely_met": ("3", "attained to a high degree ('i hög grad')"),
    "partly_met": ("2", "partly attained ('delvis')"),
    "not_met": ("1", "not attained / assignment not done"),
    "not_assessed": ("", "no degree of attainment given (e.g. 'contributes to the goals')"),
}

ASSESSMENT_KINDS = {
    "year_end_attainment": "the committee's year-end assessment of one of its goals",
    "interim_contribution": "an interim report's statement that the committee contributes "
                            "to the council's goals (no attainment)",
    "assignment_status": "status of a political assignment (uppdrag) given to the "
                         "administration",
}

DIRECTIONS = {
    "higher": "a higher value is better (the target is a floor)",
    "lower": "a lower value is better (the target is a ceiling)",
}

ATTAINMENTS = {
    "met": "the value reaches the target for the same year",
    "not met": "the value misses the target for the same year",
    "no target for this year": "no target for the value's year (a later target is not used)",
}

GOAL_ID_PATTERN = r"[a-z0-9]+(?:[_.][a-z0-9]+)*"


def _field(name: str, kind: str, description: str, *, unit: str | None = None,
           **constraints: Any) -> dict:
    spec = {"name": name, "type": kind, "description": description,
            "constraints": constraints}
    if unit:
        spec["unit"] = unit
    return spec


def _period() -> dict:
    return _field("period", "string", "Period the row covers: "
                  + "; ".join(f"{k} = {v}" for k, v in PERIOD_MEANINGS.items()) + ".",
                  required=True, enum=PERIODS)


def _present(text: str | None) -> bool:
    return text is not None


def _close(a: Decimal, b: Decimal, tolerance: str = "0.0051") -> bool:
    return abs(a - b) <= Decimal(tolerance)


register("cost_by_type", {
    "title": "Costs and revenues by type (Kommun-Bas-like taxonomy)",
    "description": "One row per municipality, report, year and report line of the "
                   "committee's income statement, mapped to a common cost/revenue type "
                   "(socialstudy/crosswalks/cost_types.csv). Amounts in tkr with costs "
                   "positive; each type's share of gross cost (revenue types: of total "
                   "revenue). Strängnäs gives only percentage shares in prose: those rows "
                   "have no amount and value_status 'share only (prose)'.",
    "primary_key": ["doc_id", "fiscal_year", "period", "flow", "category", "report_label"],
    "fields": [
        common("municipality"),
        common("doc_id"),
        common("fiscal_year"),
        _period(),
        _field("flow", "string", "cost (a cost type), revenue (a revenue type) or total "
                                 "(total cost, total revenue, net result).",
               required=True, enum=list(FLOWS)),
        _field("category", "string", "Harmonized cost or revenue type; see the data "
                                     "dictionary for meanings and Kommun-Bas groups.",
               required=True, enum=list(COST_CATEGORIES)),
        _field("report_label", "string", "Row label as printed in the report (Swedish; "
                                         "English in crosswalks/translations.csv).",
               required=True),
        _field("value_tkr", "number", "Amount, costs and revenues positive (the sign as "
                                      "printed is in column raw); empty when the report "
                                      "gives only a share in prose.", unit="tkr"),
        _field("value_status", "string", "'reported' (amount from a table) or 'share only "
                                         "(prose)' (a percentage share in running text).",
               required=True, enum=list(VALUE_STATUSES)),
        _field("share_pct", "number", "Share of gross cost (cost rows) or of total revenue "
                                      "(revenue rows), 2 decimals; for prose rows the share "
                                      "as printed; empty for total rows.", unit="percent",
               minimum=0, maximum=100),
        _field("share_basis", "string", "What share_pct is a share of; empty when "
                                        "share_pct is empty.", enum=list(SHARE_BASES)),
        _field("fit", "string", "How well the report line matches the category (from the "
                                "crosswalk): exact, approximate or mixed.",
               required=True, enum=list(FITS)),
        _field("unit", "string", "Unit of value_tkr: always tkr (thousand SEK).",
               required=True, enum=["tkr"]),
        _field("source_kind", "string", "'table' for a table cell, 'prose' for an anchored "
                                        "quote.", required=True, enum=SOURCE_KINDS),
        common("source_file"),
        common("source_line"),
        common("raw", description="The cell exactly as printed (sign and money unit of the "
                                  "report, markup included); for prose rows the quote."),
    ],
    "row_checks": [
        row_check("flow matches the category's flow", ["flow", "category"],
                  lambda r: COST_CATEGORIES[r["category"]][0] == r["flow"]),
        row_check("value_tkr is given iff value_status is 'reported' (prose rows: no "
                  "amount)", ["value_tkr", "value_status", "source_kind"],
                  lambda r: _present(r["value_tkr"]) == (r["value_status"] == "reported")
                  == (r["source_kind"] == "table")),
        row_check("costs positive: value_tkr >= 0 for cost and total rows",
                  ["flow", "value_tkr"],
                  lambda r: r["value_tkr"] is None or r["flow"] == "revenue"
                  or Decimal(r["value_tkr"]) >= 0),
        row_check("share_pct and share_basis are both given or both empty; total rows "
                  "have neither", ["flow", "share_pct", "share_basis"],
                  lambda r: _present(r["share_pct"]) == _present(r["share_basis"])
                  and not (r["flow"] == "total" and _present(r["share_pct"]))),
    ],
})

register("cost_by_activity", {
    "title": "Net cost, budget and deviation by activity",
    "description": "One row per report, year, period and line of the committee's main "
                   "activity table (net cost per department or RS activity), mapped to a "
                   "common activity category (socialstudy/crosswalks/activities.csv). Net "
                   "costs positive, deviation positive = better than budget; each line's "
                   "share of the committee total. Remits differ between the committees "
                   "(crosswalks/remit.csv), so totals are not comparable as they stand.",
    "primary_key": ["doc_id", "fiscal_year", "period", "source_line"],
    "fields": [
        common("municipality"),
        common("doc_id"),
        common("fiscal_year"),
        _period(),
        _field("category", "string", "Harmonized activity category (close to SCB's RS "
                                     "activities); 'total' for the committee total.",
               required=True, enum=list(ACTIVITY_CATEGORIES)),
        _field("report_label", "string", "Row label as printed (Swedish; English in "
                                         "crosswalks/translations.csv).", required=True),
        _field("fit", "string", "How well the line matches the category: exact, "
                                "approximate or mixed (see the crosswalk's justification).",
               required=True, enum=list(FITS)),
        _field("net_cost_tkr", "number", "Net cost (costs minus revenue), costs positive; "
                                         "empty if the table gives no outcome for this "
                                         "year/period.", unit="tkr"),
        _field("budget_tkr", "number", "Net budget for the same period, costs positive; "
                                       "empty if not printed.", unit="tkr"),
        _field("deviation_tkr", "number", "Budget deviation as printed (positive = better "
                                          "than budget, checked in deviation_sign_check); "
                                          "empty if not printed.", unit="tkr"),
        _field("unit", "string", "Unit of the _tkr columns: always tkr (thousand SEK).",
               required=True, enum=["tkr"]),
        common("source_file"),
        common("source_line"),
        common("table_id", description="The activity table the row comes from: "
                                       "'<doc_id>:L<first line>' (the table with the "
                                       "largest total when a report has sub-tables)."),
        _field("deviation_pct", "number", "100 × deviation_tkr / |budget_tkr|, 2 decimals; "
                                          "empty unless both are given.", unit="percent"),
        _field("share_of_total_pct", "number", "100 × net_cost_tkr / the committee total's "
                                               "net cost (same report, year and period), "
                                               "2 decimals; empty without a net cost.",
               unit="percent"),
        _field("deviation_sign_check", "string", "Does the printed deviation agree in sign "
                                                 "with budget − net cost? Empty unless net "
                                                 "cost, budget and deviation are all given.",
               enum=list(SIGN_CHECKS)),
        _field("note", "string", "Why an amount is empty: which of net cost, budget and "
                                 "deviation the report does not print for this line, year "
                                 "and period."),
    ],
    "row_checks": [
        TABLE_OF_DOC,
        row_check("a row with an empty amount says why in note",
                  ["net_cost_tkr", "budget_tkr", "deviation_tkr", "note"],
                  lambda r: _present(r["note"]) != all(
                      _present(r[c]) for c in ("net_cost_tkr", "budget_tkr", "deviation_tkr"))),
        row_check("at least one of net_cost_tkr, budget_tkr, deviation_tkr is given",
                  ["net_cost_tkr", "budget_tkr", "deviation_tkr"],
                  lambda r: any(_present(r[c]) for c in ("net_cost_tkr", "budget_tkr",
                                                          "deviation_tkr"))),
        row_check("deviation_pct is given only with budget_tkr and deviation_tkr",
                  ["deviation_pct", "budget_tkr", "deviation_tkr"],
                  lambda r: r["deviation_pct"] is None or (
                      _present(r["budget_tkr"]) and _present(r["deviation_tkr"]))),
        row_check("share_of_total_pct is given only with net_cost_tkr; the total row's "
                  "share is 100", ["share_of_total_pct", "net_cost_tkr", "category"],
                  lambda r: r["share_of_total_pct"] is None or (
                      _present(r["net_cost_tkr"]) and (r["category"] != "total" or Decimal(
                          r["share_of_total_pct"]) == 100))),
        row_check("deviation_sign_check is given iff net cost, budget and deviation are",
                  ["deviation_sign_check", "net_cost_tkr", "budget_tkr", "deviation_tkr"],
                  lambda r: _present(r["deviation_sign_check"]) == all(
                      _present(r[c]) for c in ("net_cost_tkr", "budget_tkr",
                                               "deviation_tkr"))),
    ],
})

register("budget_deviation", {
    "title": "Budget deviation of the committee",
    "description": "One row per municipality, year and period: the committee's deviation "
                   "from its net budget in % of the budget, positive = better than budget. "
                   "Computed from the activity table's total where amounts exist (see "
                   "cost_by_activity), else the percentage the report prints.",
    "primary_key": ["municipality", "doc_id", "fiscal_year", "period"],
    "fields": [
        common("municipality"),
        common("doc_id"),
        common("fiscal_year"),
        _period(),
        _field("deviation_tkr", "number", "Deviation of the committee total (budget − net "
                                          "cost, as printed), positive = better; empty when "
                                          "only a percentage is printed.", unit="tkr"),
        _field("budget_tkr", "number", "Net budget of the committee for the period; empty "
                                       "when only a percentage is printed.", unit="tkr"),
        _field("deviation_pct", "number", "Deviation in % of the net budget, positive = "
                                          "better than budget, 2 decimals.", unit="percent",
               required=True),
        _field("pct_source", "string", "'computed from amounts' or 'printed by the "
                                       "report'.", required=True, enum=list(PCT_SOURCES)),
        _field("unit", "string", "Unit of deviation_pct: always percent (deviation_tkr and "
                                 "budget_tkr are in tkr).", required=True, enum=["percent"]),
        common("source_file"),
        common("source_line", description="Raw-file line of the total row (computed) or of "
                                          "the printed percentage."),
    ],
    "row_checks": [
        row_check("'computed from amounts' iff deviation_tkr and budget_tkr are given, and "
                  "then deviation_pct = 100 × deviation_tkr / |budget_tkr| (±0.005)",
                  ["pct_source", "deviation_tkr", "budget_tkr", "deviation_pct"],
                  lambda r: (r["pct_source"] == "computed from amounts") == (
                      _present(r["deviation_tkr"]) and _present(r["budget_tkr"])) and (
                      r["pct_source"] != "computed from amounts" or _close(
                          Decimal(r["deviation_pct"]),
                          100 * Decimal(r["deviation_tkr"]) / abs(Decimal(r["budget_tkr"]))))),
    ],
})


def _staffing_unit(variable: str) -> str:
    return STAFFING_VARIABLE_MEANINGS[variable][0]


def _staffing_row(r: dict) -> bool:
    filled = [c for c in ("value", "unit", "scope", "source_kind", "source_line", "raw",
                          "scope_class") if _present(r[c])]
    if r["status"] == NOT_REPORTED:
        return not filled and _present(r["reason"]) and not _present(r["definition"])
    return len(filled) == 7 and not _present(r["reason"])


register("staffing", {
    "title": "Staffing: headcount, FTE, turnover and sick leave",
    "description": "One row per figure a report gives on the committee's staff (every year "
                   "it gives), with its scope and definition, plus one 'not reported' row "
                   "(with the reason) for each standard variable a full-year report lacks. "
                   "Definitions differ (turnover has no statutory definition; Huddinge's "
                   "sick leave is R12 to November): compare only rows of the same "
                   "scope_class and read the definition.",
    "primary_key": ["doc_id", "variable", "fiscal_year", "period", "scope", "source_line"],
    "unique_where": [
        unique_where("one 'not reported' row per report and variable",
                     ["doc_id", "variable"], lambda r: r["status"] == NOT_REPORTED),
    ],
    "fields": [
        common("municipality"),
        common("doc_id"),
        common("fiscal_year"),
        _period(),
        _field("variable", "string", "Harmonized staffing variable (see the data "
                                     "dictionary); the standard ones are "
                                     + ", ".join(STAFFING_VARIABLES) + ".",
               required=True, enum=list(STAFFING_VARIABLE_MEANINGS)),
        _field("value", "number", "The figure (plain decimal); empty for 'not reported' "
                                  "rows.", unit="given by column 'unit'"),
        _field("unit", "string", "count (persons, FTE) or percent; empty for 'not "
                                 "reported' rows.", enum=FACT_UNITS),
        _field("status", "string", "'reported' or 'not reported'.", required=True,
               enum=list(STAFFING_STATUSES)),
        _field("scope", "string", "Whose staff the figure covers (whole committee, a "
                                  "section, the whole municipality); empty for 'not "
                                  "reported' rows."),
        _field("definition", "string", "How the figure is defined: leavers counted, "
                                       "denominator, date or period, basis; empty for 'not "
                                       "reported' rows."),
        _field("reason", "string", "Why the report gives no figure ('not reported' rows "
                                   "only; from crosswalks/not_reported.csv); empty for "
                                   "reported rows."),
        _field("source_kind", "string", "'table' or 'prose'; empty for 'not reported' rows.",
               enum=SOURCE_KINDS),
        common("source_file", description="Raw text file under data/raw/ the figure was "
                                          "read from (for 'not reported' rows: the report "
                                          "searched)."),
        common("source_line", description="Raw-file line of the cell or quote; empty for "
                                          "'not reported' rows.",
               constraints={"minimum": 1}),
        common("raw", description="The cell or quoted sentence exactly as printed; empty "
                                  "for 'not reported' rows.", constraints={}),
        _field("scope_class", "string", "What the figure may be set beside: committee, "
                                        "section, municipality or lower_bound (from scope "
                                        "and definition); empty for 'not reported' rows.",
               enum=list(SCOPE_CLASSES)),
    ],
    "row_checks": [
        row_check("a 'not reported' row has a non-empty reason and no value, unit, scope, "
                  "definition, source or raw; a 'reported' row has all of them and no "
                  "reason", ["status", "reason", "value", "unit", "scope", "source_kind",
                             "source_line", "raw", "scope_class", "definition"],
                  _staffing_row),
        row_check("unit matches the variable (count for headcount/FTE/counts, percent for "
                  "_pct, percentage_points for change_pp)", ["variable", "unit"],
                  lambda r: r["unit"] is None or r["unit"] == _staffing_unit(r["variable"])),
        row_check("percentages lie between 0 and 100", ["unit", "value"],
                  lambda r: r["unit"] != "percent" or 0 <= Decimal(r["value"]) <= 100),
        row_check("scope_class follows from scope and definition (compare.scope_class)",
                  ["scope", "definition", "scope_class"],
                  lambda r: r["status"] == NOT_REPORTED or r["scope_class"] == scope_class(
                      r["scope"] or "", r["definition"] or "")),
    ],
})

register("goals", {
    "title": "Goal outcomes on a common scale",
    "description": "One row per goal or political assignment a report assesses, with the "
                   "goal and status exactly as printed (Swedish; English in "
                   "crosswalks/translations.csv) and the status placed on a common ordinal "
                   "scale by crosswalks/goal_levels.csv. These are the committees' own "
                   "assessments, not independent measurements.",
    "primary_key": ["doc_id", "goal_id"],
    "fields": [
        common("municipality"),
        common("doc_id"),
        common("fiscal_year"),
        _period(),
        _field("goal_id", "string", "Identifier of the goal in "
                                    "crosswalks/goal_assessments.csv ('<doc>_<number>').",
               required=True, pattern=GOAL_ID_PATTERN),
        _field("goal_text", "string", "The goal or assignment as printed (Swedish).",
               required=True),
        _field("status_text", "string", "The committee's status as printed: words, emoji "
                                        "or traffic light (Swedish).", required=True),
        _field("level", "string", "Status on the common scale: met, largely_met, "
                                  "partly_met, not_met, not_assessed (first matching "
                                  "pattern of crosswalks/goal_levels.csv).",
               required=True, enum=list(GOAL_LEVELS)),
        _field("rank", "integer", "Ordinal rank of level: 4 met, 3 largely_met, 2 "
                                  "partly_met, 1 not_met; empty for not_assessed.",
               unit="ordinal rank", minimum=1, maximum=4),
        _field("assessment_kind", "string", "year_end_attainment (a goal's year-end "
                                            "assessment), interim_contribution (interim "
                                            "statement, no attainment) or assignment_status "
                                            "(a political assignment).",
               required=True, enum=list(ASSESSMENT_KINDS)),
        common("source_file"),
        common("source_line", description="Raw-file line of the status text."),
        _field("goal_line", "integer", "Raw-file line of the goal text.",
               unit="line number", required=True, minimum=1),
    ],
    "row_checks": [
        row_check("rank is the level's rank (empty for not_assessed)", ["level", "rank"],
                  lambda r: (r["rank"] or "") == GOAL_LEVELS[r["level"]][0]),
    ],
})


def _attained(r: dict) -> bool:
    if r["target"] is None:
        return r["attainment"] == "no target for this year" and r["target_column"] is None
    value, target = Decimal(r["value"]), Decimal(r["target"])
    met = value >= target if r["direction"] == "higher" else value <= target
    return r["target_column"] is not None and r["attainment"] == ("met" if met else "not met")


register("indicators", {
    "title": "Indicator outcomes against their targets",
    "description": "One row per indicator and year from the reports' goal tables that have a "
                   "target column: the outcome, the target for the same year (if any) and "
                   "whether it was met given the indicator's direction "
                   "(crosswalks/indicator_direction.csv). A later target (e.g. 2030) is "
                   "shown but never used for an earlier year.",
    "primary_key": ["doc_id", "indicator", "fiscal_year"],
    "fields": [
        common("municipality"),
        common("doc_id"),
        _field("indicator", "string", "Indicator name as printed, footnote stars included "
                                      "(Swedish; English in crosswalks/translations.csv).",
               required=True),
        common("fiscal_year"),
        _field("value", "number", "The outcome for fiscal_year.",
               unit="given by column 'unit'", required=True),
        _field("unit", "string", "Unit of value and target: percent, number, "
                                 "sek_per_inhabitant, ….", required=True, enum=FACT_UNITS),
        _field("target", "number", "Target for the same year; empty if none.",
               unit="given by column 'unit'"),
        _field("target_column", "string", "Header of the target's column as printed (e.g. "
                                          "'Etappmål 2024'); empty if no target."),
        _field("later_target", "string", "Latest target for a later year: '<value> "
                                         "(<column header>)'; empty if none.",
               pattern=r"\S+ \(.+\)"),
        _field("direction", "string", "higher or lower: which way is better.",
               required=True, enum=list(DIRECTIONS)),
        _field("attainment", "string", "met / not met against the same year's target, or "
                                       "'no target for this year'.",
               required=True, enum=list(ATTAINMENTS)),
        common("source_file"),
        common("source_line"),
        common("raw"),
    ],
    "row_checks": [
        row_check("attainment follows from value, target and direction; target and "
                  "target_column go together",
                  ["value", "target", "target_column", "direction", "attainment"],
                  _attained),
    ],
})
