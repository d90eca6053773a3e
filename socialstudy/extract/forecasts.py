"""Which of a report's full-year forecasts is its current one. An interim text may quote
an earlier forecast beside the new one ("Efter augusti pekade helårsprognosen på ett
överskott på 12,3 miljoner kronor … Efter tio månader visar helårsprognosen drygt 8,4
miljoner kronor i överskott"). Both are stored: the newest, by the month its own sentence
gives, keeps the measure ``forecast_budget_deviation``; an older one becomes
``forecast_budget_deviation_superseded`` with a note naming the line that supersedes it,
so it is never silently dropped nor taken for the committee's forecast. Where a sentence
gives no month (or two), nothing is superseded and the review asks which is current.

A report that states the year-end result (a full-year ``budget_deviation`` of the same
year) supersedes every full-year forecast of that year it quotes ("i juni varnade
förvaltningen för minus 30 miljoner och under hösten för minus 20 miljoner", Region Gotland
2017 line 5, beside the result at line 3): each is kept, dated by its own words.

A forecast printed with a qualifier ("drygt 8,4": just over) keeps the printed value and
says the qualifier in its note; no precision is invented."""

from __future__ import annotations

import re
from dataclasses import replace

from socialstudy.core.registry import MONTHS
from socialstudy.extract.rows import Fact

FORECAST, SUPERSEDED = "forecast_budget_deviation", "forecast_budget_deviation_superseded"
MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
               "september", "oktober", "november", "december")
COUNTS = ("en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva",
          "tolv")
# a month name, also as the first part of a compound ("augustiprognosen"), or "after
# ten months" / "efter 10 månader"
MONTH = re.compile(r"(?i)\b(?P<name>" + "|".join(MONTH_NAMES) + r")|\b(?:efter|på)\s+"
                   r"(?P<count>\d{1,2}|" + "|".join(COUNTS) + r")\s+månader")
SEASONS = {"våren": "spring", "sommaren": "summer", "hösten": "autumn", "vintern": "winter"}
# when a forecast was made, in its own words: "i juni", "under hösten", "efter augusti"
WHEN_WORDS = r"\b(?:i|under|efter)\s+(?:" + "|".join(MONTH_NAMES + tuple(SEASONS)) + r")\b"
QUALIFIERS = {"drygt": "just over", "knappt": "just under", "cirka": "about",
              "ca": "about", "ungefär": "about", "omkring": "about", "närmare": "nearly"}
QUALIFIER = re.compile(r"(?i)^\s*(?P<q>" + "|".join(QUALIFIERS) + r")\.?\s")


def sentence_at(line: str, col: int) -> str:
    """The sentence of ``line`` that holds column ``col`` (1-based)."""
    start = max((m.end() for m in re.finditer(r"[.!?]\s+", line) if m.end() < col), default=0)
    end = re.search(r"[.!?](\s|$)", line[col - 1:])
    return line[start:col - 1 + end.start() + 1 if end else len(line)]


def forecast_month(sentence: str) -> int | None:
    """The month (1-12) a forecast was made, as its sentence says; None if it names none
    or several."""
    months = set()
    for m in MONTH.finditer(sentence):
        if m.group("name"):
            months.add(MONTH_NAMES.index(m.group("name").lower()) + 1)
        else:
            count = m.group("count").lower()
            months.add(int(count) if count.isdigit() else COUNTS.index(count) + 1)
    return months.pop() if len(months) == 1 and 1 <= min(months) <= 12 else None


def made_when(fact: Fact, lines: list[str]) -> str:
    """When a forecast was made as its own quote says it ("'i juni' (June)"), else as its
    sentence's one month says; "" where neither dates it."""
    m = re.search(f"(?i){WHEN_WORDS}", fact.raw)
    if m:
        word = m.group(0).split()[-1].lower()
        return f"'{m.group(0)}' ({SEASONS.get(word) or MONTHS[MONTH_NAMES.index(word)]})"
    month = forecast_month(sentence_at(lines[fact.source_line - 1], fact.source_col))
    return "" if month is None else f"after {MONTHS[month - 1]}"


def by_result(group: list[Fact], result: Fact, lines: list[str]) -> dict[int, Fact]:
    """Each forecast of ``group`` superseded by the year-end ``result``, dated by its own
    words."""
    out = {}
    for f in group:
        when = made_when(f, lines)
        note = (f"forecast made {when}" if when else "forecast (its words give no date)") \
            + f", superseded by the year-end result (line {result.source_line})"
        out[id(f)] = replace(f, measure=SUPERSEDED, note="; ".join(
            n for n in (f.note, note) if n))
    return out


def qualified(fact: Fact) -> Fact:
    """A prose figure printed with "drygt", "cirka" … : the value as printed, the
    qualifier said in the note."""
    m = QUALIFIER.match(fact.raw)
    if m is None:
        return fact
    word = m.group("q")
    note = (f"printed as '{word} {fact.raw[m.end():].split()[0]}' ({QUALIFIERS[word.lower()]}):"
            " the value is kept as printed")
    return replace(fact, note="; ".join(n for n in (fact.note, note) if n))


def supersede(facts: list[Fact], lines: list[str]) -> list[Fact]:
    """``facts`` with every full-year forecast of a year whose result they hold marked
    superseded; else every one but the newest of its year, where each forecast's sentence
    gives its month and the months differ."""
    facts = [qualified(f) for f in facts]
    by_year: dict[tuple, list[Fact]] = {}
    for fact in facts:
        if fact.measure == FORECAST:
            by_year.setdefault((fact.fiscal_year, fact.period), []).append(fact)
    results = {f.fiscal_year: f for f in facts
               if f.measure == "budget_deviation" and f.period == "full_year"}
    marked = {}
    for (year, period), group in by_year.items():
        if period == "full_year" and year in results:
            marked.update(by_result(group, results[year], lines))
            continue
        months = {f: forecast_month(sentence_at(lines[f.source_line - 1], f.source_col))
                  for f in group}
        if len(group) < 2 or None in months.values() or len(set(months.values())) < len(group):
            continue
        newest = max(group, key=months.get)
        for fact in group:
            if fact is not newest:
                marked[id(fact)] = replace(fact, measure=SUPERSEDED, note="; ".join(n for n in (
                    fact.note, f"forecast made after {MONTHS[months[fact] - 1]}, "
                    f"superseded by the forecast made after {MONTHS[months[newest] - 1]}"
                    f" (line {newest.source_line})") if n))
    return [marked.get(id(f), f) for f in facts]
