"""The findings are computed for the selected reports only: every number in the text is in
that run's tables, no unselected municipality or year is mentioned, citations point at
lines the run's tables cite, and the claims the reports contradicted are gone."""

import re

import pytest

from socialstudy import (findings, findings_cost, findings_finance, findings_outcomes, paths,
                         summary)
from socialstudy.scope import resolve

RUNS = [("latest", "all"), ("2023", "all"), ("2020", "all"), ("latest", "Haninge,Huddinge"),
        ("latest", "Strängnäs"), ("2023", "Huddinge")]
CITATION = re.compile(r"\[([^\]]+\.txt:[^\]]+)\]")
QUOTE = re.compile(r"“[^”]*”")
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def tables():
    return findings.load(paths.Outputs().processed)


def render(scope, tables, reports) -> str:
    parts = [findings.scope_text(scope, reports)]
    for module, names in ((findings_cost, ("cost_types", "activities", "deviation")),
                          (findings_outcomes, ("staffing", "goals", "indicators")),
                          (findings_finance, ("finance", "staffing_detail"))):
        parts += [getattr(module, name)(scope, tables, reports) for name in names]
    return "\n".join(parts)


def allowed_numbers(picked) -> set[float]:
    """Every number in any cell of the selected rows, also as mnkr, plus row counts."""
    values = set()
    for frame in picked.values():
        for cell in frame.astype(str).to_numpy().ravel():
            for text in NUMBER.findall(cell):
                v = abs(float(text))
                values |= {round(v, 0), round(v, 1), round(v / 1000, 1)}
        values |= set(range(0, len(frame) + 1))
    values |= _sums(picked)
    return values


def _sums(picked) -> set[float]:
    """Derived in the text: shares summed per report and per common category."""
    out = set()
    for name, column in (("cost_by_type", "share_pct"),
                         ("cost_by_activity", "share_of_total_pct")):
        frame = picked[name]
        frame = frame[(frame[column] != "") & (frame.category != "total")]
        shares = frame.assign(v=frame[column].astype(float))
        if name == "cost_by_type":
            shares = shares[shares.flow == "cost"]
            out |= {round(v, 0) for v in shares.groupby("municipality").v.sum()}
        out |= {round(v, 1) for v in shares.groupby(["municipality", "category"]).v.sum()}
    return out


@pytest.mark.parametrize("year,munis", RUNS, ids=[f"{y}-{m}" for y, m in RUNS])
def test_findings_follow_the_selection(year, munis, reports, facts, tables):
    scope = resolve(year, munis, reports, facts)
    text = render(scope, tables, reports)
    picked = findings.selected(scope, tables)
    chosen = findings.chosen(scope)
    bare = QUOTE.sub("", CITATION.sub("", text)).replace("`", " ")
    bare = re.sub(r"\b\d{3}_[0-9a-f]{16}\.txt\b", "", bare)
    # the selected years, and the year of each selected report (its title names it)
    docs = {s.doc_id for s in chosen}
    years = {str(s.fiscal_year) for s in chosen} | {str(r.fiscal_year) for r in reports
                                                     if r.doc_id in docs}
    for y in re.findall(r"\b(?:19|20)\d\d\b", bare):
        assert y in years, f"unselected year {y} in: {text}"
    allowed = allowed_numbers(picked)
    for n in NUMBER.findall(re.sub(r"\b(?:19|20)\d\d\b", "", bare)):
        v = abs(float(n))
        assert round(v, 1) in allowed or round(v, 0) in allowed, f"{n} not in the tables"
    names = {r.municipality for r in reports}
    for other in names - set(scope.municipalities):
        assert other not in text, f"unselected {other} mentioned"
    cited = {(f, int(x)) for frame in picked.values() if len(frame)
             for f, x in zip(frame.source_file, frame.source_line) if str(x).strip()}
    for group in CITATION.findall(text):
        for ref in group.split("; "):
            file, lines = ref.split(":")
            for line in lines.split(", "):
                assert (file, int(line)) in cited or _explanation(file, int(line)), ref


def _explanation(file, line) -> bool:
    text = (paths.RAW / file).read_text(encoding="utf-8").splitlines()[line - 1]
    quotes = (paths.CROSSWALKS / "report_explanations.csv").read_text(encoding="utf-8")
    return any(row.split(",")[3] in text for row in quotes.splitlines()[1:])


def test_default_run_states_the_corrected_claims(reports, facts, tables):
    scope = resolve("latest", "all", reports, facts)
    text = render(scope, tables, reports)
    # Haninge's largest activity is disability care (562.6 mnkr, line 371), not IFO (474.6)
    assert "Haninge 2024: the largest line is “Funktionshinderomsorg”" in text
    assert "562.6 mnkr" in text and "[000_7601200e7e1b7bea.txt:371]" in text
    # the personal-assistance tender got no bids (line 521): in-house, not bought
    assert "avbröts på grund av avsaknad av anbud" in text
    assert "above all, personal assistance" not in text
    # overrun drivers in order: disability 46.9, IFO 20.4, economic assistance 13.3 mnkr
    assert re.search(r"“Funktionshinderomsorg” 46\.9 mnkr, “Individ- och familjeomsorg "
                     r"\(IFO\)” 20\.4 mnkr, “Försörjningsstöd” 13\.3 mnkr", text)
    assert "Huddinge 2024: the committee stayed within budget, 0.9 %" in text
    assert "Strängnäs 2023: the committee overran its budget by 4.1 % (35.5 mnkr)" in text
    assert "more than half of gross cost in Huddinge and Strängnäs" in text


def test_part_year_and_empty_selections_say_so(reports, facts, tables):
    text = render(resolve("2020", "all", reports, facts), tables, reports)
    assert "Haninge 2020 (January–April only)" in text
    assert "not comparable with a full year" in text
    assert "**Huddinge**: no data for this selection" in text
    text = render(resolve("2023", "Huddinge", reports, facts), tables, reports)
    assert "no year-end goal assessment for 2023" in text
    assert "Empty DataFrame" not in text


def test_key_figures_use_only_the_selected_report(reports, facts, tables):
    frame = summary.key_figures(resolve("2023", "all", reports, facts), tables)
    assert frame.loc["Haninge", "goals met or largely met"].startswith("not reported")
    assert frame.loc["Haninge", "net cost (mnkr)"] == "1154.0"  # 2023 column, line 372
    assert frame.loc["Strängnäs", "goals met or largely met"] == "6 of 10"


def test_selection_tables_are_written(reports, facts, tables, tmp_path):
    scope = resolve("latest", "Haninge", reports, facts)
    written = findings.write_selection(scope, {"cost_by_activity": tables["cost_by_activity"]},
                                       tmp_path)
    text = written[0].read_text(encoding="utf-8")
    assert "Huddinge" not in text and "haninge_2020_d1" not in text
    assert "Funktionshinderomsorg" in text
