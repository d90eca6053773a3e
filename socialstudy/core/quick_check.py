"""A quick check, in pandas, that Frictionless would find nothing wrong with a table's CSV text.

Frictionless costs each notebook kernel about 0.4 CPU-s to import and warm up, and then
reads every cell in Python; almost every table a run writes is valid. This check is never
more lenient than Frictionless: every cell it accepts, Frictionless accepts (a narrower
number form, the same anchored patterns, the same enum lists, exact bounds, typed primary
keys, the same dialect guess); anything it does not know (another type, format or
constraint) fails it. ``schemas.violations`` skips Frictionless only for a table that passes
here, and lets Frictionless name the problems of every other table, so the messages stay
Frictionless's own. ``tests/test_quick_check.py`` holds it to that, case by case.
"""

from __future__ import annotations

import csv
import operator
import re
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the frames come from core.schemas
    import pandas as pd

HANDLED = {"required", "enum", "pattern", "minimum", "maximum"}  # constraints checked here
INERT = {"name", "type", "description", "unit", "constraints", "categories"}  # read-neutral
FORMS = {"string": None, "integer": r"-?[0-9]+", "number": r"-?[0-9]+(?:\.[0-9]+)?"}
READ = {"integer": int, "number": Decimal, "string": str}  # Frictionless's cell types
BOUNDS = {"minimum": operator.ge, "maximum": operator.le}
SAMPLE_LINES = 100  # the lines Frictionless's CSV parser sniffs its dialect from


def passes(spec: dict, text: str, as_read: pd.DataFrame, rows: int) -> bool:
    """True only if Frictionless would report no error for ``text`` (the CSV of a frame of
    ``rows`` rows whose header is already the schema's), read back as ``as_read`` (text)."""
    return (len(as_read) == rows and plain_dialect(text)
            and not (as_read == "").all(axis=1).any()  # a blank row
            and all(column_passes(f, as_read[f["name"]]) for f in spec["fields"])
            and key_unique(spec, as_read))


def plain_dialect(text: str) -> bool:
    """Frictionless reads ``text`` as written: comma-separated, '"'-quoted, no escape
    character, no skipped spaces (its dialect guess, ``csv.Sniffer`` on the first lines,
    agrees), no carriage return to translate, no byte-order mark."""
    if "\r" in text or text.startswith("\ufeff"):
        return False
    end = -1
    for _ in range(SAMPLE_LINES):
        end = text.find("\n", end + 1)
        if end < 0:
            break
    try:
        found = csv.Sniffer().sniff(text if end < 0 else text[:end + 1], ",\t;|")
    except csv.Error:  # Frictionless then reads it as csv.excel: comma, '"'
        return True
    return (found.delimiter == "," and found.escapechar is None
            and not found.skipinitialspace and found.quotechar in ('"', "'"))


def column_passes(field: dict, column: pd.Series) -> bool:
    """Every cell of one column passes its type and constraints (empty means missing);
    the cells as a list of str: a few hundred cells, where pandas' per-call cost dominates."""
    kind, rules = field["type"], field.get("constraints", {})
    if kind not in FORMS or set(field) - INERT or set(rules) - HANDLED:
        return False
    cells = column.to_numpy().tolist()
    values = [v for v in cells if v != ""]
    if rules.get("required") and len(values) < len(cells):
        return False
    form = FORMS[kind] and re.compile(FORMS[kind])
    if form and not all(form.fullmatch(v) for v in values):
        return False
    enum = rules.get("enum")
    if enum is not None and not (kind == "string" and all(isinstance(v, str) for v in enum)
                                 and set(values) <= set(enum)):
        return False
    pattern = "pattern" in rules and re.compile(f"^{rules['pattern']}$")  # as Frictionless
    if pattern and not (kind == "string" and all(pattern.match(v) for v in values)):
        return False
    return bounded(kind, rules, values)


def bounded(kind: str, rules: dict, values: list[str]) -> bool:
    """Minimum and maximum compared exactly (integers as int, numbers as Decimal)."""
    limits = [rules[k] for k in ("minimum", "maximum") if k in rules]
    if not limits:
        return True
    if kind == "string" or not all(type(v) is int for v in limits):
        return False
    typed = [READ[kind](v) for v in values]
    return all(compare(v, rules[k]) for k, compare in BOUNDS.items() if k in rules
               for v in typed)


def key_unique(spec: dict, as_read: pd.DataFrame) -> bool:
    """No two rows share the primary key as Frictionless types it (an empty cell is None),
    and no row's key cells are all empty."""
    key = list(spec.get("primaryKey") or [])
    if not key:
        return True
    types = {f["name"]: READ[f["type"]] for f in spec["fields"]}
    keys = list(zip(*[[types[c](v) if v != "" else None for v in as_read[c]] for c in key]))
    return len(set(keys)) == len(keys) and (None,) * len(key) not in keys
