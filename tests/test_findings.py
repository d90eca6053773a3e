"""The findings are computed for the selected reports only: every number in the text is in
that run's tables, no unselected municipality or year is mentioned, citations point at
lines the run's tables cite, and the claims the reports contradicted are gone."""

import re

import committed
import pandas as pd
import pytest
from seeds import of_seeds, seed_reports

from socialstudy import paths
from socialstudy.core.scope import resolve
from socialstudy.extract.tables import read_lines
from socialstudy.measures.like_with_like import definitions, remit_scopes
from socialstudy.measures.remit import remit_by_report
from socialstudy.narrative import (
    findings,
    findings_cost,
    findings_finance,
    findings_outcomes,
    summary,
)

RUNS = [("latest", "all"), ("2023", "all"), ("2020", "all"), ("latest", "Haninge,Huddinge"),
        ("latest", "Strängnäs"), ("2023", "Huddinge")]
CITATION = re.compile(r"\[([^\]]+\.txt:[^\]]+)\]")
QUOTE = re.compile(r"“[^”]*”")
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def tables():
    return committed.tables()


def render(scope, tables, reports) -> str:
    parts = [findings.scope_text(scope, reports)]
    for module, names in ((findings_cost, ("cost_types", "activities", "deviation")),
                          (findings_outcomes, ("staffing", "goals", "indicators")),
                          (findings_finance, ("finance", "staffing_detail"))):
        parts += [committed.once(getattr(module, name), scope, tables, reports)
                  for name in names]
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
        # a selected total that contradicts its own table: the caveat's sum and lines
        for key, caveat in frame.attrs.get("crossfoot", {}).items():
            doc, year = (key[1], None) if key[0] == "amount" else (key[0], key[2])
            if ((frame.doc_id == doc) & ((frame.fiscal_year == year) | (year is None))).any():
                caveat = re.sub(r"\b\d{3}_[0-9a-f]{16}\.txt\b", "", caveat)
                values |= {round(abs(float(n)), 1) for n in NUMBER.findall(caveat)}
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
    text = _run(year, munis, reports, facts, tables, seeds_only=False)
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
    cited |= {(f, int(x)) for frame in picked.values() if "description_line" in frame
              for f, x in zip(frame.source_file, frame.description_line) if str(x).strip()}
    # a named item's remark (a top-up spent in full, an upper bound) cites its own line
    cited |= {(f, int(float(x))) for frame in picked.values() if "remark_line" in frame
              for f, x in zip(frame.source_file, frame.remark_line) if str(x).strip()}
    # a growth rate on a derived previous year cites every line summed (prior_source_lines)
    cited |= {(f, int(x)) for frame in picked.values() if "prior_source_lines" in frame
              for f, xs in zip(frame.source_file, frame.prior_source_lines)
              for x in str(xs).split(";") if x.strip()}
    # a printed growth rate cites the line it is printed on (printed_source_line)
    cited |= {(f, int(x)) for frame in picked.values() if "printed_source_line" in frame
              for f, x in zip(frame.source_file, frame.printed_source_line) if str(x).strip()}
    # the caveats cite the quoted definitions and the remit evidence, each checked at its line
    checked = pd.concat([definitions(reports), remit_by_report(reports),
                         remit_scopes(reports)])
    cited |= {(f, int(x)) for f, x in zip(checked.source_file, checked.source_line)
              if str(x).strip()}
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
    text = _run("latest", "all", reports, facts, tables)
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
    text = _run("2020", "all", reports, facts, tables)
    assert "Haninge 2020 (January–April only)" in text
    assert "not comparable with a full year" in text
    assert "**Huddinge**: no data for this selection" in text
    text = _run("2023", "Huddinge", reports, facts, tables)
    assert "no year-end goal assessment for 2023" in text
    assert "Empty DataFrame" not in text


def test_key_figures_use_only_the_selected_report(reports, facts, tables):
    frame = committed.key_figures(resolve_seeds("2023", "all", reports, facts), tables)
    assert frame.loc["Haninge", "goals met or largely met"].startswith("not reported")
    assert frame.loc["Haninge", summary.NET_COST].startswith(
        "1154.0 (net cost: the report")  # 2023 column, line 372, with its crossfoot caveat
    # six of ten met (004:138) on a two-step scale: beside other committees, never a count
    assert frame.loc["Strängnäs", "goals met or largely met"].startswith(
        "not counted here: own scale of 2 wordings (Uppfyllt, Delvis uppfyllt) "
        "[004_2f72d566b296dc43.txt:141]")


