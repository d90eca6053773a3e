"""The processed tables' schemas, read from ``socialstudy/schemas/<table>.yaml``.

Each YAML file is a Frictionless Table Schema (title, description, primaryKey, fields with
type, description, unit, constraints and, for coded columns, ``categories`` giving each
value's meaning in that column) plus a short list of ``rules`` that Table Schema cannot
express; the format is documented in ``socialstudy/schemas/README.md``. A new table needs
only a new YAML file: :func:`names` lists the files, ``build.write_csv`` validates every
table that has one, and the data package and the data dictionary describe it.

Validation checks the exact CSV text ``write_csv`` would write, with Frictionless (types,
required, enum, pattern, bounds, primary key; skipped for a text ``quick_check`` passes),
then the rules with pandas (``core.schema_rules``). Every problem names the table, column,
CSV row and value. Reading the declarations imports no pandas (the runner's checks).
"""

from __future__ import annotations

import csv
import functools
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from socialstudy import paths
from socialstudy.core import quick_check
from socialstudy.core.registry import period_categories
from socialstudy.engine.cheap_imports import without_iri_grammars
from socialstudy.errors import SchemaError

if TYPE_CHECKING:  # pandas is imported where a table is checked: the declarations
    import pandas as pd  # (the runner's crosswalk check, the data package) need none;
    # the row rules are core.schema_rules

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: 10× faster

SCHEMA_DIR = paths.SCHEMAS
MAX_SHOWN = 5
_CONTEXT = ("doc_id", "source_line")


# ---- reading the schema files --------------------------------------------------------------

def names() -> list[str]:
    """The tables that have a schema file, sorted."""
    return sorted(p.stem for p in SCHEMA_DIR.glob("*.yaml"))


@functools.cache
def get(name: str) -> dict:
    """The schema of ``<name>.csv`` as read from its YAML file (do not modify it)."""
    path = SCHEMA_DIR / f"{name}.yaml"
    if not path.is_file():
        raise SchemaError(f"no schema declared for table {name!r} (known: {names()})",
                          file=str(path), fix=f"write {path.name} (see README.md beside it)")
    try:
        spec = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except yaml.YAMLError as exc:  # else a ScannerError 'in "<unicode string>"', no file
        mark = getattr(exc, "problem_mark", None)
        raise SchemaError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                          file=str(path), line=mark.line + 1 if mark else None,
                          fix="quote a value that holds ': ' or '#', or fix the indentation"
                          ) from None
    for field in spec["fields"]:
        if "categories" in field:
            field["categories"] = _included(field["categories"], path)
            field.setdefault("constraints", {})["enum"] = [
                c["value"] for c in field["categories"]]
    spec.setdefault("rules", [])
    return spec


INCLUDES = {"report_periods": period_categories}


def _included(categories: list[dict], path: Path) -> list[dict]:
    """Categories with each ``{include: NAME}`` replaced by the declared list it names
    (``report_periods``: every period the registry allows, declared once in the registry)."""
    out = []
    for category in categories:
        name = category.get("include")
        if name is not None and name not in INCLUDES:
            raise SchemaError(f"unknown category list {name!r}", file=str(path),
                              fix=f"include one of {', '.join(INCLUDES)}")
        out += INCLUDES[name]() if name is not None else [category]
    return out


def columns(name: str) -> list[str]:
    """Column names of ``<name>.csv`` in order: the one list code should use."""
    return [f["name"] for f in get(name)["fields"]]


def field(name: str, column: str) -> dict:
    return next(f for f in get(name)["fields"] if f["name"] == column)


def categories(name: str, column: str) -> dict[str, dict]:
    """Coded values of one column -> their category entry (``label`` and any notes)."""
    return {c["value"]: c for c in field(name, column).get("categories", [])}


def table_schema(name: str) -> dict:
    """The Frictionless Table Schema descriptor: fields (categories reduced to value and
    label), primaryKey and missingValues; ``rules`` stay here."""
    fields = []
    for spec in get(name)["fields"]:
        out = {k: v for k, v in spec.items() if k != "categories"}
        if "categories" in spec:
            out["categories"] = [{"value": c["value"], "label": c["label"]}
                                 for c in spec["categories"]]
        fields.append(out)
    descriptor = {"fields": fields, "missingValues": [""]}
    if get(name).get("primaryKey"):
        descriptor["primaryKey"] = list(get(name)["primaryKey"])
    return descriptor


def _frictionless():
    """Frictionless, imported without jsonschema's ``iri`` grammars (engine.cheap_imports)."""
    without_iri_grammars()
    import frictionless
    return frictionless


def frictionless_schema(name: str):
    """The table's Frictionless Schema (descriptor validated by ``tests/test_schemas.py``)."""
    return _frictionless().Schema.metadata_import(table_schema(name))


# ---- validation ------------------------------------------------------------------------------

