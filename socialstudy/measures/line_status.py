"""What each line of the activity table says about its own amounts: whether the printed
deviation agrees in sign with budget − actual, which amounts the report does not print
(``note``), its deviation in % of budget or why that percentage is not meaningful, and the
line's ``status`` and ``reason`` – said here, where the table is computed, so that no
sentence or figure has to work out why an amount is missing."""

from __future__ import annotations

import pandas as pd

from socialstudy.measures.tabular import NOT_MAPPED, REPORTED, fmt

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


def with_deviation_pct(frame: pd.DataFrame) -> pd.DataFrame:
    """``deviation_pct`` = 100 × deviation / |budget| where both are printed, and beside it
    ``deviation_pct_reason`` where the percentage is left empty: a budget of 0, or a budget
    that is a net revenue (negative with net costs positive) – a share of a revenue says
    nothing about how far a cost went over or under its budget (Haninge 2020, lines 289–290:
    −2 555 and −82 tkr gave −118.86 % and 387.8 %)."""
    pcts = [deviation_pct(b, d) for b, d in zip(frame.budget_tkr, frame.deviation_tkr)]
    at = list(frame.columns).index("share_of_total_pct") if "share_of_total_pct" in frame \
        else len(frame.columns)
    frame.insert(at, "deviation_pct", [p for p, _ in pcts])
    frame.insert(at + 1, "deviation_pct_reason", [why for _, why in pcts])
    return frame


def deviation_pct(budget: str, deviation: str) -> tuple[str, str]:
    """(percentage, '') or ('', why there is none) for one line's printed amounts (tkr)."""
    if str(budget).strip() == "" or str(deviation).strip() == "":
        return "", ""
    base = float(budget)
    if base == 0:
        return "", "not computed: the budget is 0"
    if base < 0:
        return "", (f"not meaningful: the budget is net revenue ({fmt(base)} tkr), and a "
                    "percentage of a revenue does not measure a cost's deviation")
    return fmt(100 * float(deviation) / base, 2), ""


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
