"""Figures quoted from running text and judgements about whole tables are keyed by wording,
not by line: they stand where the crosswalk says, and they carry over to next year's
report with new numbers, new years and shifted lines, with no edit."""

import dataclasses
import re
from decimal import Decimal

import pytest

from socialstudy.core.registry import by_doc_id, sha256_of
from socialstudy.crosswalks import loader as crosswalk
from socialstudy.errors import CrosswalkError
from socialstudy.extract import overrides, prose
from socialstudy.extract.extraction import extract_and_clean
from socialstudy.extract.numbers import parse_number
from socialstudy.extract.tables import extract_tables, read_lines

INSERTED = 7  # lines the "next year" copy gains above everything


def next_year_copy(report, tmp_path, edit=lambda text: text):
    """A copy of a seed report as next year's: every year +1, every decimal number's
    integer part +1 (11,9 -> 12,9), INSERTED new lines at the top; registered as
    fiscal_year + 1 under a new doc_id."""
    text = report.path.read_text(encoding="utf-8")
    text = bumped(later(text))
    text = "".join(f"Ny inledning, rad {i}.\n" for i in range(INSERTED)) + edit(text)
    path = tmp_path / f"next_{report.file}"
    path.write_text(text, encoding="utf-8")
    return dataclasses.replace(report, doc_id=f"{report.doc_id}_next", file=path.name,
                               path=path, fiscal_year=report.fiscal_year + 1,
                               sha256=sha256_of(path))


def later(text: str) -> str:
    """Every year 2010-2029 one year later."""
    return re.sub(r"(?<!\d)20[12]\d(?!\d)", lambda m: str(int(m.group()) + 1), text)


def bumped(text: str) -> str:
    """Every decimal number's integer part +1 (a grouped 1 243,4 becomes 1 244,4)."""
    return re.sub(r"(?<![\d,.])(\d+),(\d+)(?![\d,])",
                  lambda m: f"{int(m.group(1)) + 1},{m.group(2)}", text)


def test_every_prose_fact_stands_on_its_line(reports, facts):
    """The quote (raw) stands at source_line, its number at source_col."""
    prose_facts = facts[facts.source_kind == "prose"]
    assert len(prose_facts) == 87
    files = {r.file: read_lines(r.path) for r in reports}
    for fact in prose_facts.itertuples():
        line = files[fact.source_file][fact.source_line - 1]
        assert fact.raw in line
        assert line[fact.source_col - 1].isdigit()


def test_every_wording_matches_exactly_once_in_the_seeds(reports):
    rows = prose.load_prose_rows()
    matched = []
    for report in reports:
        facts, unmatched = prose.match_report(report, rows)
        matched += facts
        # Haninge's interim and annual reports have their own document types: nothing left
        assert unmatched == []
    assert len(matched) == len(rows) == 87


def test_huddinge_turnover_quote(facts):
    row = facts[(facts.source_kind == "prose") & (facts.doc_id == "huddinge_2024_vb")
                & (facts.source_line == 773) & (facts.measure == "turnover_total_pct")]
    assert row.value.tolist() == ["11.9"]
    assert row.scope.tolist() == ["whole committee"] and row.note.tolist() == [""]
    assert row.definition.iloc[0].startswith("all employees who left")


def test_direction_is_a_column_and_signs_the_value(facts):
    # Strängnäs 2023 line 486: "ett underskott på 35,5 miljoner kronor" -> -35 500 tkr
    row = facts[(facts.doc_id == "strangnas_2023_ar") & (facts.source_line == 486)
                & (facts.measure == "budget_deviation") & (facts.fiscal_year == 2023)]
    assert row.value.tolist() == ["-35500"] and not row.definition.iloc[0].startswith("[")


@pytest.mark.parametrize("doc_id", ["haninge_2024_ar", "haninge_2020_d1", "huddinge_2024_vb",
                                    "strangnas_2023_ar"])
def test_prose_anchors_carry_over_to_next_year(reports, tmp_path, doc_id):
    """Same facts, new values (read from the changed numbers), lines shifted, years +1."""
    seed = by_doc_id(reports)[doc_id]
    rows = prose.load_prose_rows()
    before, _ = prose.match_report(seed, rows)
    copy = next_year_copy(seed, tmp_path)
    after, unmatched = prose.match_report(copy, rows)
    assert unmatched == [] and len(after) == len(before) > 0
    seed_lines, copy_lines = read_lines(seed.path), read_lines(copy.path)
    changed = 0
    for was, now in zip(before, after):  # one fact per crosswalk row, in crosswalk order
        assert (now.measure, now.row_label, now.scope) == (was.measure, later(was.row_label),
                                                           later(was.scope))
        assert now.source_line == was.source_line + INSERTED
        assert now.fiscal_year == was.fiscal_year + 1
        printed = PRINTED.match(seed_lines[was.source_line - 1][was.source_col - 1:]).group(0)
        assert copy_lines[now.source_line - 1][now.source_col - 1:].startswith(bumped(printed))
        old, new = parse_number(printed).value, parse_number(bumped(printed)).value
        assert Decimal(now.value) == Decimal(was.value) / old * new
        changed += old != new
    assert changed == sum("," in PRINTED.match(seed_lines[f.source_line - 1][
        f.source_col - 1:]).group(0) for f in before) > 0


