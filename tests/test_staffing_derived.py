"""No false 'not reported': values a report states only indirectly are derived from the
numbers on the cited line and marked 'derived'."""

from __future__ import annotations

from socialstudy.core.scope import resolve
from socialstudy.measures.staffing import staffing
from socialstudy.measures.staffing_derived import derived_staffing
from socialstudy.narrative import findings_outcomes


def _one(rows, **keys):
    hits = [r for r in rows if all(r[k] == v for k, v in keys.items())]
    assert len(hits) == 1, hits
    return hits[0]


def test_huddinge_2023_turnover_is_derived_from_line_773(reports):
    row = _one(derived_staffing(reports), doc_id="huddinge_2024_vb", fiscal_year=2023,
               variable="turnover_total_pct", scope="whole committee")
    assert (row["value"], row["status"], row["source_line"]) == ("9.2", "derived", 773)
    assert row["source_file"] == "002_ed79cea0b5e49fc0.txt"
    assert "11,9 procent, vilket är en ökning med 2,7 procentenheter" in row["raw"]
    assert row["definition"].endswith("(11,9 − 2,7)")


def test_adult_section_2023_and_short_term_share_2024(reports):
    rows = derived_staffing(reports)
    adult = _one(rows, doc_id="huddinge_2024_vb", scope="vuxensektionen (adult section)")
    assert (adult["value"], adult["fiscal_year"], adult["source_line"]) == ("10", 2023, 775)
    short = _one(rows, doc_id="huddinge_2024_vb", variable="sick_leave_short_share_pct")
    assert (short["value"], short["fiscal_year"], short["source_line"]) == ("34.8", 2024, 782)


def test_strangnas_short_term_share_from_two_lines(reports, numbered_facts):
    """'Korttidssjukfrånvaron var i snitt 4,9 procent' (004:632) of 'Den totala
    sjukfrånvaron i snitt under året var 9,4 procent' (004:630): 52.1 %, both lines cited."""
    row = _one(derived_staffing(reports), doc_id="strangnas_2023_ar",
               variable="sick_leave_short_share_pct")
    assert (row["value"], row["fiscal_year"], row["status"], row["source_line"]) == (
        "52.1", 2023, "derived", 632)
    assert row["definition"].endswith("(100 × 4,9 / 9,4; lines 632, 630)")
    assert "\n" not in row["raw"] and row["raw"].startswith("Korttidssjukfrånvaron var i snitt")
    staff = staffing(numbered_facts, reports)
    short = staff[(staff.doc_id == "strangnas_2023_ar")
                  & (staff.variable == "sick_leave_short_share_pct")]
    assert list(short.status) == ["derived"], "the derived value replaces 'not reported'"


def test_a_derived_value_replaces_the_not_reported_row(numbered_facts, reports):
    staff = staffing(numbered_facts, reports)
    short = staff[(staff.doc_id == "huddinge_2024_vb")
                  & (staff.variable == "sick_leave_short_share_pct")]
    assert list(short.status) == ["derived"] and list(short.value) == ["34.8"]


def test_the_2023_run_gives_huddinge_turnover_as_derived(reports, facts, numbered_facts):
    scope = resolve("2023", "Huddinge", reports, facts)
    tables = {"staffing": staffing(numbered_facts, reports).astype({"fiscal_year": int})}
    text = findings_outcomes.staffing(scope, tables, reports)
    assert ("staff turnover (all leavers) 9.2 %, 12 months to November, derived from figures "
            "on the cited line [002_ed79cea0b5e49fc0.txt:773]") in text


def test_huddinge_2023_sick_leave_by_sex_from_line_785(reports):
    """'6,9 procent och männens på 5,7 procent … minskning med 0,2 respektive 1,8'."""
    rows = derived_staffing(reports)
    women = _one(rows, variable="sick_leave_women_pct")
    men = _one(rows, variable="sick_leave_men_pct")
    assert (women["value"], women["fiscal_year"], women["source_line"]) == ("7.1", 2023, 785)
    assert (men["value"], men["fiscal_year"], men["source_line"]) == ("7.5", 2023, 785)
    assert men["definition"].endswith("(5,7 + 1,8)")
