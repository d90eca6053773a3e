"""The table of crosswalk specs (``specs.yml``) as typed declarations, checked once.

Each crosswalk file is declared once: the row type it is read into, its columns, its key
and the columns that must (or may not) be filled. The row type is made here from the
declaration: a frozen dataclass whose fields are the columns (text, as written) and
``line``, the row's line in the file, so a consumer reads ``row.report_label`` and a
misspelled column fails where it is written instead of reading an empty value. A
declaration that cannot be right (a key column that is not a column, a column that is not
a Python name, an unknown field) stops the study naming ``specs.yml`` and the crosswalk.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, make_dataclass
from pathlib import Path
from typing import Any

import yaml

from socialstudy import paths
from socialstudy.errors import CrosswalkError

FIELDS = ("row", "columns", "key", "may_be_empty", "filled", "numbers", "values")
Row = Any  # a row of some crosswalk: an instance of its spec's ``row`` type


@dataclass(frozen=True)
class Spec:
    """One crosswalk file's declaration; ``row`` is the type its rows are read into."""
    file: str
    row: type
    columns: tuple[str, ...]
    key: tuple[str, ...] = ()
    may_be_empty: tuple[str, ...] = ()
    filled: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()  # a number where filled (a line, an amount, a year)
    # (column, allowed): a list of words, or 'table.column', a schema's codes joined by '+'
    values: tuple[tuple[str, tuple[str, ...] | str], ...] = ()


def declare(file: str, row: str, columns: tuple[str, ...], key: tuple[str, ...] = (),
            may_be_empty: tuple[str, ...] = (), filled: tuple[str, ...] = (),
            numbers: tuple[str, ...] = (), values: dict | None = None, *,
            source: str = "socialstudy/crosswalks/specs.yml") -> Spec:
    """A checked spec and its row type (``source``: where the declaration stands)."""
    def refuse(problem: str, fix: str) -> CrosswalkError:
        return CrosswalkError(f"{file}: {problem}", file=source, fix=fix)

    bad = [c for c in columns if not c.isidentifier() or keyword.iskeyword(c) or c == "line"]
    if bad or len(set(columns)) != len(columns) or not columns:
        raise refuse(f"columns {bad or list(columns)} are not distinct Python names other "
                     "than 'line'", "name each column once, in lower case with underscores")
    values = {c: v if isinstance(v, str) else tuple(v) for c, v in (values or {}).items()}
    for part, names in (("key", key), ("may_be_empty", may_be_empty), ("filled", filled),
                        ("numbers", numbers), ("values", tuple(values))):
        unknown = [c for c in names if c not in columns]
        if unknown:
            raise refuse(f"{part} names {unknown}, which are not among its columns "
                         f"{list(columns)}", "correct the spelling in specs.yml")
    row_type = make_dataclass(row, [(c, str) for c in columns] + [("line", int)],
                              frozen=True, slots=True)
    row_type.__module__ = __name__
    row_type.__doc__ = f"A row of crosswalks/{file}; ``line``: its line in the file."
    return Spec(file, row_type, tuple(columns), tuple(key), tuple(may_be_empty), tuple(filled),
                tuple(numbers), tuple(values.items()))


def load_specs(path: Path = paths.CROSSWALKS / "specs.yml") -> dict[str, Spec]:
    """Every declaration of ``path``, by crosswalk file name."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    specs = {}
    for file, entry in entries.items():
        unknown = sorted(set(entry) - set(FIELDS)) if isinstance(entry, dict) else FIELDS
        if unknown or "row" not in entry or "columns" not in entry:
            raise CrosswalkError(f"{file}: fields {list(unknown)} are not spec fields, or "
                                 "row/columns is missing", file=str(path),
                                 fix=f"declare {list(FIELDS)} (row and columns required)")
        specs[file] = declare(file, entry["row"], tuple(entry["columns"]),
                              *(tuple(entry.get(f, ())) for f in FIELDS[2:-1]),
                              entry.get("values"), source=str(path))
    return specs


SPECS = load_specs()