PRINTED = re.compile(r"\d{1,3}(?: \d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def test_huddinge_next_year_turnover_has_new_value_line_and_year(reports, tmp_path):
    seed = by_doc_id(reports)["huddinge_2024_vb"]
    facts, _ = prose.match_report(next_year_copy(seed, tmp_path))
    turnover = [f for f in facts if f.measure == "turnover_total_pct"
                and f.row_label == "Personalomsättningen inom nämndens verksamheter"]
    assert [(f.value, f.source_line, f.fiscal_year) for f in turnover] == [
        ("12.9", 773 + INSERTED, 2025)]


def test_changed_wording_is_returned_unmatched_not_guessed(reports, tmp_path):
    seed = by_doc_id(reports)["huddinge_2024_vb"]
    copy = next_year_copy(seed, tmp_path, lambda t: t.replace(
        "Personalomsättningen inom nämndens verksamheter uppgår till",
        "Personalomsättningen inom nämndens verksamheter var"))
    facts, unmatched = prose.match_report(copy)
    assert [r.wording for r in unmatched] == [
        "Personalomsättningen inom nämndens verksamheter uppgår till {n} procent"]
    assert unmatched[0].line > 1
    assert not [f for f in facts if f.source_line == 773 + INSERTED
                and f.measure == "turnover_total_pct"]


def test_a_wording_found_twice_stops_the_run_naming_the_row(reports, tmp_path):
    seed = by_doc_id(reports)["huddinge_2024_vb"]
    sentence = "Personalomsättningen inom nämndens verksamheter uppgår till 12,9 procent"
    copy = next_year_copy(seed, tmp_path, lambda t: t + f"\n{sentence}.\n")
    with pytest.raises(CrosswalkError, match=r"prose_facts.csv:\d+: wording "
                                             r"'Personalomsättningen.*' stands 2 times") as info:
        prose.match_report(copy)
    assert "context" in info.value.fix


def test_a_wrong_year_slot_does_not_match(reports, tmp_path):
    """`{year}` must be the report's fiscal year: a copy registered with the wrong year
    leaves the wordings with year slots unmatched instead of mapping them wrongly."""
    seed = by_doc_id(reports)["haninge_2024_ar"]
    copy = dataclasses.replace(next_year_copy(seed, tmp_path), fiscal_year=seed.fiscal_year)
    facts, unmatched = prose.match_report(copy)
    assert [r.wording for r in unmatched] == [
        "antalet tillfälligt inhyrd personal inom myndighetsutövning minskat med {n} procent "
        "jämfört med {year-1}",
        "Socialnämndens nettoresultat uppgick till {n} miljoner kronor för {year}"]
    assert len(facts) == 13  # the other 13 of its 15 wordings have no year slot


def test_malformed_prose_row_stops_the_run_naming_its_line(tmp_path, monkeypatch):
    folder = _crosswalk_copy(tmp_path, monkeypatch)
    path = folder / "prose_facts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace("{n}", "", 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CrosswalkError, match=r"prose_facts.csv:4: wording: needs exactly one"):
        prose.load_prose_rows()


def _crosswalk_copy(tmp_path, monkeypatch):
    import shutil

    from socialstudy import paths
    folder = tmp_path / "crosswalks"
    shutil.copytree(paths.CROSSWALKS, folder)
    monkeypatch.setattr(crosswalk.read_crosswalk, "__defaults__", (folder,))
    return folder


# ---- table overrides ----------------------------------------------------------------------

def test_table_overrides_match_the_seed_tables(reports):
    rows = overrides.load_override_rows()
    used = set()
    for report in reports:
        found, unmatched = overrides.match_overrides(report, extract_tables(report), rows)
        used |= {r.line for r in rows if (r.municipality, r.document_type) == (
            report.municipality, report.document_type)} - {r.line for r in unmatched}
        if report.doc_id == "haninge_2020_d1":
            # six department tables without a printed unit, one rule (match=every)
            assert sorted(label for label, o in found.items() if o.unit == "tkr" and not o.columns
                          and "department" in o.why) == [280, 324, 343, 378, 425, 446]
        if report.doc_id == "strangnas_2023_ar":
            assert found[396].totals == {405: list(range(397, 405))}
    assert used == {r.line for r in rows}


def test_table_overrides_carry_over_to_next_year(reports, tmp_path):
    seed = by_doc_id(reports)["strangnas_2023_ar"]
    copy = next_year_copy(seed, tmp_path)
    found, unmatched = overrides.match_overrides(copy, extract_tables(copy),
                                                 overrides.load_override_rows())
    assert unmatched == []
    assert found[396 + INSERTED].totals == {405 + INSERTED: list(range(404, 412))}
    quality = extract_and_clean([copy]).quality
    drift = quality[(quality.check == "crossfoot") & (quality.source_line == 405 + INSERTED)]
    assert len(drift) == 8 and drift.note.str.startswith("sum of lines 404-411").all()


def test_an_override_matching_two_tables_stops_the_run(reports, tmp_path):
    seed = by_doc_id(reports)["huddinge_2024_vb"]
    lines = read_lines(seed.path)
    table = "\n".join(lines[450:462])  # "Resultaträkning, tkr" and its table, once more
    copy = next_year_copy(seed, tmp_path, lambda t: t + "\n\n" + table.replace(
        "2024", "2025").replace("2023", "2024") + "\n")
    with pytest.raises(CrosswalkError, match=r"table_overrides.csv:\d+: matches 2 tables"):
        overrides.match_overrides(copy, extract_tables(copy), overrides.load_override_rows())


def test_a_fourth_municipality_has_no_anchors_and_no_error(reports, tmp_path):
    """A committee the crosswalks have never seen: its tables are read, no prose wording
    or table override of another committee is applied to it, nothing is unmatched."""
    seed = by_doc_id(reports)["huddinge_2024_vb"]
    copy = dataclasses.replace(next_year_copy(seed, tmp_path), municipality="Nacka",
                               kommun_code="0182", doc_id="nacka_2025_vb")
    assert prose.match_report(copy) == ([], [])
    found, unmatched = overrides.match_overrides(copy, extract_tables(copy),
                                                 overrides.load_override_rows())
    assert found == {} and unmatched == []
    extraction = extract_and_clean([copy])
    assert (extraction.facts.source_kind == "table").sum() == (
        extract_and_clean([seed]).facts.source_kind == "table").sum()
    assert not (extraction.facts.source_kind == "prose").any()


def test_totals_beyond_the_table_stop_the_run(reports, tmp_path, monkeypatch):
    folder = _crosswalk_copy(tmp_path, monkeypatch)
    path = folder / "table_overrides.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("r7=r2-r6;r8=r1+r7",
                                                             "r7=r2-r6;r80=r1+r7"),
                    encoding="utf-8")
    seed = by_doc_id(reports)["huddinge_2024_vb"]
    with pytest.raises(CrosswalkError, match=r"table_overrides.csv:\d+: totals name row r80 "
                                             r"but the table at .*:453 has rows r0-r8"):
        overrides.match_overrides(seed, extract_tables(seed), overrides.load_override_rows())


