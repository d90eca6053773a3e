"""What drives the costs, one finding per committee: the activity line whose net cost grew
most (from the printed series), the line furthest over budget where no earlier year is
printed, and the volumes the report prints beside them, each cited.

Why a function: every number is read from ``activity_series`` and ``volumes`` and cited
``[file:line]``, and the caveat travels with it: volumes are defined differently in each
report, so they explain one committee's own costs and are never ranked across committees.
"""

from __future__ import annotations

import pandas as pd

from socialstudy.core.scope import Selection
from socialstudy.core.units import mnkr
from socialstudy.measures.volumes import APPROXIMATE
from socialstudy.narrative.findings import NO_DATA, bullets, cite, who

SHOWN = 4          # volumes named per committee; the rest are in volumes.csv
CHANGE_UNITS = {"volume_change_pct": "%", "unit_cost_change_pct": "%"}


def drivers(chosen: list[Selection], series: pd.DataFrame, volumes: pd.DataFrame) -> str:
    """One bullet per selected committee and the caveat on volumes beneath them."""
    lines = [_committee(sel, series, volumes) for sel in chosen if sel.doc_id]
    if not lines:
        return f"*{NO_DATA}.*"
    caveat = ("Volumes are defined differently in each report (column `definition` of "
              "`volumes.csv`: averages or counts, a year or January–April, whole committee or "
              "one unit, absolute numbers or changes), so they explain each committee's own "
              "costs and are not ranked across committees.")
    return bullets(lines) + "\n\n" + caveat


def _committee(sel: Selection, series: pd.DataFrame, volumes: pd.DataFrame) -> str:
    own = series[(series.doc_id == sel.doc_id) & (series.fiscal_year.astype(int)
                                                  == sel.fiscal_year)
                 & (series.period == sel.period) & (series.category != "total")]
    parts = [_growth(own, series) or _overrun(own)]
    parts.append(_volumes(volumes[(volumes.doc_id == sel.doc_id)
                                  & (volumes.fiscal_year.astype(int) == sel.fiscal_year)]))
    return f"**{who(sel)}**: " + " ".join(p for p in parts if p)


def _growth(own: pd.DataFrame, series: pd.DataFrame) -> str:
    """The line whose net cost rose most in tkr on the year before, with its growth in %."""
    growth = own[(own.measure == "growth_pct_computed") & (own.status == "computed")]
    if growth.empty:
        return ""
    net = own[own.measure == "net_cost"].set_index("report_label").value.astype(float)
    prior = series[(series.doc_id == growth.doc_id.iloc[0]) & (series.measure == "net_cost")
                   & (series.fiscal_year.astype(int) == int(growth.fiscal_year.iloc[0]) - 1)]
    before = prior.set_index("report_label").value.astype(float)
    change = {label: net[label] - before[label] for label in growth.report_label
              if label in net.index and label in before.index}
    if not change:
        return ""
    label = max(sorted(change), key=lambda k: change[k])
    row = growth[growth.report_label == label].iloc[0]
    cited = pd.DataFrame({"source_file": [row.source_file] * 2,
                          "source_line": [row.source_line, row.prior_source_line]})
    return (f"net cost grew most in “{label}” ({mnkr(change[label], signed=True)}, "
            f"{float(row.value):+.1f} % on {int(row.fiscal_year) - 1}){cite(cited)}.")


def _overrun(own: pd.DataFrame) -> str:
    """Where no earlier year is printed per line: the line furthest over its budget."""
    deviation = own[own.measure == "deviation"]
    if deviation.empty:
        return "the report prints no earlier year and no budget deviation per activity line."
    row = deviation.loc[deviation.value.astype(float).idxmin()]
    pct = own[(own.report_label == row.report_label) & (own.category == row.category)
              & (own.measure == "deviation_pct_computed")]
    share = f", {float(pct.value.iloc[0]):+.1f} % of its budget" if len(pct) else ""
    return (f"the report prints no earlier year per activity line (growth per activity is not "
            f"available); the line furthest over budget is “{row.report_label}” "
            f"({mnkr(row.value, signed=True)}{share}){cite(row)}.")


def _volumes(rows: pd.DataFrame) -> str:
    """The volumes the report prints (the first few), and those it names without a number."""
    if rows.empty:
        return "`volumes.csv` holds no volume or unit cost of this report for this year."
    printed = rows[rows.status == "printed"]
    said = [f"{r.words}: {_amount(r)}{cite(r)}"
            for _, r in printed.head(SHOWN).iterrows()]
    text = "Volumes it prints: " + "; ".join(said) + "." if said else ""
    if len(printed) > SHOWN:
        text += f" ({len(printed) - SHOWN} more in `volumes.csv`.)"
    missing = rows[rows.status == "not reported"]
    if len(missing):
        text += (" Named without a number: " + "; ".join(
            f"{r.words}{cite(r)}" for _, r in missing.iterrows()) + ".")
    for _, r in rows[rows.status == "not derived"].iterrows():  # implied only approximately
        text += f" No count of {r.unit} is {r.reason.removeprefix('not ')}{cite(r)}."
    return text.strip()


def _amount(row) -> str:
    """'+40 households', 'about +40 households' where the sentence says 'cirka'."""
    value = float(row.value)
    about = "about " if any(f"{w.strip()} {row.raw}" in str(row.quote).lower()
                            for w in APPROXIMATE) else ""
    if row.kind in CHANGE_UNITS:
        return f"{about}{value:+.1f} %"
    digits = 0 if value == int(value) else 1
    sign = "+" if row.kind == "volume_change" and value > 0 else ""
    return f"{about}{sign}{value:,.{digits}f} {row.unit}".replace(",", " ")


VIEW = {"net_cost": "net cost, mnkr", "gross_cost": "gross cost, mnkr",
        "revenue": "revenue, mnkr",
        "growth_pct_computed": "growth on the year before, % (computed)",
        "growth_pct_printed": "growth, % (printed)",
        "deviation_pct_computed": "deviation, % of budget (computed)",
        "deviation_pct_printed": "deviation, % (printed)"}


def series_view(rows: pd.DataFrame) -> pd.DataFrame:
    """The selected activity-series rows as a reader scans them: one row per activity line
    and year, money in mnkr, each computed percentage beside the printed one, and the raw
    lines they stand on; a growth that is not computed shows its reason's first words."""
    rows = rows[rows.measure.isin(list(VIEW))]
    keys = ["municipality", "fiscal_year", "report_label", "category"]
    out = []
    for key, group in rows.groupby(keys, sort=False):
        line = dict(zip(keys, key))
        for r in group.itertuples():
            money = r.unit == "tkr"
            shown = mnkr(r.value, unit=False) if money else r.value
            line[VIEW[r.measure]] = shown or r.status
        line["lines"] = ", ".join(sorted({str(n) for n in group.source_line}, key=int))
        out.append(line)
    frame = pd.DataFrame(out, columns=keys + [VIEW[m] for m in VIEW] + ["lines"])
    return frame.dropna(axis=1, how="all").fillna("")
