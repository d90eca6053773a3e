"""The review's finance-prose decisions: a report that states its result in running text
(``Nämndens nettokostnader för 2013 uppgår till 208,5 mkr … ett överskott på 1,8 mkr``,
or ``underskott … för … socialnämnden (9,7 mkr)``) yields prose_facts.csv rows for its
net cost, budget, deviation and named overruns, each with the line it stands on – when
no table gives the committee's total (then the table is the source, not the text).

*Found automatically* is the run's own prose facts (``extract.prose`` through
``extract_and_clean``). A proposal is made only from a sentence about the committee –
it names the committee, or its paragraph says *nämnden* / *nämndens* and names no other
committee (``nämnderna``, all committees together, is not the committee) – and only when
its wording, checked with the run's own matcher, stands once in the report and reads
the printed number back. The phrases it looks for are data
(``socialstudy/reference/finance_phrases.yaml``): a new wording is a new entry there."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import yaml

from socialstudy import paths
from socialstudy.core.registry import Report
from socialstudy.crosswalks.specs import SPECS
from socialstudy.crosswalks.wording import NUMBER, LineIndex
from socialstudy.errors import CrosswalkError
from socialstudy.extract import prose
from socialstudy.extract.forecasts import WHEN_WORDS
from socialstudy.extract.tables import read_lines
from socialstudy.tools.review_common import DECIDE, FOUND, Item, csv_row

# Units, qualifiers, the committee's and other committees' names and every phrase are
# data: ``socialstudy/reference/finance_phrases.yaml``, read once here.
_DECLARED = yaml.safe_load((paths.REFERENCE / "finance_phrases.yaml").read_text(encoding="utf-8"))
UNITS: dict[str, str] = _DECLARED["units"]  # as printed -> the registry's money unit
DIRECTIONS: dict[str, str] = _DECLARED["directions"]
OWN, OTHER, FORECAST = (re.compile(_DECLARED[name]) for name in ("own", "other", "forecast"))


@dataclass(frozen=True)
class Phrase:
    """One way a report states a finance figure in words."""
    variable: str
    pattern: re.Pattern
    label: str
    named: bool = False  # the committee's name stands next to the number
    unit: str = ""  # the phrase's own unit ("minus 30 miljoner"), else the printed one
    sentence: re.Pattern | None = None  # read only where the sentence also holds this


def _phrase(entry: dict) -> Phrase:
    """A declared phrase, its ``{QUAL}``, ``{N}``, ``{UNIT}`` and ``{WHEN}`` slots filled in."""
    slots = {"{QUAL}": _DECLARED["qualifier"], "{N}": f"(?P<n>{NUMBER})",
             "{UNIT}": f"(?P<unit>{'|'.join(UNITS)})", "{WHEN}": WHEN_WORDS}
    pattern = entry["pattern"]
    for slot, regex in slots.items():
        pattern = pattern.replace(slot, regex)
    sentence = entry.get("sentence")
    return Phrase(entry["variable"], re.compile(pattern), entry["label"],
                  entry.get("named", False), entry.get("unit", ""),
                  re.compile(sentence) if sentence else None)


PHRASES = tuple(_phrase(entry) for entry in _DECLARED["phrases"])


def finance_prose_items(report: Report, facts: pd.DataFrame, activity: pd.DataFrame
                        ) -> list[Item]:
    """Found: the run's finance prose facts of ``report``; to decide: a prose_facts.csv
    row for every finance figure the text states about the committee and the run misses
    (none when ``activity``, its cost by activity, holds the committee's total)."""
    got = facts[(facts.source_kind == "prose") & (facts.topic == "finance")]
    items = [Item(f"finance prose {r.measure}", FOUND, f"{r.value} {r.unit} ({r.period}), "
                  f"line {r.source_line} '{r.raw[:60]}'" + (f"; {r.note}" if r.note else ""))
             for r in got.itertuples()] + _forecasts_to_order(got)
    if (activity.category == "total").any():
        return items  # the committee's total stands in a table: the text is not needed
    lines = read_lines(report.path)
    index = LineIndex(lines)
    taken = set(got.source_line.astype(int))
    for line_no, text in enumerate(lines, 1):
        if line_no in taken:
            continue
        paragraph = "the paragraph" if _about_own(text) else ""
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            about = paragraph or ("the sentence" if _about_own(sentence) else "")
            items += _proposals(report, index, line_no, sentence, about)
    return items


def _about_own(text: str) -> bool:
    """The text names the committee and no other: a paragraph, or one sentence of a
    paragraph that names others too ("För socialnämnden blev underskottet 18,7 miljoner
    kronor" between Kommunstyrelsen's result and BUN's deficit, Dagens Vimmerby 2022)."""
    return bool(OWN.search(text)) and not OTHER.search(OWN.sub("", text))


def _forecasts_to_order(got: pd.DataFrame) -> list[Item]:
    """Several current full-year forecasts of one year: their sentences give no month
    that says which is newer (``extract.forecasts``), so the user decides."""
    current = got[got.measure == "forecast_budget_deviation"]
    return [Item("finance prose forecast_budget_deviation", DECIDE,
                 "lines " + ", ".join(str(n) for n in sorted(group.source_line))
                 + f": {len(group)} full-year forecasts for {year} and their sentences name no "
                 "month that orders them; delete the older's row from prose_facts.csv")
            for year, group in current.groupby("fiscal_year") if len(group) > 1]


def _proposals(report: Report, index: LineIndex, line_no: int, sentence: str,
               about: str) -> list[Item]:
    """Proposals from one sentence; ``about``: what names the committee and no other ("the
    paragraph", its line, or "the sentence"), or "" if nothing does."""
    out = []
    for phrase in PHRASES:
        if phrase.sentence and not phrase.sentence.search(sentence):
            continue
        for m in phrase.pattern.finditer(sentence):
            if not (phrase.named or about):
                continue
            row = _row(report, phrase, m, sentence)
            if row is None:
                continue
            if not _reads_back(report, index, row, m.group("n"), line_no):
                out.append(Item(f"finance prose {row[7]}", DECIDE, f"line {line_no}: "
                                f"'{m.group(0)}' ({phrase.label}): its wording does not stand "
                                "once in the report with this number, so no row is proposed; "
                                "quote more of the sentence in a prose_facts.csv row"))
                continue
            why = ("the committee is named beside the number" if phrase.named else
                   f"{about} names the committee and no other")
            out.append(Item(f"finance prose {row[7]}", DECIDE, f"line {line_no}: "
                            f"'{m.group(0)}' ({phrase.label}; {why})", "prose_facts.csv",
                            csv_row(row)))
    return out


def _row(report: Report, phrase: Phrase, m: re.Match, sentence: str) -> list[str] | None:
    """The prose_facts.csv row for one match: its wording with the number as ``{n}``, other
    numbers as ``{_}`` and the fiscal year as ``{year}``."""
    start, end = m.span()
    wording = sentence[start:m.start("n")] + "{n}" + sentence[m.end("n"):end]
    wording = re.sub(rf"(?<![\w,.]){report.fiscal_year}(?![\w,.])", "{year}", wording)
    word = m.groupdict().get("word") or m.groupdict().get("dir")
    context = ""
    if phrase.named:
        word = next((w for w in ("underskott", "överskott") if w in sentence.lower()), None)
        if word is None:
            return None
        context = next(re.finditer(rf"(?i)\w*\s*{word}", sentence)).group(0)
    direction = DIRECTIONS.get((word or "").lower(), "")
    variable = phrase.variable
    forecast = variable == "forecast_budget_deviation" or (
        bool(FORECAST.search(sentence)) and variable == "budget_deviation")
    if forecast:
        variable = "forecast_budget_deviation"
    period = "full_year" if forecast else report.period
    definition = (f"{phrase.label}, as the text states it"
                  + (" (a full-year forecast, not a year-end result)" if forecast else "")
                  + "; proposed by review from this report's own sentence")
    return [report.municipality, report.document_type, wording, context, "0", period,
            "finance", variable, phrase.label, phrase.unit or UNITS[m.group("unit").lower()],
            direction,
            "whole committee", definition]


def _reads_back(report: Report, index: LineIndex, row: list[str], number: str,
                line_no: int) -> bool:
    """The run's matcher finds the proposed wording once, on ``line_no``, with the number."""
    spec = SPECS["prose_facts.csv"]
    try:
        found = prose._find(spec.row(**dict(zip(spec.columns, row)), line=0), index, report)
    except CrosswalkError:  # stands twice, or no wording: no safe proposal
        return False
    return found is not None and found[2] == line_no and found[1] == number