def test_selection_tables_are_written(reports, facts, tables, tmp_path):
    scope = resolve("latest", "Haninge", reports, facts)
    written = findings.write_selection(scope, {"cost_by_activity": tables["cost_by_activity"]},
                                       tmp_path)
    text = written[0].read_text(encoding="utf-8")
    assert "Huddinge" not in text and "haninge_2020_d1" not in text
    assert "Funktionshinderomsorg" in text


# ---- the audit of what readers see (issue 10 item 1, issue 8 item 2) ------------------------

def _run(year, munis, reports, facts, tables, seeds_only=True) -> str:
    """The findings of a run over the seed reports (what the audits below pin), whatever
    reports were added to the registry since (``seeds_only=False``: over every report);
    computed once per run and module (several audits read the same run's text; while the
    registry holds the seeds alone, the two are one run)."""
    used = seed_reports(reports) if seeds_only else reports
    key = (year, munis, tuple(r.doc_id for r in used), id(facts), id(tables))
    if key not in _RUNS:  # the arguments are kept with the text: their ids stay theirs
        picked = facts if len(used) == len(reports) else of_seeds(facts)
        _RUNS[key] = (render(resolve(year, munis, used, picked), tables, used), reports,
                      facts, tables)
    return _RUNS[key][0]


_RUNS: dict[tuple, tuple] = {}


def resolve_seeds(year, munis, reports, facts):
    """The scope of a run over the seed reports and their facts only (see ``_run``)."""
    return resolve(year, munis, seed_reports(reports), of_seeds(facts))


def test_part_year_deviation_is_no_verdict_and_quotes_the_forecast(reports, facts, tables):
    text = _run("2020", "all", reports, facts, tables)
    # Jan-Apr: 910 tkr under the period budget (line 292), but the report forecasts a
    # 26.0 mnkr deficit for the year (line 272): no "stayed within budget"
    assert "stayed within budget" not in text
    assert "was within its budget for January–April, 0.3 % better than budget" in text
    assert ("“Helårsprognosen är ett underskott på 26,0 mnkr jämfört med budget.” "
            "[001_9c5091bf1d1e3ae2.txt:272]") in text
    # the 1 437 tkr spent Jan-Apr are against the full-year budget of 13 903 (line 559)
    assert "against a full-year budget of 13.9 mnkr (10.3 % spent as printed)" in text


def test_drivers_name_the_line_pulling_the_other_way(reports, facts, tables):
    text = _run("latest", "Haninge", reports, facts, tables)
    # Bidragsintäkter +43,4 mnkr (line 341) moved the result more than wages (-20,9, line 344)
    assert "moved the result most" not in text
    assert ("the largest line pulling the other way was “Bidragsintäkter” (+43.4 mnkr) "
            "[000_7601200e7e1b7bea.txt:341]") in text


def test_printed_rates_are_used_where_the_report_prints_them(reports, facts, tables):
    text = _run("latest", "Haninge", reports, facts, tables)
    # net cost -1 243,4 against -1 154,0: the report prints 7,7% (line 331); 89.4/1154.0
    # from the rounded amounts is 7.75, which would print as 7.8
    assert "net cost grew 7.7 % on the previous year, as printed" in text
    # investment 2,9 of 17,7 mnkr: the report prints 16,5% (line 395), not 16.4
    assert "(16.5 % spent as printed) [000_7601200e7e1b7bea.txt:395]" in text


def test_grant_shares_say_what_they_count(reports, facts, tables):
    text = _run("latest", "all", reports, facts, tables)
    # Haninge's Bidragsintäkter (line 341) include refugee grants; Strängnäs's table
    # (line 467) excludes Migrationsverket's grants (line 471)
    assert "itemised grants 14.2 % (all grants received (income statement), incl. refugee" in text
    assert "itemised grants 1.7 % (targeted state grants, EU grants and other grants" in text


def test_short_term_sick_leave_is_days_1_14_only_where_the_report_says_so(reports, facts,
                                                                         tables):
    text = _run("latest", "all", reports, facts, tables)
    lines = {line.split(":")[0]: line for line in text.splitlines() if "short-term" in line}
    # Huddinge line 782 defines "dag 1–14"; Haninge (line 469) and Strängnäs (line 632) do not
    assert "days 1–14" not in lines["* Haninge 2024"]
    assert "3.19 (derived; day range not stated)" in lines["* Haninge 2024"]
    assert "4.9 (day range not stated)" in lines["* Strängnäs 2023"]
    huddinge = lines["* Huddinge 2024"]
    assert "2.3, men 2.1, women 2.3 (12 months to November; days 1–14)" in huddinge
    # age groups in the report's order, lines 477-479
    assert "sick leave by age (%) up to 29 4.67, 30-49 6.53, 50 and older 8.37" in text