def test_a_duplicated_prose_row_stops_the_run_naming_both_lines(tmp_path, monkeypatch):
    folder = _crosswalk_copy(tmp_path, monkeypatch)
    path = folder / "prose_facts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[5]]), encoding="utf-8")
    with pytest.raises(CrosswalkError, match=rf"prose_facts.csv:{len(lines) + 1}: duplicate key "
                                             r"\(.*\), letter case aside: also at line 6"):
        prose.load_prose_rows()


def test_years_in_labels_and_definitions_follow_the_report(reports, tmp_path, facts):
    seed = by_doc_id(reports)["huddinge_2024_vb"]
    row = facts[(facts.doc_id == seed.doc_id) & (facts.measure == "budget_deviation")
                & (facts.source_kind == "prose")]
    assert row.row_label.tolist() == ["Resultatet för 2024"]
    change = facts[(facts.doc_id == seed.doc_id) & (facts.measure == "net_cost_change_pct")]
    assert change.definition.tolist() == ["change in net cost vs 2023"]
    after, _ = prose.match_report(next_year_copy(seed, tmp_path))
    assert [(f.row_label, f.value) for f in after if f.measure == "budget_deviation"] == [
        ("Resultatet för 2025", "5500")]
    assert [f.definition for f in after if f.measure == "net_cost_change_pct"] == [
        "change in net cost vs 2024"]


def test_unmatched_anchors_are_listed_in_quality(reports, tmp_path):
    seed = by_doc_id(reports)["huddinge_2024_vb"]
    copy = next_year_copy(seed, tmp_path, lambda t: t.replace(
        "Personalomsättningen inom nämndens verksamheter uppgår till",
        "Personalomsättningen inom nämndens verksamheter var").replace(
        "Resultaträkning\tBudget helår", "Resultaträkning\tBudget"))
    quality = extract_and_clean([copy]).quality
    listed = quality[quality.check.str.endswith("_unmatched")]
    assert listed.check.tolist() == ["prose_facts_unmatched", "table_overrides_unmatched"]
    assert re.match(r"socialstudy/crosswalks/prose_facts.csv:\d+: 'Personalomsättningen inom "
                    r"nämndens verksamheter uppgår till \{n\} procent' not found",
                    listed.note.iloc[0])
    assert "table_overrides.csv" in listed.note.iloc[1]


def test_the_seeds_leave_no_anchor_unmatched(extraction):
    assert not extraction.quality.check.str.endswith("_unmatched").any()
