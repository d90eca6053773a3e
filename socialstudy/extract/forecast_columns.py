"""An interim report's ``Avvikelse`` column that the table's own arithmetic shows to be the
full-year FORECAST's deviation (forecast − annual budget), read as ``forecast_deviation``,
never as a budget deviation of the period.

Why: Sundsvall's Delårsrapport januari–april 2018 (tests/fixtures/real/
sundsvall_2018_apr_ks_prognos, line 39) heads it only "Budget avvikelse"; standing beside
"Budget jan-apr 2018" and "Utfall jan-apr 2018" it was stored as the period's deviation
(+48,6 beside a period budget of 257,8 and a net cost of 220,9, where 36,9 would be the
period's).  Its values equal Prognos 2018 − Budget 2018 in every row (−638,3 − (−686,9) =
48,6), and differ from outcome − budget."""

from __future__ import annotations

from decimal import Decimal

from socialstudy.extract.layout_model import decimals, value
from socialstudy.extract.tables import Table

_DIFFERENCE_OF = ("forecast", "actual")


def forecast_deviations(table: Table, by_column: list[str]) -> list[str]:
    """``by_column`` (one measure per value column) with each ``deviation`` column that
    equals forecast − budget in every row, and outcome − budget in none, renamed."""
    budgets = [j for j, m in enumerate(by_column) if m == "budget"]
    forecasts = [j for j, m in enumerate(by_column) if m == "forecast"]
    actuals = [j for j, m in enumerate(by_column) if m == "actual"]
    if not forecasts or not budgets:
        return by_column
    rows = [r.cells[1:] for r in table.body if r.kind == "body"]
    out = list(by_column)
    for d, measure in enumerate(by_column):
        if measure != "deviation":
            continue
        fits = {_holds(rows, d, f, b) for f in forecasts for b in budgets}
        plain = {_holds(rows, d, a, b) for a in actuals for b in budgets}
        if True in fits and True not in plain:
            out[d] = "forecast_deviation"
    return out


def _holds(rows: list[list[str]], d: int, minuend: int, budget: int) -> bool:
    """Cell d = cell minuend − cell budget within rounding in every row holding all three
    (and at least one row with a non-zero deviation)."""
    seen = False
    for cells in rows:
        if max(d, minuend, budget) >= len(cells):
            continue
        vd, vm, vb = (value(cells[x]) for x in (d, minuend, budget))
        if vd is None or vm is None or vb is None:
            continue
        tol = Decimal(1).scaleb(-max(decimals(cells[x]) for x in (d, minuend, budget)))
        if abs(vd - (vm - vb)) > tol * Decimal("1.01"):
            return False
        seen = seen or vd != 0
    return seen
