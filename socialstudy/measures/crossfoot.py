"""A printed total that contradicts its own table's arithmetic (``quality.csv``: check
crossfoot, status mismatch) is used in a finding only with that caveat beside it: for each
such total, the year and measure of the cell that stands in the mismatching column.

A finding may use the same figure from another table (Haninge prints its 2023 net cost
1 154,0 both in the income statement, which adds up, and in the per-department table, whose
parts sum to 1 149,6): the caveat is also keyed by the figure itself (report, year, period,
measure and amount), so a growth rate or a per-inhabitant figure built on that amount
carries it too (:func:`for_amounts`)."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from socialstudy.core import filecache
from socialstudy.core.units import mnkr

KEYS = ["doc_id", "table_id", "source_line", "column_label"]
BY_AMOUNT = "amount"  # first element of the keys by figure


def caveats(quality: pd.DataFrame, facts: pd.DataFrame) -> dict[tuple, str]:
    """{(doc_id, source_line, fiscal_year, period, measure): caveat} for each cell whose printed
    total its table's parts do not sum to, e.g. "the report's own lines 367–371 sum to
    1149.6 mnkr against this total [000_….txt:372]"; and the same caveat under
    ("amount", doc_id, fiscal_year, period, measure, |amount in tkr|)."""
    bad = quality[(quality.check == "crossfoot") & (quality.status == "mismatch")]
    cells = facts[facts.source_kind == "table"][KEYS + ["fiscal_year", "period", "measure",
                                                         "source_file", "value"]]
    merged = bad.astype({"source_line": str}).merge(cells.astype({"source_line": str}), on=KEYS)
    found = {}
    for row in merged.itertuples():
        parts = re.search(r"sum of lines (\d+)-(\d+)", row.note)
        lines = f"lines {parts.group(1)}–{parts.group(2)}" if parts else "parts"
        key = (row.doc_id, int(row.source_line), int(row.fiscal_year), row.period, row.measure)
        found[key] = (f"the report's own {lines} sum to {mnkr(row.expected, absolute=True)} "
                      f"against the printed total of {mnkr(row.actual, absolute=True)} "
                      f"[{row.source_file}:{row.source_line}]")
        found[(BY_AMOUNT, *key[:1], *key[2:], _amount(row.value))] = found[key]
    return found


def _amount(value) -> int:
    return round(abs(float(value)))


def for_amounts(found: Mapping[tuple, str], doc_id: str,
                cells: list[tuple[int, str, str, object]]) -> list[str]:
    """The caveats (each once) of the figures a finding uses: ``cells`` are
    (fiscal_year, period, measure, amount in tkr) – e.g. a growth rate's two net costs."""
    out = []
    for year, period, measure, amount in cells:
        if amount is None or not str(amount).strip():
            continue
        caveat = found.get((BY_AMOUNT, doc_id, int(year), period, measure, _amount(amount)))
        if caveat and caveat not in out:
            out.append(caveat)
    return out


class Caveats(Mapping):
    """The caveats of an output tree, read-only: they ride in a table's ``attrs``, which
    pandas deep-copies into every column an operation reads (each ``frame.x``, each row of
    ``itertuples``); shared instead, as ``damage.Records`` is."""

    def __init__(self, found: dict[tuple, str]):
        self._found = found

    def __getitem__(self, key: tuple) -> str:
        return self._found[key]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)

    def __deepcopy__(self, memo) -> Caveats:
        return self


def load(processed: Path) -> Caveats:
    """:func:`caveats` of an output tree (none before step 01 has written it), computed
    again only when ``quality.csv`` or ``facts.csv`` changed (``core.filecache``)."""
    files = (processed / "quality.csv", processed / "facts.csv")
    if not all(f.exists() for f in files):
        return Caveats({})
    return _load(files, tuple(filecache.state(f) for f in files))


@functools.lru_cache(maxsize=16)
def _load(files: tuple[Path, Path], known: tuple) -> Caveats:
    quality, facts = (pd.read_csv(io.BytesIO(filecache.data(f, k)), dtype=str,
                                  keep_default_na=False) for f, k in zip(files, known))
    return Caveats(caveats(quality, facts))
