"""What each line of the activity table says about its own amounts: whether the printed
deviation agrees in sign with budget − actual, which amounts the report does not print
(``note``), and the line's ``status`` and ``reason`` – said here, where the table is
computed, so that no sentence or figure has to work out why an amount is missing."""

from __future__ import annotations

import pandas as pd

from socialstudy.measures.tabular import NOT_MAPPED, REPORTED

PARTLY = "partly reported"  # some of net cost, budget and deviation printed; reason names the rest


def with_status(frame: pd.DataFrame) -> pd.DataFrame:
    """The sign check, the note, the status and the reason of every line, sorted by report
    and line ('not mapped' rows keep the reason they came with)."""
    frame["deviation_sign_check"] = [sign_check(r) for r in frame.itertuples()]
    frame["note"] = [r.reason if r.status == NOT_MAPPED else missing_note(r)
                     for r in frame.itertuples()]
    frame["status"] = [NOT_MAPPED if s == NOT_MAPPED else PARTLY if n else REPORTED
                       for s, n in zip(frame.status, frame.note)]
    frame["reason"] = frame["note"]
    frame = frame[[c for c in frame.columns if c not in ("status", "reason")]
                  + ["status", "reason"]]
    return frame.sort_values(["municipality", "doc_id", "fiscal_year", "period", "source_line"],
                             kind="mergesort", key=_line_first).reset_index(drop=True)


def missing_note(row) -> str:
    """Name the amounts the report does not print for this line, year and period."""
    missing = [name for name, value in (("net cost", row.net_cost_tkr),
                                        ("budget", row.budget_tkr),
                                        ("deviation", row.deviation_tkr)) if not value]
    if not missing:
        return ""
    return (f"not reported: {', '.join(missing)} (the table prints none for "
            f"{row.fiscal_year} {row.period.replace('_', '-')})")


def sign_check(row) -> str:
    """Does the printed deviation agree with budget − actual (net costs positive)?"""
    if not (row.budget_tkr and row.net_cost_tkr and row.deviation_tkr):
        return ""
    computed = float(row.budget_tkr) - float(row.net_cost_tkr)
    printed = float(row.deviation_tkr)
    if abs(computed) < 1000 or abs(printed) < 1000:
        return "too small to tell"
    return "agrees" if (computed > 0) == (printed > 0) else "opposite sign"


def _line_first(column: pd.Series) -> pd.Series:
    """Sort key: a 'not mapped' row has no line and sorts before the lines."""
    return column.map(lambda v: -1 if v == "" else int(v)) if column.name == "source_line" \
        else column
