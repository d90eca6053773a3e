"""Net cost per inhabitant: the committee's full-year net cost divided by the
municipality's population on 31 December, from the cited file
``data/external/population.csv`` (see the README's "Population data"). A year the file
lacks is a row with status ``not available`` and the reason, never an estimate."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from socialstudy import paths
from socialstudy.core.registry import Report
from socialstudy.errors import PopulationError
from socialstudy.measures.finance import base, committee_totals, tidy
from socialstudy.measures.finance_anchors import lacking
from socialstudy.measures.tabular import fmt

POPULATION = paths.ROOT / "data" / "external" / "population.csv"


PER_INHABITANT = ["municipality", "kommun_code", "doc_id", "fiscal_year", "period",
                  "net_cost_tkr", "population", "net_cost_per_inhabitant_kr", "status", "reason",
                  "population_source", "source_file", "source_line", "raw"]


def load_population(path: Path = POPULATION) -> dict[tuple[str, int], dict]:
    """{(municipality, year): row} from the cited population file, checked line by line."""
    if not path.exists():
        raise PopulationError("population file not found", file=str(path),
                              fix="restore data/external/population.csv from git")
    out = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        need = ["municipality", "kommun_code", "year", "population", "source"]
        if reader.fieldnames != need:
            raise PopulationError(f"columns must be {need}", file=str(path), line=1)
        for row in reader:
            line = reader.line_num
            if not (row["kommun_code"].isdigit() and len(row["kommun_code"]) == 4):
                raise PopulationError("kommun_code must be four digits (e.g. 0136)",
                                      file=str(path), line=line)
            if not (row["year"].isdigit() and row["population"].isdigit() and row["source"]):
                raise PopulationError("year and population must be whole numbers and the "
                                      "source named", file=str(path), line=line,
                                      fix="leave a value out rather than guess it")
            key = (row["municipality"], int(row["year"]))
            if key in out:
                raise PopulationError(f"{key} appears twice", file=str(path), line=line)
            out[key] = {**row, "_line": line}
    return out


def per_inhabitant(facts: pd.DataFrame, reports: list[Report],
                   population: dict | None = None) -> pd.DataFrame:
    """Net cost per inhabitant (kr) for each full year a report gives a committee total,
    with the population on 31 December of that year from data/external/population.csv."""
    population = load_population() if population is None else population
    totals = committee_totals(facts, reports, "net_cost_total")
    rows = []
    for report in reports:
        years = sorted(y for d, y in totals if d == report.doc_id)
        if not years:
            rows.append({**base(report), "kommun_code": report.kommun_code,
                         "source_file": report.file,
                         **lacking(report, "per_inhabitant",
                                   "the report gives no full-year net cost of the committee")})
        for year in years:
            rows.append(_inhabitant_row(report, year, totals[(report.doc_id, year)], population))
    return tidy(rows, PER_INHABITANT, ["municipality", "fiscal_year", "doc_id"])


def _inhabitant_row(report: Report, year: int, total, population: dict) -> dict:
    net = abs(total.number)
    row = {**base(report, year, "full_year"), "kommun_code": report.kommun_code,
           "net_cost_tkr": fmt(net), "source_file": total.source_file,
           "source_line": total.source_line, "raw": total.raw}
    pop = population.get((report.municipality, year))
    if pop is None:
        return {**row, "status": "not available",
                "reason": f"population on 31 December {year} is not in "
                          "data/external/population.csv (SCB Statistikdatabasen BE0101N1 not "
                          "reachable offline, and the report prints no population; add it "
                          "as the README's 'Population data' section describes)"}
    if pop["kommun_code"] != report.kommun_code:
        raise PopulationError(f"kommun_code {pop['kommun_code']} differs from the registry's "
                              f"{report.kommun_code} for {report.municipality}",
                              file=str(POPULATION), line=pop["_line"])
    return {**row, "population": int(pop["population"]),
            "net_cost_per_inhabitant_kr": fmt(1000 * net / int(pop["population"]), 0),
            "status": "derived", "reason": "", "population_source": pop["source"]}
