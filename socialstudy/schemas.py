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
                  "unknown_header"]
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
        {"name": "note", "type": "string",
         "description": "Remarks (e.g. 'number wrapped onto line 592'; prose: topic, scope "
                        "and definition).",
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