def test_report_explanations_are_quoted_where_the_report_gives_them(reports, facts, tables):
    text = _run("latest", "all", reports, facts, tables)
    for ref in ("000_7601200e7e1b7bea.txt:461",   # sick leave up: long-term, over 50
                "002_ed79cea0b5e49fc0.txt:62",    # sick leave down: follow-up of causes
                "000_7601200e7e1b7bea.txt:386",   # forecast gap: grants booked in December
                "002_ed79cea0b5e49fc0.txt:485",   # worse than forecast: more placements
                "004_2f72d566b296dc43.txt:503",   # worse after August: external placements
                "002_ed79cea0b5e49fc0.txt:463",   # net cost growth: lower revenue, placements
                "004_2f72d566b296dc43.txt:430",   # net cost growth: more, longer placements
                "002_ed79cea0b5e49fc0.txt:469",   # revenue fell: less external funding
                "000_7601200e7e1b7bea.txt:378",   # IFO deficit: placements of children
                "004_2f72d566b296dc43.txt:419"):  # elderly-care deficit: substitutes, overtime
        assert f"[{ref}]" in text, ref
    # the LSS volume growth explains the case-work unit's 30,4 of the 46,9 mnkr (line 380)
    assert "the disability-care deficit mainly to volume growth" not in text
    # the report's own year only: a 2023 run of the 2024 reports quotes none of them
    assert "000_7601200e7e1b7bea.txt:461" not in _run("2023", "all", reports, facts, tables)


def test_sick_leave_ranking_says_when_the_years_differ(reports, facts, tables):
    text = _run("latest", "all", reports, facts, tables)
    assert "Strängnäs's (9.4 %) is the highest (a 2023 figure; the years differ" in text
    assert ("Strängnäs 2023: average over the year; basis (share of working time) not stated "
            "[004_2f72d566b296dc43.txt:630], it runs") in text
    assert ("elderly care (Äldreomsorg, 281.4 mnkr net cost, plus an unknown part of "
            "'Myndighet' 310.1 mnkr (a mixed line)) [004_2f72d566b296dc43.txt:399, 401, 419, "
            "564], not run by Haninge and not run by Huddinge") in text
    assert ("Huddinge 2024: rolling 12 months (R12) to November of the year, "
            "not the calendar year "
            "[002_ed79cea0b5e49fc0.txt:782]") in text
    text = _run("2023", "all", reports, facts, tables)
    assert "Strängnäs's (9.4 %) is the highest, but not like with like: " in text


@pytest.mark.parametrize("year,munis", RUNS, ids=[f"{y}-{m}" for y, m in RUNS])
def test_english_prose_uses_decimal_points(year, munis, reports, facts, tables):
    text = _run(year, munis, reports, facts, tables)
    bare = QUOTE.sub("", CITATION.sub("", text))
    assert not re.findall(r"\d,\d", bare), re.findall(r".{30}\d,\d.{10}", bare)


