"""Remit per report, the comparable core and the deviation without named items: real
values pinned with the raw lines they rest on (issue 17)."""

import pytest

from socialstudy.core.scope import Selection
from socialstudy.extract.tables import read_lines
from socialstudy.measures import compare, core, remit
from socialstudy.measures.adjustments import adjustments, without
from socialstudy.measures.per_inhabitant import per_inhabitant
from socialstudy.narrative import core_text

H24, H20 = "haninge_2024_ar", "haninge_2020_d1"
HU, ST = "huddinge_2024_vb", "strangnas_2023_ar"
SELS = {H24: Selection("Haninge", 2024, H24, "full_year", ""),
        HU: Selection("Huddinge", 2024, HU, "full_year", ""),
        ST: Selection("Strängnäs", 2023, ST, "full_year", "")}


@pytest.fixture(scope="module")
def remits(reports):
    return remit.remit_by_report(reports)


@pytest.fixture(scope="module")
def activity(numbered_facts, reports):
    return compare.cost_by_activity(numbered_facts, reports)


@pytest.fixture(scope="module")
def inhabitants(numbered_facts, reports):
    return per_inhabitant(numbered_facts, reports).astype(str)


@pytest.mark.parametrize("doc_id, category, status, line", [
    (H20, "elderly_care", "partial", 288),   # Avdelning Beställare funktionsnedsättning och äldre
    (H24, "elderly_care", "no", 103),
    (H20, "disability_support", "yes", 322),
    (HU, "economic_assistance", "partial", 624),   # emergency aid via Socialjouren only
    (HU, "disability_support", "partial", 502),    # (ej LSS/SFB)
    (ST, "elderly_care", "yes", 419)])
def test_remit_is_judged_per_report(remits, reports, doc_id, category, status, line):
    row = remits[(remits.doc_id == doc_id) & (remits.category == category)].iloc[0]
    assert (row.in_remit, int(row.source_line)) == (status, line)
    path = next(r.path for r in reports if r.doc_id == doc_id)
    assert row.evidence in read_lines(path)[line - 1]


def test_haninge_2020_and_2024_differ(remits):
    assert remit.remit_of(remits, H20)["elderly_care"] != remit.remit_of(remits, H24)[
        "elderly_care"]


def _core(activity, remits, inhabitants, docs):
    return core.comparable_core(activity, remits, inhabitants, [SELS[d] for d in docs])


def test_default_core(activity, remits, inhabitants):
    frame = _core(activity, remits, inhabitants, [H24, HU, ST])
    assert frame.core_categories.iloc[0] == ("children_young_people+adults_substance_abuse+"
                                             "administration+other")
    rows = frame[frame.row_kind == "core"].set_index("doc_id")
    # Haninge: staff units 57.8 + committee 2.6 (lines 367-368) in; IFO 474.6 (line 370,
    # also socialpsykiatri) touches the core -> range
    assert rows.loc[H24, ["core_low_tkr", "core_high_tkr", "status"]].tolist() == [
        "60400", "535000", "range"]
    assert rows.loc[H24, ["per_inhabitant_low_kr", "per_inhabitant_high_kr"]].tolist() == [
        "599", "5303"]
    # Huddinge: lines 496-499, 501, 503 in; 500 (economic assistance) and 502 out
    assert rows.loc[HU, ["core_low_tkr", "core_high_tkr", "status"]].tolist() == [
        "406803", "406803", "complete"]
    assert rows.loc[HU, "per_inhabitant_low_kr"] == "3559"
    # Strängnäs: Myndighet 310.1 (line 399) touches; no 2023 population
    assert rows.loc[ST, ["core_low_tkr", "core_high_tkr"]].tolist() == ["105200", "415300"]
    assert "not available" in rows.loc[ST, "note"]
    lines = frame[frame.row_kind == "line"].set_index(["doc_id", "source_line"]).in_core
    assert lines[(H24, 370)] == "touches" and lines[(ST, 399)] == "touches"
    assert lines[(HU, 500)] == "out" and lines[(HU, 502)] == "out"


def test_haninge_huddinge_caveat_names_lss_and_economic_assistance(activity, remits,
                                                                   inhabitants):
    frame = _core(activity, remits, inhabitants, [H24, HU]).astype(str)
    text = " ".join(core_text.remit_differences(frame, remits))
    assert "economic assistance: Haninge carries it: 'Försörjningsstöd' 145.7 mnkr" in text
    assert "'Funktionshinderomsorg' 562.6 mnkr [000_7601200e7e1b7bea.txt:371]" in text
    assert "Huddinge only partly: 'Ekonomiskt bistånd' 2.7 mnkr" in text


@pytest.mark.parametrize("doc_id, dev, budget, line, expected", [
    (H24, -71900, 1171500, 353, (-120300, -10.27)),   # one-off 39.7 + reserve 8.7 (374)
    (HU, 4488, 501533, 680, (-15512, -3.22)),         # 20 mnkr top-up
    (ST, -35500, 867100, 423, (-55200, -6.37))])      # buffers on management, line 398
def test_deviation_without_named_items(reports, doc_id, dev, budget, line, expected):
    items = adjustments(reports)
    items = items[items.doc_id == doc_id]
    assert line in set(items.quote_line.astype(int))
    value, pct = without(dev, budget, items)
    assert (round(value), round(pct, 2)) == expected