class Violation:
    """One broken rule: table, column(s), rule and the offending rows (0-based)."""

    def __init__(self, table: str, column: str, rule: str, rows: list[int], detail: str):
        self.table, self.column, self.rule, self.rows, self.detail = (
            table, column, rule, rows, detail)

    def __str__(self) -> str:
        return (f"table {self.table!r}, column {self.column!r}: {self.rule} broken by "
                f"{len(self.rows)} row(s): {self.detail}")


def csv_text(frame: pd.DataFrame) -> str:
    """The CSV text ``build.write_csv`` writes for ``frame`` (same options)."""
    return frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def describe_rows(frame: pd.DataFrame, rows: list[int], shown: list[str]) -> str:
    """Up to ``MAX_SHOWN`` offending rows: CSV record, context and the ``shown`` values."""
    parts = []
    for pos in rows[:MAX_SHOWN]:
        row = frame.iloc[pos]
        context = [f", {c}={row[c]}" for c in _CONTEXT if c in frame and c not in shown]
        values = ", ".join(f"{c}={row[c]!r}" for c in shown)
        parts.append(f"row {pos} (csv record {pos + 2}{''.join(context)}): {values}")
    more = f"; … and {len(rows) - MAX_SHOWN} more" if len(rows) > MAX_SHOWN else ""
    return "; ".join(parts) + more


def _frictionless_violations(name: str, text: str, frame: pd.DataFrame) -> list[Violation]:
    report = _frictionless().Resource(data=text.encode("utf-8"), format="csv", encoding="utf-8",
                      schema=frictionless_schema(name)).validate(limit_errors=10**7)
    groups: dict[tuple[str, str], list[int]] = {}
    for error in report.flatten(["type", "rowNumber", "fieldName", "note"]):
        kind, row_number, column, note = error
        if kind == "primary-key":
            column, note = ", ".join(get(name)["primaryKey"]), "primary key unique"
        rule = f"{kind} ({note})" if note and kind != "primary-key" else note or kind
        groups.setdefault((column or "(header)", rule), []).append((row_number or 2) - 2)
    found = []
    for (column, rule), rows in groups.items():
        shown = [c for c in column.split(", ") if c in frame]
        found.append(Violation(name, column, rule, rows, describe_rows(frame, rows, shown)))
    return found


def _header_violation(name: str, frame: pd.DataFrame) -> list[Violation]:
    expected, actual = columns(name), [str(c) for c in frame.columns]
    if actual == expected:
        return []
    missing = [c for c in expected if c not in actual]
    extra = [c for c in actual if c not in expected]
    return [Violation(name, (missing or extra or ["(order)"])[0], "columns (names and order)",
                      [], f"expected {expected}, got {actual}")]


def violations(frame: pd.DataFrame, name: str, text: str | None = None) -> list[Violation]:
    """Every rule of schema ``name`` that ``frame`` (as CSV: ``text``) breaks (none: valid)."""
    found = _header_violation(name, frame)
    if found:
        return found
    text = csv_text(frame) if text is None else text
    import pandas as pd
    as_read = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    found = ([] if quick_check.passes(get(name), text, as_read, len(frame))  # Frictionless
             else _frictionless_violations(name, text, as_read))  # only to name the problems
    if not found:  # rules assume typed, valid cells
        from socialstudy.core import schema_rules
        found = schema_rules.broken(name, as_read)
    return found


def validate(frame: pd.DataFrame, name: str, text: str | None = None) -> None:
    """Raise :class:`SchemaError` naming the table, column, rule and up to five offending
    rows (with their values) for every rule of schema ``name`` that ``frame`` breaks."""
    found = violations(frame, name, text)
    if not found:
        return
    error = SchemaError(
        f"table {name!r} violates its schema ({len(found)} rule(s) broken):\n    "
        + "\n    ".join(str(v) for v in found),
        file=f"{name}.csv",
        fix=f"correct the step that produces {name}.csv (or, if the data is right, "
            f"socialstudy/schemas/{name}.yaml); nothing was written")
    error.table, error.violations = name, found
    error.column, error.rule = found[0].column, found[0].rule
    raise error


def validate_if_declared(frame: pd.DataFrame, name: str, text: str | None = None) -> bool:
    """Validate when ``name`` has a schema file; return whether it had one."""
    if name not in names():
        return False
    validate(frame, name, text)
    return True


def write_csv(frame: pd.DataFrame, path: Path, *, validate: bool = True) -> Path:
    """Byte-stable CSV: UTF-8, LF, minimal quoting, no index; values already formatted.
    A table with a declared schema (by file stem) is validated first:
    a frame that breaks it raises SchemaError and nothing is written. ``validate=False``
    only for rows selected from a table that was validated when it was written."""
    text = csv_text(frame)  # once: validated, then written
    if validate:
        validate_if_declared(frame, path.stem, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path
