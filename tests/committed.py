"""The committed study's tables (data/processed/) and what the narrative says of a run
over them, computed once per test process: many tests in several modules ask the same
run the same question (the default run's finance findings or key figures). A result is
kept under the run's scope, the very tables and reports given (a test's changed copy of
the tables is computed anew) and the crosswalks as they stand. What is returned is
shared: a test must not change it (the key figures are handed out as a copy)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd
from reading import crosswalks_state

from socialstudy import paths
from socialstudy.narrative import findings, findings_finance, summary


@functools.cache
def tables() -> dict[str, pd.DataFrame]:
    """``findings.load`` of the committed tables, once per process."""
    return findings.load(paths.Outputs().processed)


_DONE: dict[tuple, tuple] = {}


def once(function: Callable, scope, tables: dict, *rest):
    """``function(scope, tables, *rest)``, computed once per process for these arguments."""
    key = (function.__module__, function.__qualname__, repr(scope), id(tables), repr(rest),
           crosswalks_state())
    if key not in _DONE:  # the tables are kept with the result: their id stays theirs
        _DONE[key] = function(scope, tables, *rest), tables
    return _DONE[key][0]


def finance(scope, tables: dict, reports: list) -> str:
    return once(findings_finance.finance, scope, tables, reports)


def key_figures(scope, tables: dict) -> pd.DataFrame:
    return once(summary.key_figures, scope, tables).copy()
