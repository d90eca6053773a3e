"""A printed total that contradicts its own table's arithmetic (``quality.csv``: check
crossfoot, status mismatch) is used in a finding only with that caveat beside it: for each
such total, the year and measure of the cell that stands in the mismatching column.

A finding may use the same figure from another table (Haninge prints its 2023 net cost
1 154,0 both in the income statement, which adds up, and in the per-department table, whose
parts sum to 1 149,6): the caveat is also keyed by the figure itself (report, year, period,
measure and amount), so a growth rate or a per-inhabitant figure built on that amount
carries it too (:func:`for_amounts`)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

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


def for_amounts(found: dict[tuple, str], doc_id: str,
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


class Shared(dict):
    """Caveats that ride along in a frame's ``attrs`` (``findings.read``), shared, not
    copied: pandas deep-copies ``attrs`` into every frame or column an operation returns,
    and copying some thousand tuple keys each time was a fifth of notebook 05's work."""

    def __deepcopy__(self, memo) -> Shared:
        return self


def load(processed: Path) -> dict[tuple, str]:
    """:func:`caveats` of an output tree ({} before step 01 has written it)."""
    if not (processed / "quality.csv").exists() or not (processed / "facts.csv").exists():
        return Shared()
    read = dict(dtype=str, keep_default_na=False)
    return Shared(caveats(pd.read_csv(processed / "quality.csv", **read),
                          pd.read_csv(processed / "facts.csv", **read)))