def test_static_notebook_text_names_no_municipality_year_or_ranking():
    import json
    names = ("Haninge", "Huddinge", "Strängnäs")
    words = ("largest", "overran", "more than half", "highest", "lowest", "several-fold")
    for name in ("02_cost_structure", "03_staffing", "04_goals", "05_summary"):
        cells = json.loads((paths.NOTEBOOKS / f"{name}.ipynb")
                           .read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "markdown":
                continue
            text = "".join(cell["source"])
            # years other than in a law or report reference such as "RiR 2018:7"
            assert not re.findall(r"\b(?:19|20)\d\d\b(?!:)", text), (name, text)
            assert not [n for n in names + words if n in text], (name, text)


def test_key_figures_give_the_right_reason_for_missing_goals(reports, facts, tables):
    frame = committed.key_figures(resolve_seeds("2020", "all", reports, facts), tables)
    # the Jan-Apr 2020 report assesses contributions only (year-end goals: none); Huddinge
    # and Strängnäs have no report for 2020 at all
    assert frame.loc["Haninge", "goals met or largely met"] == (
        "not reported (a part-year report assesses no year-end goals)")
    # no report at all is not "the report does not give it" (issue 17)
    assert frame.loc["Huddinge", "goals met or largely met"] == "no report for this selection"
    assert frame.loc["Huddinge", "year"] == "no report for this selection"
    assert frame.loc["Strängnäs", summary.NET_COST] == "no report for this selection"
    text = _run("2020", "all", reports, facts, tables)
    assert ("no year-end goal assessment for 2020 (a part-year report assesses no year-end "
            "goals)") in text
    frame = committed.key_figures(resolve_seeds("2023", "all", reports, facts), tables)
    assert frame.loc["Haninge", "goals met or largely met"] == (
        "not reported (assessed only in the year's own report)")


TURNOVER = "turnover, committee level (%; the cell names a narrower scope)"


def test_key_figures_name_a_rolling_period_in_words(reports, facts, tables):
    frame = committed.key_figures(resolve_seeds("latest", "Huddinge", reports, facts), tables)
    # line 773 (turnover, since November of the year before) and line 782 (sick leave R12)
    assert frame.loc["Huddinge", TURNOVER] == "11.9 (12 months to November)"
    assert frame.loc["Huddinge", "sick leave (%)"] == "6.6 (12 months to November)"
    # beside another committee, each cell carries its own definition, cited
    frame = committed.key_figures(resolve_seeds("latest", "all", reports, facts), tables)
    assert frame.loc["Huddinge", "sick leave (%)"] == (
        "6.6 (12 months to November); rolling 12 months (R12) to November of the year, "
        "not the calendar year "
        "[002_ed79cea0b5e49fc0.txt:782]")
    # Haninge's 14.0 covers the committee's two activity areas (000:443 "inom nämndens
    # verksamhetsområden", table caption at 450), not a whole committee: the cell says so
    assert frame.loc["Haninge", TURNOVER].startswith(
        "14.0 (the committee's activity areas: IFO and funktionshinderomsorg); ")
    assert "whole committee" not in TURNOVER
    assert frame.loc["Haninge", TURNOVER].endswith(
        "whether the staff units are included is not stated; the table printed with it names "
        "the same two areas (Individ- och familjeomsorg, Funktionshinderomsorg) "
        "[000_7601200e7e1b7bea.txt:421, 443, 450]")


def test_strangnas_lumped_purchases_include_grants_paid(reports, facts, tables):
    text = _run("latest", "Strängnäs", reports, facts, tables)
    # line 572: "Kostnader och utgifter bestod också av lämnade bidrag i form av bland annat
    # ekonomiskt bistånd" – the 27 % are not purchases alone
    assert "adds grants paid such as economic assistance, so this is a lumped category" in text


def test_goal_scales_are_said_to_differ(reports, facts, tables):
    text = _run("latest", "all", reports, facts, tables)
    # Haninge: 4 wordings (lines 147-306), Huddinge: 3 (lines 87-93), Strängnäs: 2 (141-150)
    assert ("Each committee words its own scale (distinct wordings used: Haninge 4, Huddinge 3 "
            "and Strängnäs 2)") in text
    assert "words its own scale" not in _run("latest", "Strängnäs", reports, facts, tables)


def test_every_key_figure_names_its_lines(reports, facts, tables):
    """An analyst citing the key figures needs each number's raw line in its row: Haninge's
    net cost 1 243,4 and deviation -71,9 stand at 372, the one-off 39,7 at 353 and the
    committee reserve 8,7 at 368/374, the personnel share's -703,0 at 344, turnover 14,00 at
    446, sick leave 7,17 at 466; a committee without a report for the year says so."""
    frame = committed.key_figures(resolve_seeds("latest", "all", reports, facts), tables)
    haninge = "000_7601200e7e1b7bea.txt"
    assert frame.loc["Haninge", "lines the figures rest on"] == (
        f"net cost, budget deviation [{haninge}:372]; without the named items "
        f"[{haninge}:353, 368, 374]; personnel share [{haninge}:344]; turnover [{haninge}:446]; "
        f"sick leave [{haninge}:466]")
    raw = read_lines(next(r.path for r in reports if r.doc_id == "haninge_2024_ar"))
    for line, printed in ((372, "-1 243,4"), (353, "39,7"), (374, "8,7"), (344, "-703,0"),
                          (446, "14,00"), (466, "7,17")):
        assert printed in raw[line - 1], (line, printed)
    assert frame.loc["Haninge", summary.NET_COST] == "1243.4"
    early = committed.key_figures(resolve_seeds("2020", "all", reports, facts), tables)
    assert early.loc["Huddinge", "lines the figures rest on"] == "no report for this selection"
    assert early.loc["Haninge", "lines the figures rest on"] == (
        "net cost, budget deviation [001_9c5091bf1d1e3ae2.txt:292]")
