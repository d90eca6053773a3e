"""What a run compares: the ``year`` and ``municipalities`` parameters resolved against
the registry and the facts, before any notebook runs.

``year='latest'`` takes each municipality's most recent full-year report. A fiscal year
takes, per municipality, the year-end report of that year or else the newest full-year
report whose prior-year columns give it; where no full-year figures of that year exist,
its newest interim report of that year (January–August before January–April; any period
the registry allows), flagged by :func:`part_year_note` as part-year and not comparable
with full years (Haninge's Jan–Apr 2020).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from socialstudy.core.registry import PERIODS, Report, period_words
from socialstudy.core.runspec import canonical, check_year
from socialstudy.errors import ParameterError

# an outcome covers a period of the registry (a year or part of one), R12, or a date
OUTCOME_PERIODS = (*PERIODS, "r12_nov", "point_in_time")


@dataclass(frozen=True)
class Selection:
    municipality: str
    fiscal_year: int | None
    doc_id: str | None
    period: str | None
    note: str

    @property
    def part_year(self) -> bool:
        return self.period not in (None, "full_year")


@dataclass
class Scope:
    year: str
    municipalities: list[str]
    selections: dict[str, Selection] = field(default_factory=dict)

    def filter(self, frame: pd.DataFrame, *, year_column: str = "fiscal_year") -> pd.DataFrame:
        """Rows of ``frame`` (with municipality, doc_id, fiscal_year) that this scope uses."""
        wanted = {(s.municipality, s.doc_id, s.fiscal_year) for s in self.selections.values()
                  if s.doc_id is not None}  # one pass over the rows, not three per selection
        keys = zip(frame.municipality, frame.doc_id, frame[year_column])
        return frame[np.fromiter((k in wanted for k in keys), dtype=bool, count=len(frame))]

    def table(self) -> pd.DataFrame:
        """One row per municipality: which report and year it contributes, and why."""
        return pd.DataFrame([{
            "municipality": s.municipality,
            "fiscal_year": s.fiscal_year or "no report for this selection",
            "doc_id": s.doc_id or "", "period": s.period or "", "note": s.note}
            for s in self.selections.values()])

    @property
    def has_part_year(self) -> bool:
        return any(s.part_year for s in self.selections.values() if s.doc_id)


def available_years(facts: pd.DataFrame) -> list[int]:
    """Years with at least one reported outcome (not a budget, target or forecast)."""
    outcome = facts[(facts.measure == "actual") & facts.period.isin(OUTCOME_PERIODS)]
    return sorted(int(y) for y in outcome.fiscal_year.unique())


def parse_municipalities(value: str | list[str], reports: list[Report]) -> list[str]:
    """The registry's names for ``value``, read by the one parameter parser
    (:func:`socialstudy.core.runspec.canonical`): 'all' (or not given) is every
    municipality; an empty value or an unknown name is an error, never 'all'."""
    known = sorted({r.municipality for r in reports})
    chosen = canonical("latest", value, known).municipalities
    return known if chosen == "all" else chosen.split(",")


def resolve(year: str | int, municipalities: str | list[str], reports: list[Report],
            facts: pd.DataFrame) -> Scope:
    """Resolve the run parameters; raise ParameterError (listing what exists) if the year
    has no data at all or a municipality is unknown."""
    munis = parse_municipalities(municipalities, reports)
    year_text = check_year(year)
    scope = Scope(year=year_text, municipalities=munis)
    if year_text == "latest":
        for muni in munis:
            full = [r for r in reports if r.municipality == muni and r.is_full_year]
            if full:
                rep = max(full, key=lambda r: r.fiscal_year)
                scope.selections[muni] = Selection(muni, rep.fiscal_year, rep.doc_id,
                                                   rep.period, "latest full-year report")
            else:
                scope.selections[muni] = Selection(muni, None, None, None,
                                                   "no full-year report in the registry")
        return scope
    fiscal_year = int(year_text)
    years = available_years(facts)
    if fiscal_year not in years:
        raise ParameterError(f"no report gives outcomes for {fiscal_year}; years with data: "
                             f"{', '.join(map(str, years))}", file="data/raw/reports.yml",
                             fix="choose one of those years, or register a report for "
                                 f"{fiscal_year}")
    by_doc = {r.doc_id: r for r in reports}
    outcome = facts[(facts.measure == "actual") & (facts.fiscal_year == fiscal_year)
                    & facts.period.isin(OUTCOME_PERIODS)]
    for muni in munis:
        docs = [by_doc[d] for d in outcome[outcome.municipality == muni].doc_id.unique()]
        full = [r for r in docs if r.is_full_year]
        if full:
            rep = min(full, key=lambda r: (r.fiscal_year != fiscal_year, -r.fiscal_year))
            note = ("year-end report of that year" if rep.fiscal_year == fiscal_year else
                    f"prior-year columns of the {rep.fiscal_year} report")
            scope.selections[muni] = Selection(muni, fiscal_year, rep.doc_id, "full_year", note)
        elif interim := [r for r in docs if r.fiscal_year == fiscal_year]:
            rep = max(interim, key=lambda r: (PERIODS[r.period][1], r.doc_id))
            scope.selections[muni] = Selection(muni, fiscal_year, rep.doc_id, rep.period,
                                               part_year_note(rep))
        else:
            scope.selections[muni] = Selection(muni, None, None, None,
                                               f"no report gives {fiscal_year}")
    return scope


def part_year_note(report: Report) -> str:
    """The caveat of a part-year selection (its row in :meth:`Scope.table`, and the note the
    findings print beside the report's title): which report and months, and that a
    part-year figure is not comparable with a full year."""
    return (f"no full-year figures for {report.fiscal_year}: the newest interim report "
            f"({period_words(report.period)}, {report.doc_id}) – part-year, not comparable "
            "with full years")
