"""The rules of a schema that Table Schema cannot express (``rules:`` in
``socialstudy/schemas/<table>.yaml``, syntax in the README beside them), evaluated with pandas
on a table Frictionless found valid: each broken rule a :class:`schemas.Violation` naming its
rows. Kept apart from ``core.schemas`` so that reading the declarations imports no pandas."""

from __future__ import annotations

import re

import pandas as pd

from socialstudy.core.schemas import SCHEMA_DIR, Violation, categories, columns, describe_rows, get
from socialstudy.errors import SchemaError


def broken(name: str, frame: pd.DataFrame) -> list[Violation]:
    """Every rule of schema ``name`` that ``frame`` (as read from its CSV text) breaks."""
    typed = _typed(name, frame)  # once, for every rule
    return [v for rule in get(name)["rules"] for v in _check_rule(name, rule, frame, typed)]


def _typed(name: str, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Columns for rule expressions: numbers as floats (NaN when empty), text as text."""
    typed = {}
    for spec in get(name)["fields"]:
        column = frame[spec["name"]]
        if spec["type"] in ("integer", "number"):
            column = pd.to_numeric(column.replace("", None), errors="coerce")
            column = column.astype("Int64") if spec["type"] == "integer" else column
        typed[spec["name"]] = column
    return typed


def _helpers(name: str, typed: dict[str, pd.Series]) -> dict:
    def given(*series):
        result = True
        for s in series:
            result = result & (s.notna() & (s.astype("string") != "")).fillna(False)
        return result

    def category_key(column: str, key: str) -> pd.Series:
        notes = categories(name, column)
        return typed[column].map(lambda v: notes.get(v, {}).get(key))

    return {"given": given, "category_key": category_key, "abs": abs,
            "implies": lambda a, b: ~a | b,
            "where": lambda c, a, b: a.where(c, b),
            "close": lambda a, b, tol=1e-6: (a - b).abs() <= tol}


def _check_rule(name: str, rule: dict, frame: pd.DataFrame, typed: dict[str, pd.Series]
                ) -> list[Violation]:
    scope = {**typed, **_helpers(name, typed)}
    if "unique" in rule:
        rows = frame.index
        if "where" in rule:
            rows = frame.index[_evaluate(rule["where"], scope, name, rule)]
        keys = frame.loc[rows, rule["unique"]]
        bad = list(keys.index[keys.duplicated(keep=False)])
        shown = rule["unique"]
    else:
        bad = list(frame.index[~_evaluate(rule["check"], scope, name, rule)])
        shown = [c for c in columns(name) if re.search(rf"\b{c}\b", rule["check"])]
    if not bad:
        return []
    return [Violation(name, ", ".join(shown), f"rule {rule['rule']!r}", bad,
                      describe_rows(frame, bad, shown))]


def _evaluate(expression: str, scope: dict, name: str, rule: dict) -> pd.Series:
    try:
        result = eval(expression, {"__builtins__": {}}, scope)  # noqa: S307 (package data)
    except Exception as exc:
        raise SchemaError(f"rule {rule['rule']!r} cannot be evaluated: {exc}",
                          file=str(SCHEMA_DIR / f"{name}.yaml"),
                          fix="see socialstudy/schemas/README.md for the rule syntax") from None
    return pd.Series(result, index=scope[columns(name)[0]].index).astype("boolean").fillna(
        False).astype(bool)
