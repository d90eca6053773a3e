"""What a table's column means, from its header cells and the row's label: the measure
(crosswalks/measures.csv), the year and period (a date header gives each column its own
year), the basis (total, women, men …) and the unit of a cell."""

from __future__ import annotations

import re
from decimal import Decimal

from socialstudy.core.registry import PERIODS, Report
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.extract.numbers import Parsed, clean_label
from socialstudy.extract.overrides import Overrides
from socialstudy.extract.tables import YEAR, Table

MONEY_FACTOR = {"tkr": Decimal(1), "mnkr": Decimal(1000), "mkr": Decimal(1000)}
PERCENT_HINT = re.compile(r"%|procent|\bandel\b", re.I)
# a part-year header: "Utfall jan–aug", "Budget jan-okt", "2020 01 - 2020 04", "202501-202508"
PART_YEAR = re.compile(r"jan\w*\.?\s*[-–]\s*(?P<month>[a-zåäö]{3})|(?:19|20)\d{2}\s*01\s*[-–]\s*"
                       r"(?:19|20)\d{2}\s*(?P<number>0[1-9]|1[0-2])(?!\d)", re.I)
MONTH_NUMBER = {name: i for i, names in enumerate(
    ("jan", "feb", "mar", "apr", "maj may", "jun", "jul", "aug", "sep", "okt oct", "nov",
     "dec"), 1) for name in names.split()}
FULL_YEAR = re.compile(r"jan\w*\s*[-–]\s*dec|helår", re.I)
RANGE = re.compile(r"((?:19|20)\d{2})\s*-\s*((?:19|20)\d{2})(?!\d)")
YEAR_ONLY = re.compile(r"\s*(?:19|20)\d{2}\s*\**\s*")
PREVIOUS_YEAR = re.compile(r"föregående år", re.I)
ROW_PERCENT = re.compile(r"\(%\)|procent|^andel|\bandel\b", re.I)
PER_INHABITANT = re.compile(r"kr/inv", re.I)
IN_KRONOR = re.compile(r"i kronor", re.I)


def load_measures() -> list[tuple[re.Pattern, str, str]]:
    return [(re.compile(r.pattern, re.I), r.applies_to, r.measure)
            for r in read_crosswalk("measures.csv")]


def header_columns(table: Table, override: Overrides | None) -> list[list[str]]:
    """For each value column, its header cells from the top row down, with spanning
    cells (an empty cell right of a filled one in the same header row) filled in."""
    n = table.n_cols
    if override and override.columns:
        return ([[label] for label in override.columns]
                + [[] for _ in range(n - 1 - len(override.columns))])
    columns: list[list[str]] = [[] for _ in range(n - 1)]
    for row in table.header:
        cells = [clean_label(c) for c in row.cells[1:]]  # printed cells only: a ragged
        last = ""                                        # body cell gets no label
        for j, text in enumerate(cells):
            if text:
                last = text
            elif last:
                text = last
            if text:
                columns[j].append(text)
    return columns


def classify_measure(column_cells: list[str], row_label: str,
                     measures: list[tuple[re.Pattern, str, str]]) -> str:
    """Measure from the row label (rare) or the most specific header cell that names one."""
    return row_measure(row_label, measures) or column_measure(column_cells, measures)


def row_measure(row_label: str, measures: list[tuple[re.Pattern, str, str]]) -> str:
    return _first_measure(row_label, measures, "row")


def _first_measure(text: str, measures: list[tuple[re.Pattern, str, str]], applies_to: str
                   ) -> str:
    """The measure of the first pattern for ``applies_to`` (row | column) that ``text``
    matches, or ''."""
    return next((measure for pattern, applies, measure in measures
                 if applies == applies_to and pattern.search(text)), "")


def column_measure(column_cells: list[str], measures: list[tuple[re.Pattern, str, str]]
                   ) -> str:
    """The most specific (lowest) header cell that names a measure; but a forecast
    deviation whose words stand in separate header rows ("Prognos" above "Avvikelse") is
    read from the joined label, never as a plain budget deviation."""
    worded = [c for c in column_cells if not YEAR_ONLY.fullmatch(c)]
    if _first_measure(" | ".join(worded), measures, "column") == "forecast_deviation":
        return "forecast_deviation"
    for cell in list(reversed(worded)) + list(reversed(column_cells)):
        measure = _first_measure(cell, measures, "column")
        if measure:
            return measure
    return "unclassified"


def resolve_year(column_cells: list[str], measure: str, table_years: list[int],
                 report: Report) -> tuple[int, str]:
    """(fiscal_year, period) a column refers to; see the notebook 01 for the rules."""
    label = " | ".join(column_cells)
    period = header_period(label)
    if measure in ("change", "change_pct"):
        year = max(table_years, default=report.fiscal_year)
    elif PREVIOUS_YEAR.search(label):
        year = report.fiscal_year - 1
    else:
        year = None
        for cell in reversed(column_cells):
            span = RANGE.search(cell)
            if span and not PART_YEAR.search(cell):
                year, period = int(span.group(2)), "multi_year"
                break
            found = YEAR.findall(cell)
            if found:
                year = int(found[0])
                break
        if year is None:
            year = report.fiscal_year
    if not period:
        if measure in ("budget", "forecast", "forecast_deviation", "target") \
                or report.is_full_year:
            period = "full_year"
        elif year == report.fiscal_year:
            period = report.period
        else:
            period = "unspecified"
    return year, period


def header_period(text: str) -> str:
    """The period a header names ("jan–aug" -> 'jan_aug'), one of the registry's PERIODS;
    'unspecified' for a part of the year the registry has no name for; '' for none."""
    match = PART_YEAR.search(text)
    if not match:
        return "full_year" if FULL_YEAR.search(text) else ""
    month = (int(match.group("number")) if match.group("number")
             else MONTH_NUMBER.get(match.group("month").lower()))
    if month is None:
        return ""
    return next((period for period, (_, last) in PERIODS.items()
                 if int(last[:2]) == month), "unspecified")


def basis(label: str) -> str:
    low = label.lower()
    for word, basis in (("intäkter", "revenue"), ("kostnader", "cost"), ("netto", "net")):
        if word in low:
            return basis
    return ""



def cell_unit(parsed: Parsed, row_label: str, column_label: str, table_unit: str) -> str:
    if parsed.unit == "pp":  # "4,8 %-enheter", "4,8 procentenheter"
        return "percentage_points"
    if parsed.unit == "sek" and table_unit in MONEY_FACTOR:  # "2 683 000 kronor" in a
        return "sek_in_money_table"                            # money table: to tkr
    if parsed.percent or PERCENT_HINT.search(column_label) or ROW_PERCENT.search(row_label):
        return "percent"
    if parsed.unit:  # a unit printed in the cell itself ("-74,0 mnkr") beats the table's
        return parsed.unit
    if PER_INHABITANT.search(row_label):
        return "sek_per_inhabitant"
    if table_unit in MONEY_FACTOR:
        return table_unit
    if IN_KRONOR.search(row_label):
        return "sek"
    return "number"
